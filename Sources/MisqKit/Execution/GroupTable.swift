/// Each group's key codes, one flat array for all groups (a group is
/// `width` codes in a row): 700,000 groups by officer and outcome are one
/// allocation, not 700,000.
struct GroupKeyTable {
    let width: Int
    private(set) var count: Int
    private(set) var codes: [UInt32]

    init(width: Int, count: Int = 0, codes: [UInt32] = []) {
        self.width = width; self.count = count; self.codes = codes
    }

    @inline(__always) subscript(g: Int, k: Int) -> UInt32 { codes[g &* width &+ k] }

    func tuple(_ g: Int) -> [UInt32] { Array(codes[g * width..<(g + 1) * width]) }

    mutating func append(_ tuple: [UInt32]) { codes += tuple; count += 1 }

    mutating func append(combined c: Int, _ keys: [KeyCodes], _ strides: [Int]) {
        for (k, key) in keys.enumerated() { codes.append(UInt32(c / strides[k] % key.cardinality)) }
        count += 1
    }
}

/// Group ids for the selected rows by their combined key.
enum GroupTable {
    /// A dense group id for each selected row (through `groupOf`) and each
    /// group's key codes. Small key spaces map the combined key through a
    /// table over the space (groups in first-appearance order); larger ones
    /// through hash tables over the combined key, one per part of the hash
    /// range, each filled by its own core (groups in no particular order:
    /// every caller orders them); keys whose combined space does not fit
    /// an Int, by the whole tuple of codes.
    static func make(_ rowKeys: [KeyCodes], _ strides: [Int], rowSpace: Int?, _ selection: Bitmap,
                     rows n: Int) throws -> (keys: GroupKeyTable, groupOf: (Int) -> Int) {
        var keys = GroupKeyTable(width: rowKeys.count)
        func tuple(_ r: Int) -> [UInt32] { rowKeys.map { UInt32($0.code(r)) } }
        let groupOf: (Int) -> Int
        if let rowSpace, rowSpace <= 1 << 22 && rowSpace > 0 {
            var dense = [Int32](repeating: -1, count: rowSpace)
            var block = [Int32](repeating: 0, count: GroupCursor.block)
            dense.withUnsafeMutableBufferPointer { d in
                block.withUnsafeMutableBufferPointer { out in
                    var s = 0
                    while s < n {
                        let range = s..<min(n, s + GroupCursor.block)
                        GroupCursor.combined(rowKeys, strides, range, into: out)
                        selection.forEachSet(in: range) { r in
                            let c = Int(out[r - s])
                            if d[c] < 0 { d[c] = Int32(keys.count); keys.append(combined: c, rowKeys, strides) }
                        }
                        s = range.upperBound
                    }
                }
            }
            let cursor = GroupCursor(keys: rowKeys, strides: strides, table: dense, rows: n)
            groupOf = { cursor.value($0) }
        } else if let rowSpace, rowSpace > 0 {
            let (table, rowGroup) = hashed(rowKeys, strides, selection, rows: n)
            keys = table
            groupOf = { Int(rowGroup[$0]) }
        } else {
            var rowGroup = [Int32](repeating: 0, count: n)
            var tuples: [[UInt32]: Int32] = [:]
            selection.forEachSet { r in
                let t = tuple(r)
                let id: Int32
                if let g = tuples[t] { id = g } else { id = Int32(keys.count); tuples[t] = id; keys.append(t) }
                rowGroup[r] = id
            }
            groupOf = { [rowGroup] r in Int(rowGroup[r]) }
        }
        try Cancellation.check()
        return (keys, groupOf)
    }

