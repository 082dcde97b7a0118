#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What lets the column cache trust a file without reading it, and where
/// it may write. The threat model is described on `ColumnCache`.
enum CacheTrust {
    /// Nanoseconds since 1970 by the clock file times are stamped with.
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return UInt64(truncatingIfNeeded: t.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: t.tv_nsec)
    }

    /// A file changed less than this before it was read may change again
    /// within the same tick of the kernel's coarse clock and keep its ctime
    /// (the "racy" case git's index has): such a CSV's contents are hashed,
    /// and the hash checked while it stays this young.
    /// A variable only so tests can turn the racy case off and exercise the
    /// fingerprint alone.
    nonisolated(unsafe) static var racyNanoseconds: UInt64 = 2_000_000_000

    // MARK: the key

    /// The user's cache folder: `$XDG_CACHE_HOME/misq`, else `~/.cache/misq`.
    static func userFolder() -> String {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        return (env("XDG_CACHE_HOME") ?? ((env("HOME") ?? NSHomeDirectory()) + "/.cache")) + "/misq"
    }

    /// The user's secret MAC key (16 random bytes in `key` in the user's
    /// cache folder, readable by the user alone), made on first use. Nil if
    /// it cannot be read or made, or is not the user's own private file:
    /// then nothing is cached.
    static func secret() -> (UInt64, UInt64)? {
        let folder = userFolder()
        guard ensureFolder(folder, mode: 0o700) else { return nil }
        let path = folder + "/key"
        if let k = readSecret(path) { return k }
        // Made under a temporary name and linked in, so two processes
        // making it at once agree on one key.
        let tmp = AtomicFile.temporaryPath(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        var g = SystemRandomNumberGenerator()
        let words = [g.next() as UInt64, g.next() as UInt64]
        let ok = words.withUnsafeBytes { AtomicFile.writeAll(fd, $0) }
        close(fd)
        if ok { _ = link(tmp, path) }
        unlink(tmp)
        return readSecret(path)
    }

    static func readSecret(_ path: String) -> (UInt64, UInt64)? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid(), st.st_mode & 0o077 == 0,
              st.st_size == 16 else { return nil }
        var k: (UInt64, UInt64) = (0, 0)
        let n = withUnsafeMutableBytes(of: &k) { pread(fd, $0.baseAddress, 16, 0) }
        guard n == 16 else { return nil }
        return (UInt64(littleEndian: k.0), UInt64(littleEndian: k.1))
    }

    // MARK: folders

    /// Top-level folders of the system's own files: misq never makes a
    /// cache beside data there, even when it can (as root); it uses the
    /// user's cache folder.
    static let systemFolders: Set<String> = ["bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "opt", "proc",
                                             "run", "sbin", "srv", "sys", "usr", "var", "snap"]

    /// Whether `.misqcache` may be made in (or used from) the CSV's folder:
    /// the folder is the user's own, not writable by everyone (`/tmp`),
    /// and not a system folder.
    /// Decided on the folder as resolved (every symbolic link and `..`
    /// followed), not as written: `~/etclink/` may be `/etc`, and `..` from
    /// `/etc/ssl` is `/etc` even when `ssl` is a link elsewhere.
    static func mayCacheBeside(_ folder: String) -> Bool {
        guard let resolved = realpath(folder, nil) else { return false }
        let absolute = String(cString: resolved)
        free(resolved)
        let top = absolute.split(separator: "/").first.map(String.init) ?? ""
        if absolute == "/" || systemFolders.contains(top) { return false }
        var st = stat()
        guard stat(absolute, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == geteuid(), st.st_mode & 0o002 == 0 else { return false }
        return true
    }

    /// `path` is a folder of the user's, writable, not a symbolic link;
    /// made with `mode` (and its parents) if missing.
    static func ensureFolder(_ path: String, mode: mode_t) -> Bool {
        var st = stat()
        if lstat(path, &st) != 0 {
            let parent = PathText.folder(of: path)
            if parent != ".", parent != path, lstat(parent, &st) != 0 { _ = ensureFolder(parent, mode: 0o700) }
            guard mkdir(path, mode) == 0 || errno == EEXIST, lstat(path, &st) == 0 else { return false }
        }
        return (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == geteuid() && access(path, W_OK) == 0
    }

    /// Takes away from a CSV's cache folder, and every file in it, what
    /// the CSV's permissions no longer give (a CSV made 0600 after it was
    /// cached 0644 must not leave its labels readable by anyone). Only a
    /// stat when nothing changed: the folder's mode follows the CSV's read
    /// bits, so a folder with no extra bits has files with none.
    static func tighten(_ folder: String, folderMode: mode_t, fileMode: mode_t) {
        var st = stat()
        guard lstat(folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_mode & 0o077 & ~folderMode != 0 else { return }
        // The folder first: no one new gets in while its files are changed.
        _ = chmod(folder, st.st_mode & 0o7777 & (folderMode | 0o7700))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let path = folder + "/" + name
            var f = stat()
            guard lstat(path, &f) == 0, (f.st_mode & S_IFMT) == S_IFREG, f.st_mode & 0o077 & ~fileMode != 0 else { continue }
            _ = chmod(path, f.st_mode & 0o7777 & (fileMode | 0o7700))
        }
    }

    /// A folder's mode for cache files of a CSV with this mode: the user's,
    /// and searchable by group or others only where they may read the CSV.
    static func folderMode(csvMode: mode_t) -> mode_t {
        0o700 | (csvMode & 0o040 != 0 ? 0o050 : 0) | (csvMode & 0o004 != 0 ? 0o005 : 0)
    }

    // MARK: contents

    /// A keyed hash of a whole file's bytes, or nil if it cannot be read
    /// as a regular file.
    static func contentHash(_ path: String, key: (UInt64, UInt64)) -> UInt64? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var h = SipHash(key: key)
        let block = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 16)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let n = pread(fd, buffer.baseAddress, block, offset)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            h.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += off_t(n)
        }
        return h.finish()
    }
}
