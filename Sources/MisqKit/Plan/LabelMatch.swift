/// Which labels a category value means. Real exports hold labels that
/// differ only in case or punctuation ("Gun fired" beside "Gun Fired"),
/// and their publishers count them as separate categories, as `by` shows
/// them. So a quoted value that is exactly a label means that label alone,
/// and a value that matches several labels only once case and punctuation
/// are folded is an error naming each, never a silent merge.
extension Checker {
    /// `folded`: the codes whose labels fold to the value's folded form.
    func labelCodes(folded: [UInt32], _ text: String, quoted: Bool, _ c: CategoryColumn, _ ds: Dataset, column k: Int,
                    name: String, span: SourceSpan) throws -> [UInt32] {
        let labels = c.labels
        if quoted {
            if let exact = folded.first(where: { Int($0) < labels.count && labels[Int($0)] == text }) { return [exact] }
            // A label of no letters or digits ("-") folds to nothing: only
            // its exact form can name it.
            if folded.isEmpty, Suggestions.normalize(text).isEmpty, let exact = labels.firstIndex(of: text) { return [UInt32(exact)] }
        }
        guard folded.count > 1 else { return folded }
        let rows = try rowCounts(of: folded, in: ds, column: k)
        let listed = folded.filter { Int($0) < labels.count }.map { code in
            "\"\(labels[Int(code)])\" (\(NumberFormat.grouped(Double(rows[code] ?? 0), decimals: 0)) row\(rows[code] == 1 ? "" : "s"))"
        }
        let quotedLabels = folded.filter { Int($0) < labels.count }.map { "\"\(labels[Int($0)])\"" }
        throw MisqError(.value, "'\(text)' matches \(folded.count) labels of '\(name)' that differ only in case or punctuation",
                        source: source, span: span, expected: "a value naming one label",
                        suggestion: "quote the one you mean exactly, e.g. \(name) = \(quotedLabels.first ?? "\"\""), or name them all: \(name) in (\(quotedLabels.joined(separator: ", ")))",
                        notes: ["the data counts them apart: " + listed.joined(separator: ", ")])
    }

    /// Rows holding each of a few codes: read only to word an error.
    func rowCounts(of codes: [UInt32], in ds: Dataset, column k: Int) throws -> [UInt32: Int] {
        guard case .category(let col) = try ds.column(k) else { return [:] }
        var wanted = [Bool](repeating: false, count: col.labelCount)
        for code in codes where Int(code) < wanted.count { wanted[Int(code)] = true }
        var counts: [UInt32: Int] = [:]
        let all = col.codes
        for r in 0..<all.count {
            let x = all[r]
            if Int(x) < wanted.count, wanted[Int(x)] { counts[x, default: 0] += 1 }
        }
        return counts
    }
}
