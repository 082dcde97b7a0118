/// `top N` and `top N%` on a one-figure aggregate (`sum allegations from
/// per_officer top 10%`): the rows with the largest values of the column
/// measured are kept, as groups are for a grouped query, then measured.
/// Over a grouped result kept as a dataset each row is a group, so this
/// is the concentration question: what the largest tenth of officers hold.
enum TopRows {
    /// The rows kept, and the fact the footer states. Rows tied with the
    /// last kept are kept too; a missing value ranks after every value.
    static func keep(_ plan: LogicalPlan, column: Column, _ selection: Bitmap) -> (Bitmap, Fact)? {
        var rows: [Int] = []
        var values: [Double] = []
        selection.forEachSet { r in
            rows.append(r)
            switch column {
            case .number(let n): values.append(n.values[r])
            case .date(let d): values.append(d.days[r] == DateColumn.missing ? .nan : Double(d.days[r]))
            default: values.append(.nan)
            }
        }
        let n = rows.count
        guard let t = plan.top ?? plan.topShare.map({ $0.count(of: n) }), n > 0 else { return nil }
        let order = Array(0..<n).sorted { a, b in Executor.valueFirst(values[a], values[b], descending: true) ?? (rows[a] < rows[b]) }
        let cutAt = min(t, n) - 1
        let cut = values[order[cutAt]]
        var kept = Bitmap(count: selection.count)
        var count = 0
        for (place, i) in order.enumerated() {
            if place > cutAt, Executor.valueFirst(values[i], cut, descending: true) != nil { break }
            kept.words[rows[i] >> 6] |= 1 &<< UInt64(rows[i] & 63)
            count += 1
        }
        let kind: FactValue.Kind
        if case .date = column { kind = .date } else { kind = cut.rounded() == cut ? .integer : .figure }
        let column: String
        if case .aggregate(_, let c) = plan.measure { column = c } else { column = plan.valueName }
        return (kept, .topRows(n: min(t, n), rows: n, tied: count - min(t, n), cut: FactValue(cut, kind), kept: count, column: column,
                               share: plan.topShare?.text, rounded: plan.topShare?.rounds(n) ?? false))
    }
}
