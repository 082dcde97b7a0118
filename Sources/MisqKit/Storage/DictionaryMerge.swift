import Dispatch
import Foundation

/// Merges the chunk dictionaries of one column into one, on all cores,
/// keeping first-appearance order: the merged codes are exactly those of
/// inserting every chunk's entries, chunk by chunk, into one dictionary.
///
/// An id column (officer_id at 10M rows: 2M values, 10M chunk entries) is
/// too slow to merge on one core through one table that does not fit in
/// cache. So entries are split by hash into partitions, each merged by one
/// worker through a small table; a prefix sum over the chunks' counts of
/// new values then gives every value its code in first-appearance order.
enum DictionaryMerge {
    /// Entries in all chunks below which the one-table merge is as fast.
    static let parallelFrom = 1 << 16

    /// For each chunk, its codes → merged codes; and the merged labels.
    static func merge(_ dicts: [ByteDictionary]) -> (remaps: [[UInt32]], labels: [String]) {
        let total = dicts.reduce(0) { $0 + $1.count }
        if total < parallelFrom || ProcessInfo.processInfo.activeProcessorCount < 2 { return sequential(dicts) }
        return parallel(dicts)
    }

    static func sequential(_ dicts: [ByteDictionary]) -> (remaps: [[UInt32]], labels: [String]) {
        let largest = dicts.map(\.count).max() ?? 16
        var global = ByteDictionary(capacity: largest * 2)
        let remaps = dicts.map { d in (0..<d.count).map { global.code(of: $0, in: d) } }
        return (remaps, (0..<global.count).map { global.string($0) })
    }

    static let partitionBits = 6
    @inline(__always) static func partition(_ h: UInt32) -> Int { Int(truncatingIfNeeded: h >> UInt32(32 - partitionBits)) }

    static func parallel(_ dicts: [ByteDictionary]) -> (remaps: [[UInt32]], labels: [String]) {
        let chunks = dicts.count, parts = 1 << partitionBits
        // Per chunk: its entries grouped by partition (counting sort), with
        // each partition's start.
        var order = [[UInt32]](repeating: [], count: chunks)
        var starts = [[Int]](repeating: [], count: chunks)
        order.withUnsafeMutableBufferPointer { order in
            starts.withUnsafeMutableBufferPointer { starts in
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let d = dicts[c]
                    var counts = [Int](repeating: 0, count: parts + 1)
                    for j in 0..<d.count { counts[partition(d.hash(j)) + 1] += 1 }
                    for p in 0..<parts { counts[p + 1] += counts[p] }
                    var fill = counts
                    var o = [UInt32](repeating: 0, count: d.count)
                    for j in 0..<d.count { let p = partition(d.hash(j)); o[fill[p]] = UInt32(j); fill[p] += 1 }
                    order[c] = o
                    starts[c] = counts
                }
            }
        }
        // Per partition, in chunk order: each entry's id within the
        // partition, and whether this is the value's first appearance.
        // Flat arrays, entry j of chunk c at offset[c] + j, so workers write
        // disjoint elements through one pointer.
        var offset = [Int](repeating: 0, count: chunks + 1)
        for c in 0..<chunks { offset[c + 1] = offset[c] + dicts[c].count }
        let total = offset[chunks]
        var local = [UInt32](repeating: 0, count: total)
        var isNew = [UInt8](repeating: 0, count: total)
        var partitionSize = [Int](repeating: 0, count: parts)
        let viewArray = dicts.map(\.view)
        withExtendedLifetime(dicts) {
            viewArray.withUnsafeBufferPointer { views in
                local.withUnsafeMutableBufferPointer { localOut in
                    isNew.withUnsafeMutableBufferPointer { newOut in
                        partitionSize.withUnsafeMutableBufferPointer { sizes in
                            DispatchQueue.concurrentPerform(iterations: parts) { p in
                                var table = PartitionTable(views)
                                for c in 0..<chunks {
                                    let o = order[c], lo = starts[c][p], hi = starts[c][p + 1]
                                    for k in lo..<hi {
                                        let j = Int(o[k])
                                        let (id, added) = table.insert(chunk: c, entry: j)
                                        localOut[offset[c] + j] = id
                                        if added { newOut[offset[c] + j] = 1 }
                                    }
                                }
                                sizes[p] = table.count
                            }
                        }
                    }
                }
            }
        }
        order = []  // 4 bytes an entry, not needed again
        // Codes in first-appearance order: each chunk's new values start
        // after all earlier chunks' new values.
        var base = [Int](repeating: 0, count: chunks + 1)
        for c in 0..<chunks { base[c + 1] = base[c] + isNew[offset[c]..<offset[c + 1]].reduce(0) { $0 + Int($1) } }
        let distinct = base[chunks]
        var partitionStart = [Int](repeating: 0, count: parts + 1)
        for p in 0..<parts { partitionStart[p + 1] = partitionStart[p] + partitionSize[p] }
        var global = [UInt32](repeating: 0, count: partitionStart[parts])
        var firsts = [(chunk: Int32, entry: Int32)](repeating: (0, 0), count: distinct)
        global.withUnsafeMutableBufferPointer { globalOut in
            firsts.withUnsafeMutableBufferPointer { firsts in
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let d = dicts[c]
                    var g = base[c]
                    for j in 0..<d.count where isNew[offset[c] + j] != 0 {
                        globalOut[partitionStart[partition(d.hash(j))] + Int(local[offset[c] + j])] = UInt32(g)
                        firsts[g] = (Int32(c), Int32(j))
                        g += 1
                    }
                }
            }
        }
        var remaps = [[UInt32]](repeating: [], count: chunks)
        remaps.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let d = dicts[c]
                out[c] = (0..<d.count).map { j in global[partitionStart[partition(d.hash(j))] + Int(local[offset[c] + j])] }
            }
        }
        // Labels from the chunk where each value first appeared.
        let labels = [String](unsafeUninitializedCapacity: distinct) { buf, initialized in
            guard let out = buf.baseAddress else { initialized = 0; return }
            let step = 1 << 14
            DispatchQueue.concurrentPerform(iterations: (distinct + step - 1) / step) { b in
                for g in (b * step)..<min(distinct, (b + 1) * step) {
                    let f = firsts[g]
                    (out + g).initialize(to: dicts[Int(f.chunk)].string(Int(f.entry)))
                }
            }
            initialized = distinct
        }
        return (remaps, labels)
    }

}

