/// `disposition starts with "Substantiated"`, `ends with`, `contains`:
/// resolved against the column's labels into the list of labels matched,
/// so the plan names them (not a pattern) and the footer can say which.
///
/// The rule, as DuckDB's `lower(col) LIKE lower('text%')`: the label and
/// the text are both lowercased (Unicode lowercase) and compared byte for
/// byte. Unlike `=`, spaces and punctuation are not folded: `starts with
/// "dismissal without"` matches "Dismissal without notice", and
/// `starts with dismissal_without` does not (an error then says to quote
/// it). A missing value matches nothing; `not COLUMN contains …` keeps
/// rows with no value, `COLUMN not contains …` does not (as `not in`).
extension Checker {
    func bindTextMatch(_ k: Int, _ n: Name, _ kind: TextMatchKind, _ v: Value, negated: Bool, _ ds: any DatasetSchema) throws -> Predicate {
        let type = try ds.columnType(k)
        guard type == .category, let set = try ds.labelSet(k) else {
            let categories = try ds.columnNames.indices.filter { try ds.columnType($0) == .category }.map { ds.columnNames[$0] }
            let instead = type == .date ? "for dates use a period: \(n.text) in 2022" : type == .number ? "compare numbers: \(n.text) >= 10" : "use it as a flag: where \(n.text)"
            throw MisqError(.type, "'\(kind.rawValue)' matches the text of a category column; '\(n.text)' holds \(type.rawValue) values",
                            source: source, span: n.span, expected: "a category column",
                            suggestion: Suggestions.didYouMeanName(n.text, categories) ?? instead)
        }
        let text = try matchText(v)
        guard !text.isEmpty else {
            throw MisqError(.value, "every value of '\(n.text)' \(kind.rawValue) \"\": an empty text matches them all",
                            source: source, span: v.span, expected: "some text to match",
                            suggestion: "for every row with a value write \(n.text) is not missing")
        }
        let column = ds.columnNames[k]
        let matched = TextMatch.matching(set.labels, kind, text).map { set.labels[$0] }.sorted()
        if matched.isEmpty {
            // A value the data package allows but no row holds: an honest zero, as `=` gives.
            let declared = TextMatch.matching(ds.declaredValues(k) ?? [], kind, text)
            guard !declared.isEmpty else { throw noMatch(text, kind, v, column: n.text, labels: set.labels) }
        }
        textMatches.record(ResolvedTextMatch(column: column, kind: kind, text: text, negated: negated, labels: matched))
        let any = Predicate.labelIn(column: column, labels: matched)
        return negated ? .and([.not(any), .not(.missing(column: column))]) : any
    }

    /// The text a value spells: a word or string as written, a number or
    /// date as its source text (`starts with 007` is "007", not 7).
    func matchText(_ written: Value) throws -> String {
        let v = try resolveParamValue(written, .category)
        switch v {
        case .word(let w, _), .string(let w, _): return w
        case .number(let x, let s):
            if case .number = written { return source.text(s) }
            return NumberFormat.plain(x)
        case .period(let p, let s):
            if case .period = written { return source.text(s) }
            return p.description
        }
    }

    func noMatch(_ text: String, _ kind: TextMatchKind, _ v: Value, column: String, labels: [String]) -> MisqError {
        var suggestion: String
        let spaced = text.replacingOccurrences(of: "_", with: " ")
        if case .word = v, spaced != text, !TextMatch.matching(labels, kind, spaced).isEmpty {
            suggestion = "text is matched as written; with spaces, in quotes: \(column) \(kind.rawValue) \"\(spaced)\""
        } else {
            let close = TextMatch.closest(text, kind, in: labels)
            suggestion = close.isEmpty ? "'\(catalog.describeCommand) \(column)' lists its values"
                : "closest: " + close.map { "\"\($0)\"" }.joined(separator: ", ")
        }
        let shown = Suggestions.smallest(12, of: labels).map { "\"\($0)\"" }.joined(separator: ", ")
            + (labels.count > 12 ? ", … (\(NumberFormat.count(labels.count)) in all)" : "")
        return MisqError(.value, "no value of '\(column)' \(kind.rawValue) \"\(text)\"", source: source, span: v.span,
                         expected: "text that some value of \(column) \(kind.rawValue), ignoring case", suggestion: suggestion,
                         notes: labels.isEmpty ? ["'\(column)' has no values in the data"] : ["values of \(column): \(shown)"])
    }
}

/// One text match as resolved, for the footer and `misq explain`.
public struct ResolvedTextMatch: Sendable, Equatable {
    public var column: String
    public var kind: TextMatchKind
    public var text: String
    public var negated: Bool
    public var labels: [String]

    /// Labels listed before the rest are counted.
    static let shown = 5

