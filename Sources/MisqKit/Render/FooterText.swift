/// A footer's facts as the lines every format prints under a result: the
/// dataset and its provenance, then what was counted (`Result/QueryResult.swift`
/// holds them as data).
extension Footer {
    /// One line each, in the order a reader needs them.
    public var lines: [String] { parts.map(Footer.lines) ?? headLines + scopeLines }

    /// The dataset and its provenance.
    var headLines: [String] {
        var head = "dataset: \(dataset)"
        if let t = title { head += " — \(t)" }
        if synthetic { head += " [SYNTHETIC DATA]" }
        return [head] + source
    }

    /// What was counted: periods, rows, total, notes.
    var scopeLines: [String] {
        var out: [String] = []
        var seen = Set<String>()
        for p in periods {
            guard let s = p.statement else { continue }
            let line = "period: " + s
            if seen.insert(line).inserted { out.append(line) }
        }
        out.append("rows: \(NumberFormat.grouped(Double(scanned), decimals: 0)) scanned, \(NumberFormat.grouped(Double(matched), decimals: 0)) matched")
        if let t = total { out.append(t.text) }
        for n in notes { out.append("note: \(n.text)") }
        return out
    }

    /// Each dataset's provenance once, then one line per query:
    /// `count cases where vawg — rows: 29,365 scanned, 9,180 matched`.
    static func lines(_ parts: [FooterPart]) -> [String] {
        var out: [String] = []
        var datasets: [String] = []
        for p in parts where !datasets.contains(p.footer.dataset) {
            datasets.append(p.footer.dataset)
            out += p.footer.headLines
        }
        var seen = Set<String>()
        for p in parts where seen.insert(p.query).inserted {
            let scope = (datasets.count > 1 ? ["dataset: \(p.footer.dataset)"] : []) + p.footer.scopeLines
            out.append("\(p.query) — " + scope.joined(separator: "; "))
        }
        return out
    }
}
