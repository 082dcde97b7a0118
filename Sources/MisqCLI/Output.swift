#if canImport(Glibc)
import Glibc
#endif

/// Writes to a file descriptor with write(2). Foundation's FileHandle.write
/// traps on any failure, and a terminal can fail a write: EAGAIN when it is
/// non-blocking and full, EIO once it has gone away. Here EINTR and EAGAIN
/// are retried, and any other error drops the rest of the output (the reader
/// is gone), so printing never crashes misq.
enum Output {
    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
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
                return
            }
        }
    }
}
