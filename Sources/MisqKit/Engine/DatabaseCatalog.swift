import Foundation

/// The catalog of a live database, read from the side tables `misq
/// export` writes (`Storage/ExportSideTables.swift`) and checked against
/// the tables themselves: a database with no `misq_datasets` is not one
/// misq wrote, and a table or column the side tables name that is missing,
/// or whose type is not the one misq wrote, is an error naming it, not a
/// query that fails (or answers) later.
enum DatabaseCatalog {
    static func read(_ c: any DatabaseConnection) throws -> (schemas: [DatabaseSchema], definitions: [SourceFile]) {
        let tables = try c.tables()
        let present = Set(tables.map { $0.lowercased() })
        for t in ["misq_datasets", "misq_columns", "misq_catalog", "misq_definitions"] where !present.contains(t) {
            throw MisqError(.data, "'\(c.displayName)' is not a database misq export wrote: it has no table \(t)",
                            suggestion: "write one from the datasets: misq export --to \(c.target.rawValue):FILE, then --engine \(c.target.rawValue):FILE")
        }
        func text(_ v: DatabaseValue?) -> String? { v?.text }
        let side = try c.queries([
            "SELECT name, title, publisher, reference, retrieved, retrieved_from, caveats, synthetic, period_column, source_file FROM misq_datasets",
            "SELECT dataset, name, position, type, declared_values FROM misq_columns ORDER BY dataset, position",
            "SELECT dataset, key, value FROM misq_catalog",
            "SELECT file, text FROM misq_definitions",
        ])
        guard side.count == 4 else { throw MisqError(.io, "'\(c.displayName)' gave \(side.count) answers to 4 queries") }
        let (datasets, columns, facts, definitions) = (side[0], side[1], side[2], side[3])
        var columnsOf: [String: [[DatabaseValue]]] = [:]
        for r in columns.rows where r.count == 5 { columnsOf[text(r[0]) ?? "", default: []].append(r) }
        var factsOf: [String: [(String, String)]] = [:]
        for r in facts.rows where r.count == 3 { factsOf[text(r[0]) ?? "", default: []].append((text(r[1]) ?? "", text(r[2]) ?? "")) }

        var schemas: [DatabaseSchema] = []
        for r in datasets.rows where r.count == 10 {
            guard let name = text(r[0]) else { continue }
            guard let actualName = tables.first(where: { $0 == name }) ?? tables.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw MisqError(.data, "'\(c.displayName)' has no table \(name), which its misq_datasets lists",
                                suggestion: "export the datasets again to a new file: misq export --to \(c.target.rawValue):FILE")
            }
            let dbColumns = try c.columns(of: actualName)
            var names: [String] = [], types: [ColumnType] = [], declared: [[String]?] = []
            for col in columnsOf[name] ?? [] {
                let cname = text(col[1]) ?? ""
                guard let t = text(col[3]).flatMap(ColumnType.init(rawValue:)) else {
                    throw MisqError(.data, "misq_columns of '\(c.displayName)' gives \(name).\(cname) the type '\(text(col[3]) ?? "")', which is not a misq type",
                                    suggestion: "misq types are " + ColumnType.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard let db = dbColumns.first(where: { $0.name == cname }) else {
                    throw MisqError(.data, "table \(name) of '\(c.displayName)' has no column \(cname), which misq_columns lists",
                                    suggestion: "export the datasets again to a new file: misq export --to \(c.target.rawValue):FILE")
                }
                guard holds(db.type, t, target: c.target) else {
                    throw MisqError(.type, "column \(name).\(cname) of '\(c.displayName)' is \(db.type), which does not hold misq's \(t.rawValue) values",
                                    suggestion: "export the datasets again to a new file: misq export --to \(c.target.rawValue):FILE")
                }
                names.append(cname)
                types.append(t)
                declared.append(text(col[4]).map { $0.components(separatedBy: "\n") })
            }
            let f = factsOf[name] ?? []
            func fact(_ k: String) -> String? { f.first { $0.0 == k }?.1 }
            var units: [String: UnitDefinition] = [:]
            for (k, v) in f where k == "unit" {
                guard let eq = v.firstIndex(of: "=") else { continue }
                let unit = String(v[..<eq]), def = String(v[v.index(after: eq)...])
                if def == "rows" { units[unit] = .rows }
                else if def == "measure" { units[unit] = .measure }
                else if def.hasPrefix("distinct ") { units[unit] = .distinct(String(def.dropFirst("distinct ".count))) }
            }
            var published: PublishedLayout?
            if let p = fact("published") {
                let parts = p.components(separatedBy: "\n")
                if parts.count == 4 {
                    published = PublishedLayout(weight: parts[0], measure: parts[1], periodStart: parts[2].isEmpty ? nil : parts[2],
                                                periodEnd: parts[3].isEmpty ? nil : parts[3])
                }
            }
            var rule: SuppressionRule?
            if let s = fact("suppression") {
                guard let parsed = SuppressionRule.parse(s, setBy: name) else {
                    throw MisqError(.data, "misq_catalog of '\(c.displayName)' gives \(name) the suppression rule '\(s)', which misq cannot read")
                }
                rule = parsed
            }
            // The footer's source lines, worded as the in-process footer words them.
            var source: [String] = []
            var bits: [String] = []
            if let pub = text(r[2]) { bits.append(pub) }
            if let ref = text(r[3]) { bits.append(ref) }
            if let d = text(r[4]) { bits.append("retrieved \(d)" + (text(r[5]).map { " from \($0)" } ?? "")) }
            if !bits.isEmpty { source.append("source: " + bits.joined(separator: "; ")) }
            for caveat in text(r[6])?.components(separatedBy: "\n") ?? [] { source.append("caveat: \(caveat)") }
            if let d = fact("described_by") { source.append("file: \(text(r[9]) ?? name), described by \(d)") }
            let provenance = DatabaseProvenance(title: text(r[1]), synthetic: r[7].number == 1, source: source,
                                                notes: f.filter { $0.0 == "note" }.map(\.1))
            let period = text(r[8]).map { ($0, fact("period_inferred") == "yes") }
            schemas.append(DatabaseSchema(
                name: actualName, path: "\(c.displayName), table \(actualName)", columns: names, types: types, declared: declared,
                published: published, periodColumn: fact("period"), period: period, isDefault: fact("default") == "yes", units: units,
                suppressionRule: rule, provenance: provenance, declaredAsOf: fact("as_of").flatMap { ValueParsing.date($0) },
                missingValuesDeclared: fact("missing_values_declared") == "yes", connection: c))
        }
        let files = definitions.rows.filter { $0.count == 2 }.map { SourceFile(name: text($0[0]) ?? "definitions", text: text($0[1]) ?? "") }
        return (schemas, files)
    }

    /// Whether a column the database declares with `declared` holds misq
    /// values of type `t` as `misq export` writes them: SQLite keeps dates
    /// as ISO text and yes/no as 1/0.
    static func holds(_ declared: String, _ t: ColumnType, target: SQLDialect.Target) -> Bool {
        let d = declared.uppercased()
        let isText = d.contains("CHAR") || d.contains("TEXT") || d.contains("STRING") || d == "CLOB"
        let isDate = d == "DATE"
        let isBool = d.hasPrefix("BOOL")
        let isInteger = d.contains("INT")
        let isNumber = isInteger || ["REAL", "DOUBLE", "FLOAT", "NUMERIC", "DECIMAL"].contains { d.contains($0) }
        switch t {
        case .category: return isText
        case .number: return isNumber
        case .date: return isDate || (target == .sqlite && isText)
        case .boolean: return isBool || (target == .sqlite && isInteger)
        }
    }
}