    /// `disposition starts with "Substantiated": 3 labels matched — "Substantiated", …`,
    /// text and labels written as the language writes strings (a quote doubled).
    public var note: String {
        let head = "\(Identifier.source(column)) \(negated ? "not " : "")\(kind.rawValue) \(Identifier.stringLiteral(text)): "
        if labels.isEmpty { return head + "no label in the data matched (the data package allows such a value; no row holds it)" }
        let list = labels.prefix(ResolvedTextMatch.shown).map(Identifier.stringLiteral).joined(separator: ", ")
        let more = labels.count > ResolvedTextMatch.shown ? ", and \(NumberFormat.count(labels.count - ResolvedTextMatch.shown)) more" : ""
        // `COL not contains T` counts the labels that do not match: the note
        // says the listed ones were left out, not counted.
        let verb = negated ? " left out, with rows that have no value — " : " matched — "
        return head + Plural.count(labels.count, "label") + verb + list + more
    }
}

/// The text matches one query resolved: shared by the checkers that bind
/// its conditions (a definition's is bound by a checker of its own source).
final class TextMatchLog {
    private(set) var matches: [ResolvedTextMatch] = []
    func record(_ m: ResolvedTextMatch) { if !matches.contains(m) { matches.append(m) } }
}

enum TextMatch {
    /// Indices of the labels the text matches, lowercased both sides. An id
    /// column holds hundreds of thousands of labels: an ASCII label is
    /// compared in place, byte by byte, lowercasing as it goes; only a label
    /// with other bytes is lowercased as a String.
    static func matching(_ labels: [String], _ kind: TextMatchKind, _ text: String) -> [Int] {
        let want = Array(text.lowercased().utf8)
        guard !want.isEmpty else { return [] }
        var out: [Int] = []
        for (i, label) in labels.enumerated() {
            let hit = label.utf8.withContiguousStorageIfAvailable { matches($0, kind, want) } ?? matches(Array(label.utf8), kind, want)
            if hit { out.append(i) }
        }
        return out
    }

    static func matches<C: RandomAccessCollection>(_ label: C, _ kind: TextMatchKind, _ want: [UInt8]) -> Bool
    where C.Element == UInt8, C.Index == Int {
        if label.contains(where: { $0 >= 0x80 }) {
            let lower = Array(String(decoding: label, as: UTF8.self).lowercased().utf8)
            return matchesBytes(lower, kind, want, fold: false)
        }
        return matchesBytes(label, kind, want, fold: true)
    }

    @inline(__always)
    static func matchesBytes<C: RandomAccessCollection>(_ l: C, _ kind: TextMatchKind, _ want: [UInt8], fold: Bool) -> Bool
    where C.Element == UInt8, C.Index == Int {
        let n = l.count, m = want.count
        guard m <= n else { return false }
        func same(at start: Int) -> Bool {
            var j = 0
            let base = l.startIndex + start
            while j < m {
                var b = l[base + j]
                if fold, b >= 0x41, b <= 0x5A { b |= 0x20 }
                if b != want[j] { return false }
                j += 1
            }
            return true
        }
        switch kind {
        case .startsWith: return same(at: 0)
        case .endsWith: return same(at: n - m)
        case .contains:
            var s = 0
            while s <= n - m { if same(at: s) { return true }; s += 1 }
            return false
        }
    }

    /// Labels nearest to matching, for an error: the part of each label the
    /// text would have to be (its start, its end, or its closest stretch)
    /// within a third of the text's length. Bounded work, so an id column's
    /// labels cannot stall the error: at most 50,000 stretches are compared
    /// (from the first labels), each comparison given up once past the bound.
    static func closest(_ text: String, _ kind: TextMatchKind, in labels: [String], limit: Int = 3) -> [String] {
        let want = Array(text.lowercased())
        let m = want.count
        let threshold = max(1, m / 3)
        var scored: [(String, Int)] = []
        var budget = 50_000
        for label in labels where budget > 0 {
            let l = Array(label.lowercased())
            var best = Int.max
            switch kind {
            case .startsWith: best = distance(l.prefix(m), want, bound: threshold); budget -= 1
            case .endsWith: best = distance(l.suffix(m), want, bound: threshold); budget -= 1
            case .contains:
                if l.count <= m { best = distance(l[...], want, bound: threshold); budget -= 1 }
                else {
                    for s in 0...(l.count - m) where best > 0 && budget > 0 {
                        best = min(best, distance(l[s..<(s + m)], want, bound: threshold)); budget -= 1
                    }
                }
            }
            if best <= threshold { scored.append((label, best)) }
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// Edit distance, or `bound + 1` as soon as every path is past `bound`.
    static func distance(_ a: ArraySlice<Character>, _ b: [Character], bound: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for (i, x) in a.enumerated() {
            cur[0] = i + 1
            var rowMin = cur[0]
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x == b[j - 1] ? 0 : 1))
                rowMin = Swift.min(rowMin, cur[j])
            }
            if rowMin > bound { return bound + 1 }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
