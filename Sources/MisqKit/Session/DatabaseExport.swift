/// `misq export --to DATABASE`: the session's datasets written to a
/// database (`Storage/SQLiteExport.swift`), so the SQL `misq sql` writes
/// has the same tables to run on. A database named by a URL may hold a
/// password: it is never repeated in a message.
extension Session {
    /// The datasets written, by name.
    public func exportDatabase(to target: String) throws -> [String] {
        let datasets = schemas.filter { !$0.isMadeByStatement }.compactMap { dataset(named: $0.name) }
        if target.hasPrefix("sqlite:") {
            let path = String(target.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw MisqError(.usage, "--to sqlite: needs a file name", suggestion: "misq export --to sqlite:misq.db")
            }
            for ds in datasets { try ds.checkUsable() }
            try SQLiteExport.write(datasets, to: path)
            return datasets.map(\.name)
        }
        let scheme = target.prefix { $0 != ":" }
        if ["duckdb", "postgres", "postgresql"].contains(scheme.lowercased()) {
            throw MisqError(.usage, "misq export writes only SQLite files so far, not \(scheme) (the address given is not repeated here: it may hold a password)",
                            suggestion: "misq export --to sqlite:misq.db")
        }
        throw MisqError(.usage, "--to takes a database as sqlite:FILE (the address given is not repeated here: it may hold a password)",
                        suggestion: "misq export --to sqlite:misq.db")
    }
}
