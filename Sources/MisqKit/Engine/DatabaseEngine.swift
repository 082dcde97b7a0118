import Foundation

/// `--engine`: a live database, its catalog, and each query run there —
/// compiled by `SQL/SQLCompiler.swift` from the same logical plan the
/// in-process engine runs, executed on the connection, and made into the
/// same typed result with the same footer facts (`DatabaseAnswer.swift`),
/// so every format, assertion and report prints it as it prints misq's own.
public final class DatabaseEngine {
    public let connection: any DatabaseConnection
    public let schemas: [DatabaseSchema]
    /// The definitions files the export carried (`define vawg = …`).
    public let definitions: [SourceFile]

    public init(connection: any DatabaseConnection) throws {
        self.connection = connection
        (schemas, definitions) = try DatabaseCatalog.read(connection)
    }

    /// Connects to `--engine ADDRESS` and reads its catalog.
    public convenience init(address: String) throws {
        try self.init(connection: try DatabaseAddress.connect(address))
    }

    /// How `--engine` is written in messages: `sqlite:misq.db`, never an address with a password.
    public var label: String { "\(connection.target.rawValue):\(connection.displayName)" }

    public func schema(named name: String) -> DatabaseSchema? {
        schemas.first { $0.name == name } ?? schemas.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Runs a checked plan on the database. `with suppression` is applied
    /// by the caller to the figures this returns (`Session.run`).
    public func run(_ plan: LogicalPlan, catalog: any Catalog) throws -> QueryResult {
        guard let schema = schema(named: plan.dataset) else {
            throw MisqError(.name, "no table '\(plan.dataset)' in \(label)")
        }
        let d = SQLDialect.for(connection.target)
        if plan.table != nil {
            throw refusal("a table of several measures", why: "its footer's notes (the rows each measure reads, columns with no value) are not worked out from a database yet")
        }
        if !plan.derive.isEmpty {
            throw refusal("a derived value (define … = expression)",
                          why: "the footer counts the rows where computing it failed (a division by zero), and that count is not read from a database yet")
        }
        if plan.suppression != nil { throw refusal("with suppression", why: "it is applied to the figures after they are read") }
        // `top` and `limit` cut the groups here, as the in-process engine
        // does, so the footer can say how many groups there were and how
        // many tied: the database returns every group in order.
        var compiled = plan
        let cuts = !plan.isScalar && plan.across == nil && plan.topShare == nil && (plan.top != nil || plan.limit != nil)
        if cuts {
            compiled.top = nil
            compiled.limit = nil
            if plan.top != nil, plan.order.isEmpty { compiled.order = [PlanOrder(target: .value, descending: true)] }
        }
        let statement = plan.dataset
        let sql: String
        let show: Bool
        if case .show = plan.measure { show = true } else { show = false }
        do {
            // A show's rows are all those matched (limit is refused), so it needs no count of them.
            sql = try SQLCompiler.compile(compiled, catalog: catalog, dialect: d, statement: statement, matched: !show)
        } catch var e as MisqError where e.message.hasPrefix("misq sql cannot compile ") {
            e.message = e.message.replacingOccurrences(of: "misq sql cannot compile ", with: "--engine \(connection.target.rawValue) cannot run ")
                .replacingOccurrences(of: " for \(d.target.rawValue): ", with: ": ")
            e.suggestion = "run it in misq itself, without --engine"
            throw e
        }
        // The answer and the footer's counts in one call (DuckDB's program
        // answers a batch at a time): the rows matched come with the
        // answer, the table's rows (and blank rows) in queries of their own.
        let counts = try SQLCompiler.rowCounts(plan, catalog: catalog, dialect: d)
        let answers = try connection.queries([sql] + counts)
        guard answers.count == 1 + counts.count, let countRow = answers[1].rows.first, !countRow.isEmpty else {
            throw MisqError(.io, "\(label) gave no answer to a query")
        }
        let blank = plan.countsRows ? answers[2].rows.first?.first?.number ?? 0 : 0
        var answer = answers[0]
        var matched = answer.rows.count
        if !show {
            guard let m = answer.columns.lastIndex(of: SQLCompiler.matchedColumn) else {
                throw MisqError(.io, "\(label) gave an answer without the count of rows matched")
            }
            // The count is on the total row (the answer's only row for one figure); the column is dropped, so the answer reads as misq sql's.
            let total = plan.isScalar ? answer.rows.first : answer.rows.first { $0.last?.text == "total" }
            matched = Int(total.flatMap { m < $0.count ? $0[m].number : nil } ?? 0)
            answer.columns.remove(at: m)
            answer.rows = answer.rows.map { r in var r = r; if m < r.count { r.remove(at: m) }; return r }
        }
        let figures = RowFigures(scanned: Int(countRow[0].number ?? 0), matched: matched, blank: Int(blank),
                                 fractionalWeights: countRow.count > 1 ? Int(countRow[1].number ?? 0) : 0)
        return try DatabaseAnswer(plan: plan, schema: schema, catalog: catalog, figures: figures, engine: label).result(answer)
    }

    func refusal(_ what: String, why: String) -> MisqError {
        MisqError(.type, "--engine \(connection.target.rawValue) cannot run \(what): \(why)",
                  suggestion: "run it in misq itself, without --engine")
    }
}

/// The footer's row figures, read from the database with the answer.
struct RowFigures {
    var scanned: Int
    var matched: Int
    var blank: Int
    var fractionalWeights: Int
}

extension DatabaseConnection {
    /// Several queries, each answered in turn; an engine that pays for
    /// each call (DuckDB's CLI starts a process) answers them in one.
    public func queries(_ sql: [String]) throws -> [DatabaseRows] {
        if let batch = self as? BatchingConnection { return try batch.batch(sql) }
        return try sql.map(query)
    }
}

/// A connection that answers several queries in one call.
protocol BatchingConnection {
    func batch(_ sql: [String]) throws -> [DatabaseRows]
}
