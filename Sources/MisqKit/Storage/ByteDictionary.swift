/// Byte strings → dense codes, first-seen order. Keys are hashed straight
/// from the file's bytes, so a category column is encoded without making a
/// String per row; only distinct values become Strings. Written by hand
/// because swift-collections has no map keyed by borrowed byte ranges.
struct ByteDictionary {
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 64) {
        var cap = 16
        while cap < capacity * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    var count: Int { starts.count }

    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ len: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for k in 0..<len { h = (h ^ UInt64(p[k])) &* 0x100000001b3 }
        return h ^ (h >> 29)
    }

    /// The code of a byte string, adding it if new.
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ len: Int) -> UInt32 {
        let h = ByteDictionary.hash(p, len)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { break }
            let ei = Int(e)
            if hashes[ei] == h, lengths[ei] == len, equal(ei, p, len) { return UInt32(ei) }
            slot = (slot + 1) & mask
        }
        let code = starts.count
        starts.append(arena.count)
        lengths.append(len)
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: len))
        slots[slot] = Int32(code)
        if starts.count * 2 > slots.count { grow() }
        return UInt32(code)
    }

    mutating func code(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { var z: UInt8 = 0; return code(&z, 0) }
            return code(base, b.count)
        }
    }

    @inline(__always) private func equal(_ e: Int, _ p: UnsafePointer<UInt8>, _ len: Int) -> Bool {
        let s = starts[e]
        for k in 0..<len where arena[s + k] != p[k] { return false }
        return true
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }

    func bytes(_ code: Int) -> ArraySlice<UInt8> { arena[starts[code]..<(starts[code] + lengths[code])] }
    func string(_ code: Int) -> String { String(decoding: bytes(code), as: UTF8.self) }
}
