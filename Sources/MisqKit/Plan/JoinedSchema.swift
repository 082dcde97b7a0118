/// A dataset joined with another (`count cases join workforce on force`) as
/// the checker sees it: the dataset's own columns, then every column of the
/// joined dataset named `workforce.COLUMN`. A joined column may also be
/// named bare when the dataset has no column of that name (`by rank` after
/// `join officers on officer_id`). Units, periods and the as-of date are
/// the dataset's own: the join adds columns, never rows.
final class JoinedSchema: DatasetSchema {
    let left: any DatasetSchema
    var suppressionRule: SuppressionRule? { left.suppressionRule }
    let right: any DatasetSchema
    let kind: JoinClause.Kind
    private let leftCount: Int

    init(left: any DatasetSchema, right: any DatasetSchema, kind: JoinClause.Kind) {
        self.left = left
        self.right = right
        self.kind = kind
        leftCount = left.columnNames.count
    }

    static func qualified(_ dataset: String, _ column: String) -> String { dataset + "." + column }

    var rightNames: [String] { right.columnNames.map { JoinedSchema.qualified(right.name, $0) } }
    var name: String { left.name }
    var path: String { left.path }
    var sourcePath: String { left.sourcePath }
    var columnNames: [String] { left.columnNames + rightNames }
    var published: PublishedLayout? { left.published }
    var periodColumn: String? { left.periodColumn }
    var isDefault: Bool { left.isDefault }
    var units: [String: UnitDefinition] { left.units }

    func columnIndex(_ name: String) -> Int? {
        if let k = left.columnIndex(name) { return k }
        let prefix = right.name.lowercased() + "."
        guard name.lowercased().hasPrefix(prefix), let k = right.columnIndex(String(name.dropFirst(prefix.count))) else { return nil }
        return leftCount + k
    }

    /// The joined column a bare name means, when the dataset has none of
    /// that name: `rank` for `officers.rank`.
    func rightColumn(bare name: String) -> Int? {
        guard left.columnIndex(name) == nil, let k = right.columnIndex(name) else { return nil }
        return leftCount + k
    }

    func checkUsable() throws { try left.checkUsable(); try right.checkUsable() }
    func columnType(_ index: Int) throws -> ColumnType {
        index < leftCount ? try left.columnType(index) : try right.columnType(index - leftCount)
    }
    func labelSet(_ index: Int) throws -> LabelSet? {
        index < leftCount ? try left.labelSet(index) : try right.labelSet(index - leftCount)
    }
    func declaredValues(_ index: Int) -> [String]? {
        index < leftCount ? left.declaredValues(index) : right.declaredValues(index - leftCount)
    }
    func dateColumns() throws -> [String] {
        try left.dateColumns() + right.dateColumns().map { JoinedSchema.qualified(right.name, $0) }
    }
    func periodColumnIndex() throws -> (index: Int, inferred: Bool)? { try left.periodColumnIndex() }
    func asOf() throws -> (day: Int, declared: Bool)? { try left.asOf() }
    /// A joined column's labels are counted on the joined dataset's rows,
    /// where they are (an error names whose rows: `rowsNamed`).
    func rowCounts(ofLabels labels: [String], column index: Int) throws -> [String: Int] {
        index < leftCount ? try left.rowCounts(ofLabels: labels, column: index) : try right.rowCounts(ofLabels: labels, column: index - leftCount)
    }
    /// Whose rows a column's labels are counted on: the joined dataset's for its columns.
    func rowsNamed(column index: Int) -> String { index < leftCount ? left.name : right.name }
    func prepare(early: Set<String>, late: Set<String>, filtered: Bool) throws {
        let prefix = right.name.lowercased() + "."
        func split(_ names: Set<String>) -> (Set<String>, Set<String>) {
            var own = Set<String>(), joined = Set<String>()
            for n in names {
                if n.hasPrefix(prefix) { joined.insert(String(n.dropFirst(prefix.count))) } else {
                    own.insert(n)
                    // A bare name of a joined column (`by rank`).
                    if left.columnIndex(n) == nil { joined.insert(n) }
                }
            }
            return (own, joined)
        }
        let (e1, e2) = split(early), (l1, l2) = split(late)
        try left.prepare(early: e1, late: l1, filtered: filtered)
        try right.prepare(early: e2.union(l2), late: [], filtered: false)
    }
}