/// One partition's table: entries of the chunk dictionaries, compared by
/// hash then bytes, each with an id in order of insertion. Each value's
/// bytes are copied into the table's own arena: comparing against a compact
/// arena stays in cache, comparing against the chunk it came from does not.
private struct PartitionTable {
    let views: UnsafeBufferPointer<ByteDictionary.View>
    private var slots: [Int32]
    private var refs: [(hash: UInt32, start: Int, count: Int)] = []
    private var arena: [UInt8] = []
    private var mask: Int

    init(_ views: UnsafeBufferPointer<ByteDictionary.View>) {
        self.views = views
        slots = [Int32](repeating: -1, count: 1 << 10)
        mask = (1 << 10) - 1
    }

    var count: Int { refs.count }

    mutating func insert(chunk c: Int, entry j: Int) -> (UInt32, Bool) {
        let v = views[c]
        guard let hashes = v.hashes, let starts = v.starts else { return (0, false) }
        let h = hashes[j], len = starts[j &+ 1] &- starts[j]
        var slot = Int(truncatingIfNeeded: h) & mask
        let found: Int32? = arena.withUnsafeBufferPointer { a in
            while true {
                let e = slots[slot]
                if e < 0 { return nil }
                let r = refs[Int(e)]
                if r.hash == h, r.count == len {
                    if len == 0 { return e }
                    if let mine = a.baseAddress, let theirs = v.arena, ByteDictionary.same(mine + r.start, theirs + starts[j], len) { return e }
                }
                slot = (slot + 1) & mask
            }
        }
        if let e = found { return (UInt32(e), false) }
        let id = refs.count
        refs.append((h, arena.count, len))
        if let src = v.arena { arena.append(contentsOf: UnsafeBufferPointer(start: src + starts[j], count: len)) }
        slots[slot] = Int32(id)
        if refs.count * 2 > slots.count { grow() }
        return (UInt32(id), true)
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for (e, r) in refs.enumerated() {
            var slot = Int(truncatingIfNeeded: r.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }
}
