import CScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column's fixed-width values (codes, day numbers, doubles), either
/// written by the column builder or read in place from a memory-mapped
/// cache file. Written by hand because a Swift Array cannot wrap memory it
/// did not allocate, and copying a cached column out of its mapping costs
/// more than the query that reads it (40 MB per column at 10M rows).
///
/// Immutable once made, so it is safe to share across threads. Element
/// access is unchecked in release builds, like `UnsafeBufferPointer`: every
/// index comes from a loop over the column's own rows.
public struct ColumnValues<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    let base: UnsafePointer<Element>?
    public let count: Int
    /// Keeps the memory alive: an owned allocation or a file mapping.
    let owner: AnyObject?

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always) public subscript(i: Int) -> Element {
        UnsafeBufferPointer(start: base, count: count)[i]
    }

    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }

    init(base: UnsafePointer<Element>?, count: Int, owner: AnyObject?) {
        self.base = base
        self.count = count
        self.owner = owner
    }

    /// `count` values written by `body` into fresh memory; `body` must
    /// initialise all of them.
    init(count: Int, initializingWith body: (UnsafeMutablePointer<Element>) throws -> Void) rethrows {
        let storage = OwnedMemory(bytes: count * MemoryLayout<Element>.stride, alignment: MemoryLayout<Element>.alignment)
        let p = storage.pointer.bindMemory(to: Element.self, capacity: Swift.max(1, count))
        try body(p)
        self.init(base: UnsafePointer(p), count: count, owner: storage)
    }

    public init(_ values: some Collection<Element>) {
        let n = values.count
        self.init(count: n) { p in
            var i = 0
            for v in values where i < n { (p + i).initialize(to: v); i += 1 }
        }
    }
}

extension ColumnValues: Equatable where Element: Equatable {
    public static func == (a: ColumnValues, b: ColumnValues) -> Bool { a.elementsEqual(b) }
}

/// Memory allocated for a column, freed with the last column using it.
final class OwnedMemory: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer

    init(bytes: Int, alignment: Int) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes), alignment: max(8, alignment))
    }

    deinit { pointer.deallocate() }
}

/// A whole file mapped read-only, unmapped when no column reads it.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// The mapped file's, from its descriptor.
    let fingerprint: FileFingerprint

    /// Nil when the file cannot be opened or mapped (missing, empty, not a
    /// regular file): the caller treats that as "not cached". Opened
    /// without blocking and not through a link, so a FIFO or a device put
    /// in its place is refused, not waited on.
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return nil }
        fingerprint = FileFingerprint(st)
        let size = Int(st.st_size)
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: m, count: size)
        // A cache file truncated while mapped (by hand, or another misq
        // rewriting it in place) would kill the process with SIGBUS on the
        // next read of a page past its end; the guard maps zeros there
        // instead and records it, and the query is run again from the CSV
        // (`Executor.run`, `ColumnCache.faulted`).
        guardSlot = misq_guard_register(m, size)
    }

    private let guardSlot: Int32

    /// Whether a read past the file's end (it was truncated) was survived:
    /// what was read from it since may be zeros, not the cache.
    var faulted: Bool { misq_guard_faulted(guardSlot) != 0 }

    deinit {
        misq_guard_unregister(guardSlot)
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
