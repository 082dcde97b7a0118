import Foundation

/// The groups of an answer as the executor holds them: each group's key
/// codes and values in flat arrays, the order they are shown in, and each
/// key's labels by code. A group's labelled row (`GroupRow`: two arrays
/// and a label each) is made only when something reads
/// `GroupedResult.rows`; CSV and TSV output (`GroupStream`) writes
/// straight from the codes. `count cases by officer_id, outcome` has
/// 800,000 groups, and making their rows was a fifth of the run.
public final class GroupCodes {
    /// Groups shown.
    public let count: Int
    /// Keys per group.
    let width: Int
    /// Each group's key codes, in the order shown, `width` a group.
    let codes: [UInt32]
    /// Each key's labels by code; a key's last code is "missing" (no label).
    let labels: [[String]]
    /// Values per group (one, or one per across column).
    let valueWidth: Int
    /// Each group's values, in the order shown, `valueWidth` a group.
    let values: [Double]
    /// Each group's total across columns, in the order shown, or empty.
    let rowTotals: [Double]

    private let lock = NSLock()
    private var made: [GroupRow]?

    /// Groups already in the order shown (the executor gathers them so:
    /// the writer then reads each array front to back, where reading
    /// through an order missed the cache on every group).
    init(count: Int, width: Int, codes: [UInt32], labels: [[String]], valueWidth: Int, values: [Double], rowTotals: [Double]) {
        self.count = count; self.width = width; self.codes = codes; self.labels = labels
        self.valueWidth = valueWidth; self.values = values; self.rowTotals = rowTotals
    }

    /// The code of key `k` of the `i`th group shown.
    @inline(__always) func code(_ i: Int, key k: Int) -> Int { Int(codes[i &* width &+ k]) }

    /// Whether `code` is key `k`'s "missing".
    @inline(__always) func isMissing(_ code: Int, key k: Int) -> Bool { code == labels[k].count - 1 }

    /// The first value of the `i`th group shown.
    @inline(__always) func value(_ i: Int) -> Double { values[i &* valueWidth] }

    /// The rows, made once, when first asked for.
    var rows: [GroupRow] {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let rows = (0..<count).map { g -> GroupRow in
            let keys = (0..<width).map { k -> String? in
                let c = Int(codes[g * width + k])
                return c == labels[k].count - 1 ? nil : labels[k][c]
            }
            return GroupRow(keys: keys, values: Array(values[g * valueWidth..<(g + 1) * valueWidth]),
                            rowTotal: rowTotals.isEmpty ? nil : rowTotals[g])
        }
        made = rows
        return rows
    }
}
