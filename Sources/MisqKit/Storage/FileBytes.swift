#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, memory-mapped read-only, or a copy held in memory (tests,
/// the fuzzer). Mapping costs no copy and lets a scan hand pages back as it
/// passes them (`release`), so reading a 2 GB CSV does not hold 2 GB.
final class FileBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    var count: Int { buffer.count }

    init(copying bytes: [UInt8]) {
        buffer = FileBytes.copy(bytes)
        mapped = false
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer { b in if let src = b.baseAddress { p.initialize(from: src, count: b.count) } }
        return UnsafeBufferPointer(start: p, count: bytes.count)
    }

    init(path: String) throws {
        let (fd, size, regular) = try FileBytes.openFile(path)
        defer { close(fd) }
        // Pipes and other unmappable files are read into memory instead.
        if size > 0, regular, let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED {
            madvise(m, size, MADV_SEQUENTIAL)
            buffer = UnsafeBufferPointer(start: m.assumingMemoryBound(to: UInt8.self), count: size)
            mapped = true
        } else {
            buffer = FileBytes.copy(try FileBytes.readAll(fd, size: size, path: path))
            mapped = false
        }
    }

    /// An open descriptor for a file (not a folder), its size, and whether
    /// it is a regular file. The caller closes it.
    static func openFile(_ path: String) throws -> (Int32, Int, Bool) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw MisqError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))",
                            suggestion: "check the path; paths are relative to the current folder")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw MisqError(.io, "cannot read '\(path)'") }
        if (st.st_mode & S_IFMT) == S_IFDIR { close(fd); throw MisqError(.io, "'\(path)' is a folder, not a CSV file") }
        return (fd, Int(st.st_size), (st.st_mode & S_IFMT) == S_IFREG)
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

    deinit {
        guard let base = buffer.baseAddress else { return }
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) } else { base.deallocate() }
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
