import CScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, memory-mapped read-only, or a copy held in memory (a
/// pipe, tests, the fuzzer). Mapping costs no copy and lets a scan hand
/// pages back as it passes them (`release`), so reading a 2 GB CSV does not
/// hold 2 GB.
///
/// A mapped file can change under the mapping. Truncating it makes the
/// pages past its new end raise SIGBUS; `mapguard.c` turns that into zero
/// pages and a flag, and `changed` reports the flag or any change to the
/// file's size or times since it was mapped, so a reader checks it after
/// each pass (and before one, so nothing is parsed from a stale mapping)
/// and reports the change instead of crashing or mixing two files.
package final class FileBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    private let mapped: Bool
    /// The open file behind a mapping (-1 otherwise), kept to ask whether
    /// it changed.
    private let descriptor: Int32
    private let guardSlot: Int32
    /// The file as it was when read; nil for bytes given in memory.
    let identity: FileFingerprint?
    /// Not a regular file (a pipe, a terminal, a device): read as a stream.
    let isStream: Bool

    var count: Int { buffer.count }

    package init(copying bytes: [UInt8]) {
        buffer = FileBytes.copy(bytes)
        mapped = false
        descriptor = -1
        guardSlot = -1
        identity = nil
        isStream = false
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer { b in if let src = b.baseAddress { p.initialize(from: src, count: b.count) } }
        return UnsafeBufferPointer(start: p, count: bytes.count)
    }

    /// `nulScan`: a stream stops being read once a NUL shows in its first
    /// `nulScan` bytes (a CSV is then refused for it, so /dev/zero is not
    /// read to the stream limit first).
    init(path: String, nulScan: Int? = nil) throws {
        let opened = try FileBytes.openFile(path)
        let fd = opened.descriptor, size = opened.size
        identity = opened.identity
        isStream = !opened.regular
        if size > 0, opened.regular, let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED {
            madvise(m, size, MADV_SEQUENTIAL)
            buffer = UnsafeBufferPointer(start: m.assumingMemoryBound(to: UInt8.self), count: size)
            mapped = true
            descriptor = fd
            guardSlot = misq_guard_register(m, size)
        } else {
            defer { close(fd) }
            // A regular file of size 0 may still have bytes (/proc): streamed.
            let bytes = opened.regular && size > 0
                ? try FileBytes.readAll(fd, size: size, path: path)
                : try FileBytes.readStream(fd, path: path, limit: FileBytes.streamLimit, nulScan: nulScan)
            buffer = FileBytes.copy(bytes)
            mapped = false
            descriptor = -1
            guardSlot = -1
        }
    }

    /// Whether the mapped file changed since it was mapped: truncated under
    /// a read (a SIGBUS was survived), or its size, modification or change
    /// time moved. Bytes in memory never change.
    var changed: Bool {
        guard mapped else { return false }
        if misq_guard_faulted(guardSlot) != 0 { return true }
        var st = stat()
        guard fstat(descriptor, &st) == 0 else { return true }
        return FileFingerprint(st) != identity
    }

    /// Most bytes read from a pipe or device, which is held in memory;
    /// tests lower it.
    nonisolated(unsafe) static var streamLimit = 1 << 30
    /// How long a named pipe is given for something to write to it before
    /// it is read anyway (a pipe with no writer then reads as empty, not a
    /// hang).
    nonisolated(unsafe) static var pipeWait: Int32 = 2000

    struct Opened {
        var descriptor: Int32
        var size: Int
        var regular: Bool
        var identity: FileFingerprint
    }

    /// An open descriptor for a file (not a folder), its size, and whether
    /// it is a regular file. The caller closes it. Opened without waiting:
    /// opening a named pipe otherwise blocks until something writes to it.
    static func openFile(_ path: String) throws -> Opened {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw MisqError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))",
                            suggestion: "check the path; a relative path in a file is read from the file's folder, at the prompt or with -e from the current folder")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw MisqError(.io, "cannot read '\(path)'") }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { close(fd); throw MisqError(.io, "'\(path)' is a folder, not a file") }
        if kind == S_IFIFO {
            // Give a writer a moment to turn up and write; after that a
            // pipe with none reads as empty rather than waiting for ever.
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, pipeWait)
        }
        // Reads from here block as usual (a terminal, a pipe being written).
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return Opened(descriptor: fd, size: Int(st.st_size), regular: kind == S_IFREG, identity: FileFingerprint(st))
    }

    /// All of an open file's bytes, in one allocation.
    static func readAll(_ fd: Int32, size: Int, path: String) throws -> [UInt8] {
        var failed = false
        let data = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            guard let base = buf.baseAddress else { initialized = 0; return }
            var got = 0
            while got < size {
                let n = read(fd, base + got, size - got)
                if n <= 0 { if n < 0 { failed = true }; break }
                got += n
            }
            initialized = got
        }
        if failed { throw MisqError(.io, "error reading '\(path)': \(String(cString: strerror(errno)))") }
        return data
    }

    /// A pipe's or device's bytes to its end, at most `limit` of them.
    static func readStream(_ fd: Int32, path: String, limit: Int, nulScan: Int? = nil) throws -> [UInt8] {
        var data: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var nulChecked = 0
        while true {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MisqError(.io, "error reading '\(path)': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            guard data.count + n <= limit else {
                throw MisqError(.io, "'\(path)' is a pipe or device giving more than \(ByteLimit.text(limit)); misq holds such a stream in memory",
                                suggestion: "save it to a file and read that")
            }
            data.append(contentsOf: block[0..<n])
            if let scan = nulScan, nulChecked < scan {
                let upTo = min(scan, data.count)
                if data[nulChecked..<upTo].contains(0) { break }
                nulChecked = upTo
            }
        }
        return data
    }

    deinit {
        guard let base = buffer.baseAddress else { return }
        if mapped {
            misq_guard_unregister(guardSlot)
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
            close(descriptor)
        } else { base.deallocate() }
    }

    /// Maps the pages of `range` in one call (MADV_POPULATE_READ, Linux
    /// 5.14) before a pass touches them again, rather than a page fault per
    /// 64 KB; a kernel without it faults them in as before.
    func populate(_ range: Range<Int>) {
        guard mapped, let base = buffer.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = range.lowerBound / page * page, hi = min(buffer.count, range.upperBound)
        if hi > lo { _ = madvise(UnsafeMutableRawPointer(mutating: base + lo), hi - lo, 22 /* MADV_POPULATE_READ */) }
    }

    /// Drop the pages wholly inside `range` from this process's memory; the
    /// kernel reads them back from its page cache if they are touched again.
    func release(_ range: Range<Int>) {
        guard mapped, let base = buffer.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = (range.lowerBound + page - 1) / page * page, hi = range.upperBound / page * page
        if hi > lo { madvise(UnsafeMutableRawPointer(mutating: base + lo), hi - lo, MADV_DONTNEED) }
    }
}


/// Sizes in messages about limits.
enum ByteLimit {
    static func text(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}
