/// A dataset's schema with the session's derived values (`define rate =
/// …`) as more columns after its own, so that every place the checker
/// resolves a column — conditions, periods, keys, measures, `show`, `order
/// by` — resolves a derived one the same way. A derived column is typed
/// when first asked (its definition bound against the dataset), and one
/// that the query names becomes a `derive` step of the plan (`steps()`),
/// with the steps it reads before it.
final class DerivedSchema: DatasetSchema {
    let base: any DatasetSchema
    var suppressionRule: SuppressionRule? { base.suppressionRule }
    let catalog: any Catalog
    let definitions: [Derivation]
    private let baseCount: Int
    private var bound: [Int: (expr: PlanExpr, type: ColumnType)] = [:]
    private var binding: Set<Int> = []
    private var used: Set<Int> = []
    /// Those the query names itself, not through another definition.
    private var direct: Set<Int> = []

    /// `argument`: a query's own expression (`median months(a, b)`), named by its text.
    /// `replacing`: a definition being made again, left out.
    init(base: any DatasetSchema, catalog: any Catalog, argument: Derivation? = nil, replacing: String? = nil) {
        self.base = base
        self.catalog = catalog
        var defs = catalog.derivations.values.filter { $0.name.lowercased() != replacing?.lowercased() }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
        if let a = argument { defs.append(a) }
        definitions = defs
        baseCount = base.columnNames.count
    }

    var name: String { base.name }
    var path: String { base.path }
    var sourcePath: String { base.sourcePath }
    var columnNames: [String] { base.columnNames + definitions.map(\.name) }
    var published: PublishedLayout? { base.published }
    var periodColumn: String? { base.periodColumn }
    var isDefault: Bool { base.isDefault }
    var units: [String: UnitDefinition] { base.units }
    func columnIndex(_ name: String) -> Int? { base.columnIndex(name) }
    func checkUsable() throws { try base.checkUsable() }
    func labelSet(_ index: Int) throws -> LabelSet? { index < baseCount ? try base.labelSet(index) : nil }
    func declaredValues(_ index: Int) -> [String]? { index < baseCount ? base.declaredValues(index) : nil }
    func periodColumnIndex() throws -> (index: Int, inferred: Bool)? { try base.periodColumnIndex() }
    func asOf() throws -> (day: Int, declared: Bool)? { try base.asOf() }
    func rowCounts(ofLabels labels: [String], column index: Int) throws -> [String: Int] {
        index < baseCount ? try base.rowCounts(ofLabels: labels, column: index) : [:]
    }

    func columnType(_ index: Int) throws -> ColumnType {
        index < baseCount ? try base.columnType(index) : try bind(index - baseCount).type
    }

    /// The dataset's date columns, and the derived values that are dates
    /// here (suggestions only: one that does not bind here is left out).
    func dateColumns() throws -> [String] {
        let saved = (used, direct)
        defer { (used, direct) = saved }
        return try base.dateColumns() + definitions.indices.filter { (try? bind($0).type) == .date }.map { definitions[$0].name }
    }

    /// A derived name stands for the columns its definition reads, all
    /// loaded early: a derived column is computed for every row.
    func prepare(early: Set<String>, late: Set<String>, filtered: Bool) throws {
        let lateDerived = late.filter { n in definitions.contains { $0.name.lowercased() == n } }
        try base.prepare(early: expand(early.union(lateDerived)), late: late.subtracting(lateDerived), filtered: filtered)
    }

    private func expand(_ names: Set<String>) -> Set<String> {
        var out = Set<String>()
        var todo = Array(names)
        var seen = Set<String>()
        while let n = todo.popLast() {
            guard seen.insert(n).inserted else { continue }
            if let d = definitions.first(where: { $0.name.lowercased() == n }), base.columnIndex(d.name) == nil {
                todo += DerivedSchema.names(in: d.expr).map { $0.lowercased() }
            } else {
                out.insert(n)
            }
        }
        return out
    }

    static func names(in e: RowExpr) -> [String] {
        switch e {
        case .number, .date: return []
        case .column(let n): return [n.text]
        case .call(_, let args, _): return args.flatMap(names(in:))
        case .binary(_, let a, let b): return names(in: a) + names(in: b)
        case .negate(let a, _): return names(in: a)
        }
    }

    /// The checker found column `k` for `n`: a derived one is now used; a
    /// dataset column that a derived value is also named is an error.
    func use(_ k: Int, _ n: Name, source: SourceFile) throws {
        if k >= baseCount {
            used.insert(k - baseCount)
            if binding.isEmpty { direct.insert(k - baseCount) }
            return
        }
        let lower = base.columnNames[k].lowercased()
        if definitions.contains(where: { $0.name.lowercased() == lower }) {
            throw MisqError(.name, "'\(n.text)' is both a column of '\(base.name)' and a derived value (define \(n.text) = …)",
                            source: source, span: n.span, expected: "one meaning",
                            suggestion: "define the value under another name")
        }
    }

    /// Definition `j` typed against this dataset, once.
    func bind(_ j: Int) throws -> (expr: PlanExpr, type: ColumnType) {
        if let b = bound[j] { return b }
        let d = definitions[j]
        if binding.contains(j) {
            throw MisqError(.name, "definition '\(d.name)' refers to itself, directly or through others", source: d.source, span: d.expr.span,
                            suggestion: "a definition cannot use itself; check the values it names")
        }
        guard binding.count < Checker.maxDefineDepth else {
            throw MisqError(.name, "derived values nest more than \(Checker.maxDefineDepth) deep at '\(d.name)'", source: d.source, span: d.expr.span)
        }
        binding.insert(j)
        defer { binding.remove(j) }
        let b = try Checker(catalog: catalog, source: d.source).bindRow(d.expr, self, depth: 0)
        bound[j] = b
        return b
    }

    /// The used derived values and those they read, each after what it reads.
    func steps() throws -> [DeriveStep] {
        var out: [DeriveStep] = []
        var done = Set<Int>()
        func visit(_ j: Int) throws {
            guard done.insert(j).inserted else { return }
            let b = try bind(j)
            for c in b.expr.columns {
                if let k = columnNames.firstIndex(of: c), k >= baseCount { try visit(k - baseCount) }
            }
            out.append(DeriveStep(name: definitions[j].name, expr: b.expr, type: b.type, intermediate: !direct.contains(j)))
        }
        for j in used.sorted() { try visit(j) }
        return out
    }
}
