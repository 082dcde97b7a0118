/// What `misq export` writes, whatever the database: each dataset as a
/// table of the same name with its columns typed as misq reads them
/// (categories as text, real numbers, dates, yes/no; a missing value as
/// NULL), and what misq knows about each dataset that a table cannot hold,
/// in side tables: `misq_datasets` (title, publisher, reference,
/// retrieval, caveats, whether synthetic, period column, file),
/// `misq_columns` (each column's misq type and declared values),
/// `misq_catalog` (dataset, key, value: a row per other fact — `unit`
/// as `cases=distinct case_id`, `default`, `as_of`, `period` as declared,
/// `period_inferred`, `published` (weight, measure, period start and end
/// columns, a line each), `suppression` as written, `note`,
/// `described_by`, `missing_values_declared`) and `misq_definitions`
/// (file, text: the definitions files the datasets ship), so `--engine`
/// reads back the same catalog (`Engine/DatabaseCatalog.swift`).
///
/// The shape is said once, here, in kinds of value; a database
/// (`SQLiteExport`, `PostgresExport`) is an `ExportSink` that spells each
/// kind in its own types and writes the rows its own fastest way.
enum ExportShape {
    enum Kind {
        case text, real, integer, date, boolean
    }

    enum Value {
        case null, text(String), real(Double), integer(Int64), date(Int), boolean(Bool)
    }

    struct Table {
        var name: String
        var columns: [(name: String, kind: Kind)]
        var primaryKey: String?
    }

    static let datasets = Table(name: "misq_datasets", columns: [
        ("name", .text), ("title", .text), ("publisher", .text), ("reference", .text), ("retrieved", .date),
        ("retrieved_from", .text), ("caveats", .text), ("synthetic", .boolean), ("period_column", .text), ("source_file", .text),
    ], primaryKey: "name")

    static let columns = Table(name: "misq_columns", columns: [
        ("dataset", .text), ("name", .text), ("position", .integer), ("type", .text), ("declared_values", .text),
    ], primaryKey: nil)

    static let catalog = Table(name: "misq_catalog", columns: [("dataset", .text), ("key", .text), ("value", .text)], primaryKey: nil)

    static let definitions = Table(name: "misq_definitions", columns: [("file", .text), ("text", .text)], primaryKey: nil)

    static let sideTables = [datasets, columns, catalog, definitions]

    /// Every table an export of `datasets` makes, side tables first.
    static func tables(_ datasets: [Dataset]) -> [String] {
        sideTables.map(\.name) + datasets.map(\.name)
    }

    /// A dataset's facts for `misq_catalog`, in order.
    static func facts(_ ds: Dataset) throws -> [(String, String)] {
        var facts: [(String, String)] = []
        for (unit, definition) in ds.units.sorted(by: { $0.key < $1.key }) {
            switch definition {
            case .rows: facts.append(("unit", "\(unit)=rows"))
            case .distinct(let c): facts.append(("unit", "\(unit)=distinct \(c)"))
            case .measure: facts.append(("unit", "\(unit)=measure"))
            }
        }
        if ds.isDefault { facts.append(("default", "yes")) }
        if let d = ds.declaredAsOf { facts.append(("as_of", Day.iso(d))) }
        if let c = ds.periodColumn { facts.append(("period", c)) }
        if try ds.periodColumnIndex()?.inferred == true { facts.append(("period_inferred", "yes")) }
        if let l = ds.published {
            facts.append(("published", [l.weight, l.measure, l.periodStart ?? "", l.periodEnd ?? ""].joined(separator: "\n")))
        }
        let p = ds.provenance
        if let s = p.suppression { facts.append(("suppression", s.text)) }
        for n in p.notes { facts.append(("note", n)) }
        if let d = p.describedBy { facts.append(("described_by", d)) }
        if !ds.missingValues.isEmpty { facts.append(("missing_values_declared", "yes")) }
        return facts
    }

    static func table(_ ds: Dataset) throws -> Table {
        let kinds: [Kind] = try ds.columnNames.indices.map {
            switch try ds.column($0).type {
            case .category: return .text
            case .number: return .real
            case .date: return .date
            case .boolean: return .boolean
            }
        }
        return Table(name: ds.name, columns: Array(zip(ds.columnNames, kinds)), primaryKey: nil)
    }

