/// Each row's group id, worked out a block of rows at a time as a measure
/// pass walks the selection in row order, instead of an id per row held for
/// the whole query (40 MB at 10M rows). A pass that goes back to an earlier
/// row (the next measure pass) refills from there.
final class GroupCursor {
    static let block = 1 << 14
    let keys: [KeyCodes]
    let strides: [Int]
    /// Combined key → value (a group id, or a column of the across key).
    let table: [Int32]
    let rows: Int
    // Read on every row of a measure pass: unchecked, as one pass on one
    // thread is the only user, so the dynamic exclusivity check (a fifth
    // of q2's time) buys nothing.
    @exclusivity(unchecked) private var start = Int.min
    @exclusivity(unchecked) private var buffer = [Int32](repeating: 0, count: GroupCursor.block)

    init(keys: [KeyCodes], strides: [Int], table: [Int32], rows: Int) {
        self.keys = keys
        self.strides = strides
        self.table = table
        self.rows = rows
    }

    /// The combined key of each row in `range`, into `out`.
    static func combined(_ keys: [KeyCodes], _ strides: [Int], _ range: Range<Int>, into out: UnsafeMutableBufferPointer<Int32>) {
        guard let base = out.baseAddress else { return }
        base.update(repeating: 0, count: range.count)
        for (i, k) in keys.enumerated() { k.accumulate(into: base, stride: strides[i], rows: range) }
    }

    @inline(__always) func value(_ r: Int) -> Int {
        if r < start || r >= start &+ GroupCursor.block { fill(r - r % GroupCursor.block) }
        return Int(buffer[r &- start])
    }

    private func fill(_ s: Int) {
        start = s
        let range = s..<min(rows, s + GroupCursor.block)
        buffer.withUnsafeMutableBufferPointer { out in
            GroupCursor.combined(keys, strides, range, into: out)
            table.withUnsafeBufferPointer { t in
                for j in 0..<range.count { out[j] = t[Int(out[j])] }
            }
        }
    }
}
