#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte strings → dense codes, first-seen order. Keys are hashed straight
/// from the file's bytes, so a category column is encoded without making a
/// String per row; only distinct values become Strings. Written by hand
/// because swift-collections has no map keyed by borrowed byte ranges.
struct ByteDictionary {
    private(set) var arena: [UInt8] = []
    /// Entry e is arena[starts[e] ..< starts[e + 1]]: one offset per entry
    /// and a last one, no separate lengths (an id column's chunk
    /// dictionaries hold about one entry per row).
    private(set) var starts: [Int] = [0]
    /// 32 bits a key: slots use the low bits, merge partitions the top six.
    private var hashes: [UInt32] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 64) {
        var cap = 16
        while cap < capacity * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    var count: Int { starts.count &- 1 }

    @inline(__always) func length(_ e: Int) -> Int { starts[e &+ 1] &- starts[e] }

    /// Eight bytes per step: field values are mostly longer than a word.
    /// The last partial word is the remaining bytes, zero-padded; when
    /// `wordPastEnd` says eight bytes may be read there (a field inside a
    /// file, not at its very end), it is one load and a mask instead of a
    /// byte loop. Only ever held in memory, so it may change freely.
    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ len: Int, wordPastEnd: Bool = false) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: len)
        var k = 0
        while k &+ 8 <= len {
            h = (h ^ UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k &+= 8
        }
        var tail: UInt64 = 0
        let rest = len &- k
        if rest > 0, wordPastEnd {
            tail = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self) & ((UInt64(1) &<< UInt64(rest &* 8)) &- 1)
        } else {
            var shift: UInt64 = 0
            while k < len { tail |= UInt64(p[k]) << shift; shift &+= 8; k &+= 1 }
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return UInt32(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The code of a byte string, adding it if new. `wordPastEnd`: eight
    /// bytes may be read from any point of the string (see `hash`).
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ len: Int, wordPastEnd: Bool = false) -> UInt32 {
        code(p, len, hash: ByteDictionary.hash(p, len, wordPastEnd: wordPastEnd))
    }

    /// The code in this dictionary of another one's entry, reusing its hash:
    /// merging chunk dictionaries hashes nothing twice.
    mutating func code(of entry: Int, in other: ByteDictionary) -> UInt32 {
        other.arena.withUnsafeBufferPointer { a in
            guard let base = a.baseAddress else { var z: UInt8 = 0; return code(&z, 0, hash: other.hashes[entry]) }
            return code(base + other.starts[entry], other.length(entry), hash: other.hashes[entry])
        }
    }

    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ len: Int, hash h: UInt32) -> UInt32 {
        if slots.isEmpty { rehash(capacity: max(16, 1 << (64 - (count * 2).leadingZeroBitCount))) }  // frozen
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { break }
            let ei = Int(e)
            if hashes[ei] == h, length(ei) == len, equal(ei, p, len) { return UInt32(ei) }
            slot = (slot + 1) & mask
        }
        let code = count
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: len))
        starts.append(arena.count)
        slots[slot] = Int32(code)
        if count * 2 > slots.count { grow() }
        return UInt32(code)
    }

    mutating func code(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { var z: UInt8 = 0; return code(&z, 0) }
            return code(base, b.count)
        }
    }

    @inline(__always) private func equal(_ e: Int, _ p: UnsafePointer<UInt8>, _ len: Int) -> Bool {
        arena.withUnsafeBufferPointer { a in
            guard len > 0, let base = a.baseAddress else { return true }
            return ByteDictionary.same(base + starts[e], p, len)
        }
    }

    /// Byte equality. Most values (ids, codes, dates) fit in two words:
    /// compared inline rather than through a call to memcmp.
    @inline(__always) static func same(_ q: UnsafePointer<UInt8>, _ p: UnsafePointer<UInt8>, _ len: Int) -> Bool {
        if len <= 16 {
            var k = 0
            while k &+ 8 <= len {
                if UnsafeRawPointer(q + k).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self) { return false }
                k &+= 8
            }
            while k < len { if q[k] != p[k] { return false }; k &+= 1 }
            return true
        }
        return memcmp(q, p, len) == 0
    }

    private mutating func grow() { rehash(capacity: slots.count * 2) }

    private mutating func rehash(capacity cap: Int) {
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }

    /// Drops the hash table once no more keys will be added: the entries,
    /// hashes and `code(of:in:)` lookups from other dictionaries remain. A
    /// finished chunk's id column keeps about one entry per row, and its
    /// table was a third of that memory.
    mutating func freeze() {
        slots = []
        mask = 0
    }

    /// Raw pointers to the entries, for the parallel merge, which reads
    /// many dictionaries at once: going through the arrays would retain
    /// them on every access. Valid while this dictionary is alive and not
    /// changed; the merge holds them (`withExtendedLifetime`) and only reads.
    struct View {
        let arena: UnsafePointer<UInt8>?
        /// Entry j is arena[starts[j] ..< starts[j + 1]].
        let starts: UnsafePointer<Int>?
        let hashes: UnsafePointer<UInt32>?
    }

    var view: View {
        View(arena: arena.withUnsafeBufferPointer { $0.baseAddress }, starts: starts.withUnsafeBufferPointer { $0.baseAddress },
             hashes: hashes.withUnsafeBufferPointer { $0.baseAddress })
    }

    /// The stored hash of entry `code`.
    @inline(__always) func hash(_ code: Int) -> UInt32 { hashes[code] }

    func bytes(_ code: Int) -> ArraySlice<UInt8> { arena[starts[code]..<starts[code + 1]] }
    func string(_ code: Int) -> String { String(decoding: bytes(code), as: UTF8.self) }
}
