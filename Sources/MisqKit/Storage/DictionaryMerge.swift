import Dispatch
import Foundation

/// Merges the chunk dictionaries of one column into one, on all cores,
/// keeping first-appearance order: the merged codes are exactly those of
/// inserting every chunk's entries, chunk by chunk, into one dictionary.
///
/// An id column (officer_id at 10M rows: 2M values, 10M chunk entries) is
/// too slow to merge on one core through one table that does not fit in
/// cache. So entries are split by hash into partitions, each merged by one
/// worker through its own small dictionary; a prefix sum over the chunks' counts of
/// new values then gives every value its code in first-appearance order.
enum DictionaryMerge {
    /// Entries in all chunks below which the one-table merge is as fast.
    static let parallelFrom = 1 << 16

    /// For each chunk, its codes → merged codes; and the merged labels.
    static func merge(_ dicts: [ByteDictionary]) -> (remaps: [[UInt32]], labels: [String]) {
        let total = dicts.reduce(0) { $0 + $1.count }
        if total < parallelFrom || Parallel.cores < 2 { return sequential(dicts) }
        return parallel(dicts)
    }

    static func sequential(_ dicts: [ByteDictionary]) -> (remaps: [[UInt32]], labels: [String]) {
        let largest = dicts.map(\.count).max() ?? 16
        var global = ByteDictionary(capacity: largest * 2)
        let remaps = dicts.map { d in (0..<d.count).map { global.code(of: $0, in: d) } }
        return (remaps, (0..<global.count).map { global.string($0) })
    }

    static let partitionBits = 6
    /// Set in an entry's id within its partition where the value first appears.
    static let firstBit: UInt32 = 1 << 31

    /// Merges partition `p`'s entries, chunk by chunk, through the
    /// partition's own dictionary, which holds a copy of each value:
    /// comparing against a compact arena stays in cache, comparing against
    /// the chunk it came from does not. Writes each entry's id to `out`;
    /// returns the partition's count of values.
    static func mergePartition(_ p: Int, _ views: [ByteDictionary.View], _ order: [[UInt32]], _ starts: [[Int]], _ offset: [Int],
                               into out: UnsafeMutableBufferPointer<UInt32>) -> Int {
        var table = ByteDictionary(capacity: 1 << 9)
        for c in views.indices {
            let v = views[c], o = order[c], lo = starts[c][p], hi = starts[c][p + 1]
            guard let hashes = v.hashes, let st = v.starts else { continue }
            for k in lo..<hi {
                let j = Int(o[k])
                let before = table.count
                // No arena: the chunk's one entry is the empty value.
                let id: UInt32
                if let a = v.arena { id = table.code(a + st[j], st[j &+ 1] &- st[j], hash: hashes[j]) } else { id = table.code([]) }
                out[offset[c] + j] = Int(id) == before ? id | firstBit : id
            }
        }
        return table.count
    }
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
        // partition, flagged where the value first appears. One flat array,
        // entry j of chunk c at offset[c] + j, so workers write disjoint
        // elements through one pointer.
        var offset = [Int](repeating: 0, count: chunks + 1)
        for c in 0..<chunks { offset[c + 1] = offset[c] + dicts[c].count }
        var local = [UInt32](repeating: 0, count: offset[chunks])
        var partitionSize = [Int](repeating: 0, count: parts)
        let views = dicts.map(\.view)
        withExtendedLifetime(dicts) {
            local.withUnsafeMutableBufferPointer { out in
                partitionSize.withUnsafeMutableBufferPointer { sizes in
                    DispatchQueue.concurrentPerform(iterations: parts) { p in
                        sizes[p] = mergePartition(p, views, order, starts, offset, into: out)
                    }
                }
            }
        }
        order = []  // 4 bytes an entry, not needed again
        // Codes in first-appearance order: each chunk's new values start
        // after all earlier chunks' new values.
        var base = [Int](repeating: 0, count: chunks + 1)
        for c in 0..<chunks { base[c + 1] = base[c] + local[offset[c]..<offset[c + 1]].reduce(0) { $0 + Int($1 >> 31) } }
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
                    for j in 0..<d.count where local[offset[c] + j] & firstBit != 0 {
                        globalOut[partitionStart[partition(d.hash(j))] + Int(local[offset[c] + j] & ~firstBit)] = UInt32(g)
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
                out[c] = (0..<d.count).map { j in global[partitionStart[partition(d.hash(j))] + Int(local[offset[c] + j] & ~firstBit)] }
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
