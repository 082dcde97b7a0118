/// The rows a `show` prints, read from the columns as they are written out
/// rather than held as text: an export of ten million rows is formatted
/// straight into the output a buffer at a time (`RowStream`), and memory
/// does not grow with the rows printed.
public struct RowTable {
    public var columns: [RowColumn]
    /// How many rows are shown.
    public var count: Int
    /// Calls `body` with each shown row's number in the dataset, in the
    /// order shown; stops when `body` returns false.
    public var forEachRow: ((Int) -> Bool) -> Void

    public init(columns: [RowColumn], count: Int, forEachRow: @escaping ((Int) -> Bool) -> Void) {
        self.columns = columns; self.count = count; self.forEachRow = forEachRow
    }

    /// Every shown cell as text (nil is missing): for small results and
    /// tests; an export streams instead.
    public var texts: [[String?]] {
        var out: [[String?]] = []
        out.reserveCapacity(count)
        forEachRow { r in out.append(columns.map { $0.text(r) }); return true }
        return out
    }
}

/// One shown column: a code per row and a text per code (categories, dates,
/// yes/no), so a writer formats each distinct value once; or a number.
public enum RowColumn {
    /// `code(row)` is in 0..<count, or negative when the row's value is
    /// missing; `text(code)` is the value as shown; `codes(rows, out)`
    /// writes the codes of many rows at once (an export's inner loop).
    case coded(count: Int, text: (Int) -> String, code: (Int) -> Int, codes: (UnsafeBufferPointer<Int>, UnsafeMutablePointer<Int32>) -> Void)
    /// NaN is missing; shown as `NumberFormat.exact` writes it.
    case number((Int) -> Double)

    public func text(_ row: Int) -> String? {
        switch self {
        case .coded(_, let text, let code, _):
            let k = code(row)
            return k < 0 ? nil : text(k)
        case .number(let value):
            let v = value(row)
            return v.isNaN ? nil : NumberFormat.exact(v)
        }
    }

    public var isNumber: Bool { if case .number = self { return true } else { return false } }
}
