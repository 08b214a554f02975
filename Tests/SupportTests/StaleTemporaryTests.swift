import Foundation
import Support
import Testing

/// A process killed inside `AtomicFile.write` leaves `.NAME.tmp-PID` behind; the next run clears it.
@Suite struct StaleTemporaryTests {
    @Test func removesDeadProcessesTemporariesOnly() throws {
        let dir = NSTemporaryDirectory() + "copygen-stale-\(UUID().uuidString)"
        try AtomicFile.createDirectory(dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A pid beyond pid_max never runs; our own pid and pid 1 do.
        let dead = ".model.safetensors.tmp-2147483646"
        let mine = ".config.json.tmp-\(getpid())"
        let living = ".log.csv.tmp-1"
        let others = ["model.safetensors", ".hidden", "notes.tmp-12", ".x.tmp-", ".y.tmp-12a"]
        for name in [dead, mine, living] + others { try AtomicFile.write("x", to: dir + "/" + name) }
        AtomicFile.removeStaleTemporaries(in: dir)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == Set([mine, living] + others))
    }

    @Test func aMissingDirectoryIsIgnored() {
        AtomicFile.removeStaleTemporaries(in: "/nonexistent/copygen-stale")
    }
}
