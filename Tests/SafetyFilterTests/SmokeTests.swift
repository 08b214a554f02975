import Testing
@testable import SafetyFilter

@Suite struct SmokeTests {
    @Test func builds() throws {
        _ = try SafetyFilter()
    }
}
