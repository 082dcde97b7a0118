#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A file as `stat` sees it: which file (device, inode) and which version of
/// it (size, modification and status-change times to the nanosecond). A
/// change of any means the bytes may have changed. One type serves both the
/// column cache (which keeps it in its metadata, `words`) and a dataset
/// asking whether its file changed since it was read.
///
/// The change time (ctime) is set by the kernel on every write, truncation,
/// rename, chmod or utimes, and cannot be set back by a user (`touch -r`,
/// `cp -p`, a checkout restore the modification time, not this); with the
/// inode, device and size it says a file has not changed since it was seen.
struct FileFingerprint: Equatable, Sendable {
    var device: UInt64, inode: UInt64, size: UInt64
    var modified: UInt64, changed: UInt64

    init(_ st: stat) {
        device = UInt64(truncatingIfNeeded: st.st_dev)
        inode = UInt64(truncatingIfNeeded: st.st_ino)
        size = UInt64(truncatingIfNeeded: st.st_size)
        modified = UInt64(truncatingIfNeeded: st.st_mtim.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: st.st_mtim.tv_nsec)
        changed = UInt64(truncatingIfNeeded: st.st_ctim.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: st.st_ctim.tv_nsec)
    }

    init(device: UInt64, inode: UInt64, size: UInt64, modified: UInt64, changed: UInt64) {
        (self.device, self.inode, self.size, self.modified, self.changed) = (device, inode, size, modified, changed)
    }

    var words: [UInt64] { [device, inode, size, modified, changed] }

    /// The file at `path` now; nil if it cannot be seen.
    static func of(_ path: String) -> FileFingerprint? {
        var st = stat()
        return stat(path, &st) == 0 ? FileFingerprint(st) : nil
    }
}
