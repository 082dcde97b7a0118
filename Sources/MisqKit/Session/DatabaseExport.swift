/// `misq export --to DATABASE`: the session's datasets written to a
/// database (`Storage/ExportShape.swift`: SQLite, DuckDB or PostgreSQL),
/// with the definitions files the datasets ship, so the SQL `misq sql`
/// writes has the same tables to run on and `--engine` the same catalog. A database named by a
/// URL may hold a password: only its address without it is ever shown.
public struct ExportSummary: Sendable {
    /// The datasets written, by name.
    public var written: [String]
    /// Tables of those names (or the side tables) that were there and were
    /// dropped and written again, as `--replace` allowed.
    public var replaced: [String]
    /// Where, as misq may show it (no password).
    public var shownTarget: String
}

extension Session {
    public func exportDatabase(to target: String, replace: Bool = false) throws -> ExportSummary {
        let datasets = schemas.filter { !$0.isMadeByStatement }.compactMap { dataset(named: $0.name) }
        if target.hasPrefix("sqlite:") {
            let path = String(target.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw MisqError(.usage, "--to sqlite: needs a file name", suggestion: "misq export --to sqlite:misq.db")
            }
            for ds in datasets { try ds.checkUsable() }
            let replaced = try SQLiteExport.write(datasets, definitions: definitionFiles, to: path, replace: replace)
            return ExportSummary(written: datasets.map(\.name), replaced: replaced, shownTarget: target)
        }
        if PostgresAddress.isPostgres(target) {
            let address = try PostgresAddress(target)
            for ds in datasets { try ds.checkUsable() }
            let connection = try PostgresConnection(address)
            let done = try PostgresExport.write(datasets, definitions: definitionFiles, to: connection, replace: replace)
            return ExportSummary(written: done.written, replaced: done.replaced, shownTarget: address.shown)
        }
        if target.lowercased().hasPrefix("duckdb:") {
            let path = String(target.dropFirst("duckdb:".count))
            guard !path.isEmpty else {
                throw MisqError(.usage, "--to duckdb: needs a file name", suggestion: "misq export --to duckdb:misq.duckdb")
            }
            for ds in datasets { try ds.checkUsable() }
            try DuckDBExport.write(datasets, definitions: definitionFiles, to: path, replace: replace)
            return ExportSummary(written: datasets.map(\.name), replaced: [], shownTarget: target)
        }
        throw MisqError(.usage, "--to takes a database as sqlite:FILE, duckdb:FILE or postgres://USER:PASSWORD@HOST:PORT/DATABASE (the address given is not repeated here: it may hold a password)",
                        suggestion: "misq export --to sqlite:misq.db")
    }
}
