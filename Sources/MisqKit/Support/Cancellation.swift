/// A flag the REPL's Ctrl-C handler sets while a query runs; the engine
/// checks it between stages and chunks and stops with an error. A plain
/// word in memory, written from a signal handler and read here.
public enum Cancellation {
    private static let flag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    public static func request() { flag.pointee = 1 }
    public static func reset() { flag.pointee = 0 }
    public static var isRequested: Bool { flag.pointee != 0 }

    /// Throws if Ctrl-C was pressed.
    public static func check() throws {
        if flag.pointee != 0 {
            flag.pointee = 0
            throw MisqError(.runtime, "interrupted", suggestion: "the query was stopped; nothing else changed")
        }
    }
}
