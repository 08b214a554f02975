/// A one-line problem found by a command itself (not by a library), printed as the error line.
struct ResourceError: Error, CustomStringConvertible {
    var description: String
}
