#if canImport(Glibc)
import Glibc
#endif

/// Every file misq writes (cache, history, JUnit reports, generated data)
/// goes to a temporary name beside it and is then renamed over the target,
/// so a reader never sees half a file and two writers leave one whole one.
public enum AtomicFile {
    /// A temporary name beside `path`, unique to this process and call.
    public static func temporaryPath(for path: String) -> String {
        path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// Moves a finished temporary file over `path`; removes it on failure.
    public static func commit(_ tmp: String, to path: String) throws {
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw MisqError(.io, "cannot write \(path): \(reason)")
        }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        let tmp = temporaryPath(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        var failed = false
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = Glibc.write(fd, base + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failed = true; return }
                done += n
            }
        }
        close(fd)
        if failed { unlink(tmp); throw MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        try commit(tmp, to: path)
    }

    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }
}
