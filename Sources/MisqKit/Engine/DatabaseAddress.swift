import Foundation

/// `--engine ADDRESS`: which database to connect to. `sqlite:FILE` and
/// `duckdb:FILE` name files; `postgres://…` a server, whose address may
/// hold a user and password, so no message repeats an address as given:
/// each names the database by its connection's `displayName`.
public enum DatabaseAddress {
    /// The schemes `--engine` takes, as a help text and suggestions list them.
    public static let forms = ["sqlite:FILE.db", "duckdb:FILE.db", "postgres://USER:PASSWORD@HOST:PORT/DATABASE"]

    public static func connect(_ address: String) throws -> any DatabaseConnection {
        let scheme = address.prefix { $0 != ":" }.lowercased()
        let rest = String(address.dropFirst(scheme.count + 1))
        switch scheme {
        case "sqlite":
            guard !rest.isEmpty else { throw usage("--engine sqlite: needs a file name") }
            return try SQLiteConnection(path: rest)
        case "duckdb":
            guard !rest.isEmpty else { throw usage("--engine duckdb: needs a file name") }
            return try DuckDBConnection(path: rest)
        case "postgres", "postgresql":
            return try PostgresConnection(url: address)
        default:
            throw usage("--engine takes a database as " + forms.joined(separator: " or ")
                        + " (the address given is not repeated here: it may hold a password)")
        }
    }

    static func usage(_ message: String) -> MisqError {
        MisqError(.usage, message, suggestion: "misq run FILE --engine sqlite:misq.db (after misq export --to sqlite:misq.db)")
    }
}
