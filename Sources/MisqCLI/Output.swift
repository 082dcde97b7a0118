#if canImport(Glibc)
import Glibc
#endif

/// Writes to a file descriptor with write(2). Foundation's FileHandle.write
/// traps on any failure, and a terminal can fail a write: EAGAIN when it is
/// non-blocking and full, EIO once it has gone away. Here EINTR and EAGAIN
/// are retried; any other error stops the write and is returned, so the
/// caller can make it an error (a full disk must not look like success).
enum Output {
    /// nil when every byte was written, else the errno that stopped it.
    @discardableResult
    static func write(_ fd: Int32, _ text: String) -> Int32? {
        Array(text.utf8).withUnsafeBytes { write(fd, $0) }
    }

    /// nil when every byte was written, else the errno that stopped it.
    @discardableResult
    static func write(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32? {
        guard let base = raw.baseAddress else { return nil }
        var offset = 0
        var waits = 0
        while offset < raw.count {
            let n = Glibc.write(fd, base + offset, raw.count - offset)
            if n > 0 { offset += n; waits = 0; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waits < 600 {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, 100)
                waits += 1
                continue
            }
            return n < 0 ? errno : EIO
        }
        return nil
    }

    /// Whether `fd` is open. A process started with `>&-` has no standard
    /// output, and the first file it opens would take descriptor 1.
    static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) != -1 }
}