    /// Open-addressing hash tables over the combined key (an Int), the
    /// hash range split in one part a core: each core reads every row's
    /// key, a block at a time, and keeps the groups of its part, so no
    /// table is shared or locked. Each row's group is written as its part's
    /// own id with the part in the top bits, then made one dense id.
    static func hashed(_ rowKeys: [KeyCodes], _ strides: [Int], _ selection: Bitmap, rows n: Int) -> (GroupKeyTable, [Int32]) {
        var parts = 1
        while parts < Parallel.cores && parts < 4 { parts <<= 1 }
        let partBits = parts.trailingZeroBitCount
        let idBits = 29
        var rowGroup = [Int32](repeating: 0, count: n)
        var partKeys = [[Int]](repeating: [], count: parts)
        rowGroup.withUnsafeMutableBufferPointer { rg in
            let rowGroupBase = rg.baseAddress
            partKeys.withUnsafeMutableBufferPointer { pk in
                let pkBase = pk.baseAddress
                // A slice may hold several parts (one core, or a test's grain).
                Parallel.slices(parts, grain: 1) { _, ps in
                    guard let rowGroupBase, let pkBase else { return }
                    let block = UnsafeMutablePointer<Int>.allocate(capacity: GroupCursor.block)
                    let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: GroupCursor.block)
                    defer { block.deallocate(); scratch.deallocate() }
                    for p in ps {
                        var table = HashIds()
                        var s = 0
                        while s < n {
                            let range = s..<min(n, s + GroupCursor.block)
                            if selection.anySet(in: range) {
                                combined(rowKeys, strides, range, into: block, scratch: scratch)
                                selection.forEachSet(in: range) { r in
                                    let c = block[r &- s]
                                    let h = HashIds.hash(c)
                                    guard parts == 1 || Int(h >> UInt64(64 - partBits)) == p else { return }
                                    let id = table.id(of: c, hash: h)
                                    rowGroupBase[r] = Int32(truncatingIfNeeded: p << idBits | id)
                                }
                            }
                            s = range.upperBound
                        }
                        (pkBase + p).pointee = table.keys
                    }
                }
            }
        }
        var offsets = [Int](repeating: 0, count: parts + 1)
        for p in 0..<parts { offsets[p + 1] = offsets[p] + partKeys[p].count }
        var keys = GroupKeyTable(width: rowKeys.count)
        for p in 0..<parts { for c in partKeys[p] { keys.append(combined: c, rowKeys, strides) } }
        if parts > 1 {
            let mask = Int32((1 << idBits) - 1)
            rowGroup.withUnsafeMutableBufferPointer { rg in
                offsets.withUnsafeBufferPointer { off in
                    Parallel.slices(n, grain: 1 << 18, align: 64) { _, rows in
                        selection.forEachSet(in: rows) { r in
                            let v = rg[r]
                            rg[r] = Int32(truncatingIfNeeded: off[Int(v >> Int32(idBits))]) &+ (v & mask)
                        }
                    }
                }
            }
        }
        return (keys, rowGroup)
    }

    /// The combined key (an Int: the space may pass Int32) of each row in
    /// `range`, key by key through each key's own tight loop.
    static func combined(_ keys: [KeyCodes], _ strides: [Int], _ range: Range<Int>, into out: UnsafeMutablePointer<Int>,
                         scratch: UnsafeMutablePointer<Int32>) {
        out.update(repeating: 0, count: range.count)
        for (i, k) in keys.enumerated() {
            scratch.update(repeating: 0, count: range.count)
            k.accumulate(into: scratch, stride: 1, rows: range)
            let s = strides[i]
            for j in 0..<range.count { out[j] &+= Int(scratch[j]) &* s }
        }
    }
}

/// Combined key → id in order of first sight: linear probing over a
/// power-of-two table of keys and ids, doubled at half full.
struct HashIds {
    private var slotKeys = [Int](repeating: -1, count: 1 << 12)
    private var slotIds = [Int32](repeating: 0, count: 1 << 12)
    private var mask = (1 << 12) - 1
    private(set) var keys: [Int] = []

    @inline(__always) static func hash(_ c: Int) -> UInt64 {
        var x = UInt64(bitPattern: Int64(c)) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return x &* 0xBF58_476D_1CE4_E5B9
    }

    /// The id of key `c` (at least 0), made when new.
    @inline(__always) mutating func id(of c: Int, hash h: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: h >> 20) & mask
        while true {
            let k = slotKeys[i]
            if k == c { return Int(slotIds[i]) }
            if k < 0 { break }
            i = (i &+ 1) & mask
        }
        let id = keys.count
        slotKeys[i] = c
        slotIds[i] = Int32(truncatingIfNeeded: id)
        keys.append(c)
        if keys.count * 2 > mask { grow() }
        return id
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        slotKeys = [Int](repeating: -1, count: size)
        slotIds = [Int32](repeating: 0, count: size)
        mask = size - 1
        for (id, c) in keys.enumerated() {
            var i = Int(truncatingIfNeeded: HashIds.hash(c) >> 20) & mask
            while slotKeys[i] >= 0 { i = (i &+ 1) & mask }
            slotKeys[i] = c
            slotIds[i] = Int32(truncatingIfNeeded: id)
        }
    }
}
