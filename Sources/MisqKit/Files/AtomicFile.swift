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
        try write(to: path) { fd in bytes.withUnsafeBytes { writeAll(fd, $0) } }
    }

    /// Writes `path` through a descriptor on a temporary file beside it:
    /// `body` writes and says whether it succeeded; the file is then
    /// renamed over `path`, or removed.
    static func write(to path: String, _ body: (Int32) -> Bool) throws {
        // A device, FIFO or socket (`--junit /dev/stdout`, `/dev/full`) is
        // written in place: renaming over it would replace the device node
        // with a plain file (as root, in /dev) and hide a failed write.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            // Non-blocking to open, so a FIFO with no reader is an error, not a hang.
            let fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { throw MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            let ok = body(fd)
            let reason = String(cString: strerror(errno))
            close(fd)
            if !ok { throw MisqError(.io, "cannot write \(path): \(reason)") }
            return
        }
        try write(to: path, mode: 0o644, group: nil, body)
    }

    /// As above, always through a temporary file and a rename (the cache's
    /// files: a device or FIFO in their place is replaced, never written
    /// into), the file made with `mode` (less the umask) and, when
    /// `group` is given and not the process's, given to that group if the
    /// user may (else the group's permissions are dropped). Returns the
    /// written file's status after the rename, taken from its descriptor,
    /// so it is the file this call wrote whatever else happens to `path`.
    @discardableResult
    static func write(to path: String, mode: mode_t, group: gid_t?, _ body: (Int32) -> Bool) throws -> stat {
        let tmp = temporaryPath(for: path)
        // Exclusive and not through a link: nothing else owns this name.
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var made = stat()
        if let g = group, g != getegid(), fchown(fd, uid_t.max, g) != 0, fstat(fd, &made) == 0 {
            _ = fchmod(fd, made.st_mode & 0o707)
        }
        let ok = body(fd)
        let reason = String(cString: strerror(errno))
        if !ok { unlink(tmp); throw MisqError(.io, "cannot write \(path): \(reason)") }
        try commit(tmp, to: path)
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }
        return st
    }

    /// All of `bytes` to `fd`, retrying interrupted writes; false on an error.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    public static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }
}
