import Foundation
import MisqKit

/// `.output FILE` and `.once FILE` at the prompt (and in piped input): the
/// results that follow are written to a file instead of the screen, as
/// sqlite3's and DuckDB's `.output` and `.once` do. The file is emptied
/// when opened, like theirs, and every write is checked: a full disk is an
/// error at the prompt, not a result that silently went nowhere.
final class ResultFile {
    let path: String
    /// `.once`: closed after the next statement (or `.last`).
    let once: Bool
    private var fd: Int32
    /// Results written so far, and since the last statement ended.
    private(set) var results = 0
    var sinceStatement = 0

    init(path: String, once: Bool) throws {
        self.path = path; self.once = once
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))",
                            suggestion: "give a file in a folder you can write, e.g. .output answers.csv")
        }
    }

    /// One result's text; a blank line stands between results, as in `misq run`.
    func write(_ text: String) throws {
        guard fd >= 0 else { throw MisqError(.io, "\(path) is closed") }
        if let e = Output.write(fd, (results > 0 ? "\n" : "") + text) {
            throw MisqError(.io, "could not write to \(path): \(String(cString: strerror(e)))")
        }
        results += 1; sinceStatement += 1
    }

    /// Closes the file; the error of a write the system had deferred.
    func close() throws {
        guard fd >= 0 else { return }
        let r = Glibc.close(fd)
        fd = -1
        if r != 0 { throw MisqError(.io, "could not finish writing \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }
}
