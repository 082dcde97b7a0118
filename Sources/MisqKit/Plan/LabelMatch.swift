/// Which labels a category value means. Real exports hold labels that
/// differ only in case or punctuation ("Gun fired" beside "Gun Fired"),
/// and their publishers count them as separate categories, as `by` shows
/// them. So a quoted value that is exactly a label means that label alone,
/// and a value that matches several labels only once case and punctuation
/// are folded is an error naming each, never a silent merge.
extension Checker {
    /// `folded`: the indices of the labels that fold to the value's folded form.
    func labelMatches(folded: [Int], _ text: String, quoted: Bool, _ c: LabelSet, _ ds: any DatasetSchema, column k: Int,
                      name: String, span: SourceSpan) throws -> [Int] {
        let labels = c.labels
        let folded = folded.filter { $0 < labels.count }
        if quoted {
            if let exact = folded.first(where: { labels[$0] == text }) { return [exact] }
            // A label of no letters or digits ("-") folds to nothing: only
            // its exact form can name it.
            if folded.isEmpty, Suggestions.normalize(text).isEmpty, let exact = labels.firstIndex(of: text) { return [exact] }
        }
        guard folded.count > 1 else { return folded }
        let rows = try ds.rowCounts(ofLabels: folded.map { labels[$0] }, column: k)
        let listed = folded.map { i in
            "\"\(labels[i])\" (\(NumberFormat.grouped(Double(rows[labels[i]] ?? 0), decimals: 0)) row\(rows[labels[i]] == 1 ? "" : "s"))"
        }
        let quotedLabels = folded.map { "\"\(labels[$0])\"" }
        throw MisqError(.value, "'\(text)' matches \(folded.count) labels of '\(name)' that differ only in case or punctuation",
                        source: source, span: span, expected: "a value naming one label",
                        suggestion: "quote the one you mean exactly, e.g. \(name) = \(quotedLabels.first ?? "\"\""), or name them all: \(name) in (\(quotedLabels.joined(separator: ", ")))",
                        notes: ["\(countedOn(ds, column: k)) counts them apart: " + listed.joined(separator: ", ")])
    }

    /// Whose rows a label is counted on: a joined column's are the joined
    /// dataset's, so the note names it.
    func countedOn(_ ds: any DatasetSchema, column k: Int) -> String {
        guard let js = joinedSchema(ds) else { return "the data" }
        let name = js.rowsNamed(column: k)
        return name == js.left.name ? "the data" : "\(name)'s data"
    }
}
