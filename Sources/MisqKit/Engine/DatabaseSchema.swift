import Foundation

/// A table of a live database as the checker sees it (`Plan/Catalog.swift`):
/// its columns and misq types, units and declarations from the side tables
/// `misq export` wrote (`DatabaseCatalog.swift`), and a category column's
/// labels read from the database when the checker first asks for them, so
/// a bare value resolves to the labels the database holds.
public final class DatabaseSchema: DatasetSchema {
    public let name: String
    /// The database and table, for messages: `misq.db, table allegations`.
    public let path: String
    public var sourcePath: String { path }
    public let columnNames: [String]
    let types: [ColumnType]
    let declared: [[String]?]
    public let published: PublishedLayout?
    public let periodColumn: String?
    public let isDefault: Bool
    public let units: [String: UnitDefinition]
    public let suppressionRule: SuppressionRule?
    /// What the footer says of the data (`Footer`): title, synthetic, the
    /// source lines and notes, as the in-process footer words them.
    public let provenance: DatabaseProvenance
    let period: (name: String, inferred: Bool)?
    let declaredAsOf: Int?
    let missingValuesDeclared: Bool
    let connection: any DatabaseConnection
    private var labels: [Int: LabelSet] = [:]
    private let lock = NSLock()

    init(name: String, path: String, columns: [String], types: [ColumnType], declared: [[String]?], published: PublishedLayout?,
         periodColumn: String?, period: (name: String, inferred: Bool)?, isDefault: Bool, units: [String: UnitDefinition],
         suppressionRule: SuppressionRule?, provenance: DatabaseProvenance, declaredAsOf: Int?, missingValuesDeclared: Bool,
         connection: any DatabaseConnection) {
        self.name = name; self.path = path; self.columnNames = columns; self.types = types; self.declared = declared
        self.published = published; self.periodColumn = periodColumn; self.period = period; self.isDefault = isDefault
        self.units = units; self.suppressionRule = suppressionRule; self.provenance = provenance; self.declaredAsOf = declaredAsOf
        self.missingValuesDeclared = missingValuesDeclared; self.connection = connection
    }

    var dialect: SQLDialect { .for(connection.target) }
    var table: String { dialect.ident(name) }

    public func columnIndex(_ name: String) -> Int? {
        columnNames.firstIndex(of: name) ?? columnNames.firstIndex { $0.lowercased() == name.lowercased() }
    }

    public func checkUsable() throws {}

    public func columnType(_ index: Int) throws -> ColumnType {
        guard types.indices.contains(index) else { throw MisqError(.name, "no column \(index + 1) in '\(name)'") }
        return types[index]
    }

    /// The labels in the order their first rows hold them where the
    /// database keeps an insertion order (SQLite's and DuckDB's rowid), as
    /// misq reads a file, so lists of labels read the same.
    public func labelSet(_ index: Int) throws -> LabelSet? {
        guard try columnType(index) == .category else { return nil }
        lock.lock()
        if let l = labels[index] { lock.unlock(); return l }
        lock.unlock()
        try readLabels([index])
        lock.lock(); defer { lock.unlock() }
        return labels[index]
    }

    /// The labels of several category columns, in one call to the database.
    func readLabels(_ columns: [Int]) throws {
        lock.lock()
        let wanted = columns.filter { labels[$0] == nil && types.indices.contains($0) && types[$0] == .category }
        lock.unlock()
        guard !wanted.isEmpty else { return }
        let answers = try connection.queries(wanted.map { k in
            let c = dialect.ident(columnNames[k])
            let order = connection.target == .sqlite || connection.target == .duckdb ? "min(rowid)" : c
            return "SELECT \(c) FROM \(table) WHERE \(c) IS NOT NULL GROUP BY \(c) ORDER BY \(order)"
        })
        for (k, rows) in zip(wanted, answers) {
            let list = rows.rows.compactMap { $0.first?.text }
            var folded: [String: [Int]] = [:]
            for (i, l) in list.enumerated() { folded[Suggestions.normalize(l), default: []].append(i) }
            let set = LabelSet(labels: list, foldedMatches: { folded[$0] ?? [] })
            lock.lock(); labels[k] = set; lock.unlock()
        }
    }

    public func declaredValues(_ index: Int) -> [String]? { declared.indices.contains(index) ? declared[index] : nil }

    public func dateColumns() throws -> [String] { columnNames.indices.filter { types[$0] == .date }.map { columnNames[$0] } }

    public func periodColumnIndex() throws -> (index: Int, inferred: Bool)? {
        guard let p = period, let k = columnIndex(p.name) else { return nil }
        return (k, p.inferred)
    }

    /// Declared, else the latest day in the period column.
    public func asOf() throws -> (day: Int, declared: Bool)? {
        if let d = declaredAsOf { return (d, true) }
        guard let (k, _) = try periodColumnIndex(), types[k] == .date else { return nil }
        let c = dialect.ident(columnNames[k])
        let r = try connection.query("SELECT MAX(\(c)) AS latest FROM \(table)")
        guard let text = r.rows.first?.first?.text else { return nil }
        guard let day = ValueParsing.date(String(text.prefix(10))) else {
            throw MisqError(.data, "the latest \(columnNames[k]) in \(path) is '\(text)', not a date")
        }
        return (day, false)
    }

    public func rowCounts(ofLabels wanted: [String], column index: Int) throws -> [String: Int] {
        guard !wanted.isEmpty, try columnType(index) == .category else { return [:] }
        let c = dialect.ident(columnNames[index])
        let r = try connection.query("SELECT \(c), COUNT(*) FROM \(table) WHERE \(c) IN (" + wanted.map(dialect.string).joined(separator: ", ") + ") GROUP BY \(c)")
        var out: [String: Int] = [:]
        for row in r.rows where row.count == 2 { if let l = row[0].text, let n = row[1].number { out[l] = Int(n) } }
        return out
    }

    /// Nothing read ahead: the checker asks for labels only where a value
    /// is compared, and a column it merely names (an id counted distinct,
    /// a key) would cost a pass over the table and every label carried
    /// back (officer ids on 1M rows: seconds). One connection answers each
    /// ask in milliseconds (DuckDB's program stays running).
    public func prepare(early: Set<String>, late: Set<String>, filtered: Bool) throws {}

    public func duplicateKey(column index: Int) throws -> (label: String, rows: Int)? {
        let c = dialect.ident(columnNames[index])
        let r = try connection.query("SELECT \(c), COUNT(*) FROM \(table) WHERE \(c) IS NOT NULL GROUP BY \(c) HAVING COUNT(*) > 1 LIMIT 1")
        guard let row = r.rows.first, row.count == 2, let label = row[0].text else { return nil }
        return ("'\(label)'", Int(row[1].number ?? 2))
    }
}

/// A dataset's provenance as the side tables hold it.
public struct DatabaseProvenance: Sendable {
    public var title: String?
    public var synthetic: Bool
    /// The footer's `source:`, `caveat:` and `file:` lines.
    public var source: [String]
    public var notes: [String]
}
