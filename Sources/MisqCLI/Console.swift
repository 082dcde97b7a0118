import MisqKit
import Foundation

/// Where the CLI writes. The binary writes to the process's streams; tests
/// collect the text.
///
/// A failed write is never silent: the first failure on standard output is
/// kept, later output is not attempted, and `finish` turns it into exit 2
/// with a message on standard error (when that still works).
public final class Console {
    public private(set) var out = ""
    public private(set) var err = ""
    let collect: Bool
    /// Why standard output failed, if it did.
    public private(set) var outputFailure: String?
    /// The reader went away (EPIPE with SIGPIPE ignored): quiet, like `| head`.
    private var readerLeft = false
    private var errorFailed = false
    /// CSV and TSV cells exactly as in the data, formulas included (`--raw`).
    public var rawCells = false
    /// Standard output is a terminal: control characters are shown, not sent.
    let stdoutIsTerminal: Bool

    public init(collect: Bool) {
        self.collect = collect
        stdoutIsTerminal = !collect && isatty(STDOUT_FILENO) != 0
    }

    public func print(_ s: String, terminator: String = "\n") {
        if collect { out += s + terminator; return }
        guard outputFailure == nil else { return }
        // CSV in a terminal (`.mode csv`) must not carry escape sequences from data to the screen.
        let text = stdoutIsTerminal ? TerminalText.screen(s + terminator) : s + terminator
        if let e = Output.write(STDOUT_FILENO, text) {
            readerLeft = e == EPIPE
            outputFailure = String(cString: strerror(e))
        }
    }

    /// Whether a long answer is written as it is made (`RowStream`): not to
    /// a terminal, where output goes through `print`'s screening.
    var streams: Bool { collect || !stdoutIsTerminal }

    /// Bytes as they are, for a streamed answer: false once the output has
    /// failed, so the writer stops.
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if collect { out += String(decoding: bytes, as: UTF8.self); return true }
        guard outputFailure == nil else { return false }
        if let e = Output.write(STDOUT_FILENO, bytes) {
            readerLeft = e == EPIPE
            outputFailure = String(cString: strerror(e))
            return false
        }
        return true
    }

    public func error(_ s: String, terminator: String = "\n") {
        if collect { err += s + terminator; return }
        guard !errorFailed else { return }
        if Output.write(STDERR_FILENO, s + terminator) != nil { errorFailed = true }
    }

    public func report(_ error: Error, color: Bool = false) {
        self.error(DiagnosticRenderer.render(error.misqErrors, color: color), terminator: "")
    }

    /// Standard output was closed before misq started (`>&-`). The slot is
    /// filled with /dev/null so no file misq opens can become its output,
    /// and the run fails with exit 2.
    public func checkStreams() {
        guard !collect else { return }
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where !Output.isOpen(fd) {
            let null = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if null >= 0, null != fd { dup2(null, fd); close(null) }
            if fd == STDOUT_FILENO { outputFailure = "standard output is closed" }
            if fd == STDERR_FILENO { errorFailed = true }
        }
    }

    /// The exit code, once everything is written: a lost output is exit 2.
    public func finish(_ code: Int32) -> Int32 {
        // Readline writes its prompt through stdio: flush that too, and
        // close standard output so a deferred error (a network disk) shows.
        if !collect, outputFailure == nil {
            if fflush(stdout) != 0 || (close(STDOUT_FILENO) != 0 && errno != EINTR) {
                outputFailure = String(cString: strerror(errno))
            }
        }
        guard let failure = outputFailure else { return code }
        if !readerLeft { error("error: could not write the output: \(failure)") }
        return 2
    }
}
