import Foundation
import MisqKit
#if canImport(Glibc)
import Glibc
#endif

/// The REPL's history on disk: one statement a line (line breaks inside a
/// statement stored as `\n`), the last `limit` kept, each once.
///
/// Several sessions share the file, so every entry is added by a locked
/// read–merge–write: what other sessions added since is kept, in the order
/// it was typed. The file is replaced by renaming a finished temporary
/// file over it (a crash never leaves half a history), beside the file a
/// symlink points to (the link stays a link), with the file's own mode
/// (0600 for a new one: statements can name people and cases).
public struct HistoryFile {
    public let path: String
    public static let limit = 1000

    public init(path: String) { self.path = path }

    /// `$MISQ_HISTORY`, else `.misq_history` in `$HOME`, else in the
    /// account's home folder.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["MISQ_HISTORY"], !p.isEmpty { return p }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".misq_history")
    }

    /// A history larger than this is not a history misq wrote (1000 lines):
    /// it is left alone rather than read into memory.
    public static let maxBytes = 8 << 20

    /// Why no history is kept at `path`, or nil when it can be: only a
    /// regular file (after symlinks) or a path where nothing is yet. A
    /// device or FIFO would be replaced by the rename, block the read or
    /// never end it (`/dev/null`, a pipe, `/dev/zero`).
    public func refusal() -> String? {
        let target = HistoryFile.resolvingLinks(path)
        var info = stat()
        if lstat(target, &info) != 0 {
            return errno == ENOENT ? nil : "history off: cannot read \(TerminalText.escape(target)): \(String(cString: strerror(errno)))"
        }
        return HistoryFile.refusal(info, target)
    }

    static func refusal(_ info: stat, _ target: String) -> String? {
        if info.st_mode & S_IFMT != S_IFREG { return "history off: \(TerminalText.escape(target)) is not a regular file" }
        if Int(info.st_size) > maxBytes { return "history off: \(TerminalText.escape(target)) is over \(maxBytes >> 20) MB" }
        return nil
    }

    /// The saved entries; none when `refusal()` says the path is not one
    /// misq keeps history in.
    public func load() -> [String] {
        guard refusal() == nil else { return [] }
        let fd = open(HistoryFile.resolvingLinks(path), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        // Checked again on what was opened: the path may have changed since.
        var info = stat()
        guard fstat(fd, &info) == 0, HistoryFile.refusal(info, path) == nil else { return [] }
        return Array(HistoryFile.decode(HistoryFile.readAll(fd)).suffix(HistoryFile.limit))
    }

    /// Adds `entry` as the newest line, dropping an earlier copy of it.
    public func append(_ entry: String) throws {
        if let why = refusal() { throw MisqError(.io, why) }
        let target = HistoryFile.resolvingLinks(path)
        var fd: Int32 = -1
        // Lock the file that is there now: after another session renames a
        // new file into place, a lock on the old one protects nothing.
        for _ in 0..<20 {
            fd = open(target, O_RDWR | O_CREAT | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw HistoryFile.failure(target) }
            var opened = stat()
            if fstat(fd, &opened) != 0 { let e = HistoryFile.failure(target); close(fd); throw e }
            if let why = HistoryFile.refusal(opened, target) { close(fd); throw MisqError(.io, why) }
            flock(fd, LOCK_EX)
            var held = stat(), now = stat()
            if fstat(fd, &held) == 0, stat(target, &now) == 0, held.st_ino == now.st_ino, held.st_dev == now.st_dev { break }
            close(fd); fd = -1
        }
        guard fd >= 0 else { throw MisqError(.io, "cannot lock \(target)") }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        var entries = HistoryFile.decode(HistoryFile.readAll(fd)).filter { $0 != entry }
        entries.append(entry)
        let text = entries.suffix(HistoryFile.limit).map(HistoryFile.encode).joined(separator: "\n") + "\n"

        let tmp = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw HistoryFile.failure(tmp) }
        fchmod(out, info.st_mode & 0o7777)
        let written = Array(text.utf8).withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return true }
            var done = 0
            while done < raw.count {
                let n = write(out, base + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        if !written { let e = HistoryFile.failure(tmp); close(out); unlink(tmp); throw e }
        close(out)
        if rename(tmp, target) != 0 { let e = HistoryFile.failure(target); unlink(tmp); throw e }
    }

    /// The file a chain of symlinks ends at (which need not exist yet).
    static func resolvingLinks(_ path: String) -> String {
        var p = path
        for _ in 0..<40 {
            guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: p) else { return p }
            p = dest.hasPrefix("/") ? dest : (PathText.folder(of: p) as NSString).appendingPathComponent(dest)
        }
        return p
    }

    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        lseek(fd, 0, SEEK_SET)
        while data.count <= maxBytes {
            let n = read(fd, &buf, buf.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        return data
    }

    static func failure(_ path: String) -> MisqError { MisqError(.io, "cannot write \(path): \(String(cString: strerror(errno)))") }

    static func decode(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").map { decode(String($0)) }
    }

    public static func encode(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n") }
    public static func decode(_ s: String) -> String {
        var out = "", escape = false
        for ch in s {
            if escape { out.append(ch == "n" ? "\n" : ch); escape = false } else if ch == "\\" { escape = true } else { out.append(ch) }
        }
        return out
    }
}
