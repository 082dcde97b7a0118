/// How many terms a condition becomes once its definitions are written out.
/// Definitions expand inline, so `define d1 = d0 and d0`, `d2 = d1 and d1`, …
/// double at each step: without a bound, thirty lines of defines bind and
/// filter for ever. Sizes are counted per definition once (memoised), so
/// the count itself stays linear in the text.
extension Checker {
    static let maxExpandedTerms = 100_000

    /// Throws when `c`, with its definitions expanded, exceeds the limit.
    func checkExpandedSize(_ c: Condition, span: SourceSpan) throws {
        var memo: [String: Int] = [:]
        var worst: String?
        let total = expandedTerms(c, memo: &memo, active: [], worst: &worst)
        guard total > Checker.maxExpandedTerms else { return }
        let limit = NumberFormat.count(Checker.maxExpandedTerms)
        throw MisqError(.name, "this condition expands to more than \(limit) terms once the definitions it uses are written out",
                        source: source, span: span,
                        suggestion: "a definition used twice is written out twice; use it once, or test a column directly",
                        notes: worst.map { ["definition '\($0)' alone does"] } ?? [])
    }

    /// Saturates just past the limit, so doubling cannot overflow.
    private func expandedTerms(_ c: Condition, memo: inout [String: Int], active: Set<String>, worst: inout String?) -> Int {
        let cap = Checker.maxExpandedTerms + 1
        switch c {
        case .and(let parts), .or(let parts):
            var n = 1
            for p in parts {
                n = min(cap, n + expandedTerms(p, memo: &memo, active: active, worst: &worst))
                if n >= cap { return cap }
            }
            return n
        case .not(let inner, _):
            return min(cap, 1 + expandedTerms(inner, memo: &memo, active: active, worst: &worst))
        case .inList(_, let values, _, _):
            return min(cap, values.count + 2)
        case .flag(let n):
            let key = n.text.lowercased()
            guard let d = catalog.defines[key], !active.contains(key) else { return 1 }
            if let m = memo[key] { return m }
            let m = expandedTerms(d.condition, memo: &memo, active: active.union([key]), worst: &worst)
            if m >= cap, worst == nil { worst = d.name }
            memo[key] = m
            return m
        case .compare, .inPeriod, .isMissing, .period, .textMatch:
            return 1
        }
    }
}
