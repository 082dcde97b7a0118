/// `let n = count cases …`: a figure computed from datasets, remembered
/// with the query text it came from and the datasets it read, so that
/// when one of them changes on disk the figure is computed again (as a
/// grouped let's rows are) instead of answering from the old file.
public struct ScalarLet {
    public var name: String
    public var expr: Expr
    public var source: SourceFile
    /// Datasets and lets (lowercased) the value was computed from.
    public var reads: Set<String>
}

extension Session {
    /// Computes `let NAME = EXPR` and remembers how, for a later reload.
    func makeScalar(_ name: Name, _ expr: Expr, source: SourceFile) throws {
        scalars[name.text.lowercased()] = try Evaluator(session: self, source: source).evaluate(expr)
        var reads: Set<String> = []
        let checker = Checker(session: self, source: source)
        for q in Explain.queries(in: expr) {
            // Planned again only to name its datasets; it ran just now, so it plans.
            if let plan = try? checker.plan(q) { reads.formUnion([plan.dataset, plan.join?.dataset].compactMap { $0?.lowercased() }) }
        }
        for n in ScalarLet.names(in: expr) {
            reads.insert(n)
            if let other = scalarLets.first(where: { $0.name.lowercased() == n }) { reads.formUnion(other.reads) }
        }
        scalarLets.removeAll { $0.name.lowercased() == name.text.lowercased() }
        scalarLets.append(ScalarLet(name: name.text, expr: expr, source: source, reads: reads))
    }
}

extension ScalarLet {
    /// The lets and params an expression names (lowercased).
    static func names(in e: Expr) -> Set<String> {
        switch e {
        case .name(let n): return [n.text.lowercased()]
        case .percentOf(let a, let b, _), .binary(_, let a, let b): return names(in: a).union(names(in: b))
        case .negate(let a, _): return names(in: a)
        case .number, .date, .query: return []
        }
    }
}