    /// The side tables first, then each dataset's table and rows; the
    /// tables of those names that were there and were dropped first, which
    /// only `replace` allows (a view or index of a name is never dropped).
    /// The caller holds a transaction around it, so a refusal or a failure
    /// part way leaves the database as it was.
    @discardableResult
    static func write(_ datasets: [Dataset], definitions files: [SourceFile] = [], to sink: ExportSink, replace: Bool) throws -> [String] {
        let names = tables(datasets)
        let present = try sink.existing(names)
        if let other = present.first(where: { !$0.isTable }) {
            throw MisqError(.io, "'\(other.name)' in \(sink.place) is not a table: misq export never drops it",
                            suggestion: "export to another \(sink.elsewhere)")
        }
        let replaced = names.filter { n in present.contains { $0.name == n } }
        if !replaced.isEmpty && !replace {
            let one = replaced.count == 1
            throw MisqError(.io, "\(sink.place) has \(one ? "a table" : "tables") of the name\(one ? "" : "s") misq export writes (\(replaced.joined(separator: ", "))): it never writes over a table unless told",
                            suggestion: "misq export --to … --replace drops and writes them again; or export to another \(sink.elsewhere)")
        }
        for n in replaced { try sink.drop(n) }
        for t in sideTables { try sink.create(t) }
        var described: [[Value]] = [], columnRows: [[Value]] = [], factRows: [[Value]] = []
        for ds in datasets {
            let p = ds.provenance
            let periodColumn = try ds.periodColumnIndex().map { ds.columnNames[$0.index] }
            described.append([.text(ds.name), text(p.title), text(p.publisher), text(p.reference), p.retrieved.map(Value.date) ?? .null,
                              text(p.retrievedFrom), p.caveats.isEmpty ? .null : .text(p.caveats.joined(separator: "\n")),
                              .boolean(p.synthetic), text(periodColumn), .text(ds.path)])
            for k in ds.columnNames.indices {
                columnRows.append([.text(ds.name), .text(ds.columnNames[k]), .integer(Int64(k)), .text(try ds.column(k).type.rawValue),
                                   text(ds.declaredValues(k)?.joined(separator: "\n"))])
            }
            for (key, value) in try facts(ds) { factRows.append([.text(ds.name), .text(key), .text(value)]) }
        }
        let definitionRows: [[Value]] = files.map { [.text($0.name), .text($0.text)] }
        try sink.insert(Self.datasets, rows: described.count) { described[$0][$1] }
        try sink.insert(Self.columns, rows: columnRows.count) { columnRows[$0][$1] }
        try sink.insert(Self.catalog, rows: factRows.count) { factRows[$0][$1] }
        try sink.insert(Self.definitions, rows: definitionRows.count) { definitionRows[$0][$1] }
        for ds in datasets {
            let table = try table(ds)
            try sink.create(table)
            let columns = try ds.columnNames.indices.map { try ds.column($0) }
            try sink.insert(table, rows: try ds.rowCount) { r, k in value(columns[k], r) }
        }
        return replaced
    }

    static func text(_ s: String?) -> Value { s.map(Value.text) ?? .null }

    static func value(_ col: Column, _ r: Int) -> Value {
        switch col {
        case .number(let n): let v = n.values[r]; return v.isNaN ? .null : .real(v)
        case .boolean(let b): return b.known[r] ? .boolean(b.value[r]) : .null
        case .date(let d): let v = d.days[r]; return v == DateColumn.missing ? .null : .date(Int(v))
        case .category: return text(col.text(r))
        }
    }
}

/// A database being written by `misq export`: says which of some names it
/// already has (and whether each is a table), drops a table, makes a table
/// of the shape's kinds, and fills it with `rows` rows whose values
/// `value(row, column)` gives.
protocol ExportSink {
    /// Where the tables go, for messages ("schema public of postgres://u@h/db").
    var place: String { get }
    /// What else to export to, for a suggestion ("file name", "schema or database").
    var elsewhere: String { get }
    func existing(_ names: [String]) throws -> [(name: String, isTable: Bool)]
    func drop(_ table: String) throws
    func create(_ table: ExportShape.Table) throws
    func insert(_ table: ExportShape.Table, rows: Int, _ value: (_ row: Int, _ column: Int) throws -> ExportShape.Value) throws
}
