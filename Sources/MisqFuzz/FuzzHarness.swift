import Foundation
import MisqKit

/// What the fuzzers (fuzz/) and the regression tests feed arbitrary bytes
/// through. A target of its own, beside the library rather than in it, and
/// shared by fuzz/run.sh and the tests, so a failing input found by the
/// fuzzer replays through exactly the same code in `swift test`. Any thrown
/// MisqError is a correct answer; a crash, hang or sanitizer report is not.
public enum FuzzHarness {
    /// A tiny dataset and definition that queries can touch.
    static let fixture = Array(#"""
    case_id,officer_id,reported,outcome,suspended,days,source
    C1,P1,2022-05-03,Dismissal without notice,yes,120,internal
    C1,P2,03/06/2022,Written warning,no,,public
    C2,P1,2023-01-31,"No further action, ""NFA""",,7,internal
    C3,P3,,Pending,yes,1.5,public

    """#.utf8)

    static func session() throws -> Session {
        let s = Session()
        let csv = try CSVFile(path: "fuzz.csv", bytes: fixture)
        try s.add(Dataset(name: "cases", path: "fuzz.csv", csv: csv,
                          units: ["allegations": .rows, "cases": .distinct("case_id"), "individuals": .distinct("officer_id")],
                          periodColumn: "reported", asOf: Day.number(2024, 4, 30), isDefault: true))
        let defs = "define flagged = suspended or outcome = pending\nparam window = 2022-05..2023-05\n"
        try ScriptRunner(session: s).run(SourceFile(name: "defs", text: defs), mode: .declarations)
        return s
    }

    /// Query text: lex, parse, print and re-parse, check and run every
    /// statement except `load` (which would read arbitrary paths).
    public static func query(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let source = SourceFile(name: "fuzz", text: text)
        guard var program = try? Parser.parse(source) else { return }
        // The printed tree must parse again.
        let printed = program.statements.map(\.description).joined(separator: "\n")
        _ = try? Parser.parse(SourceFile(name: "printed", text: printed))
        program.statements.removeAll { if case .load = $0.kind { return true } else { return false } }
        guard let s = try? session() else { return }
        for stmt in program.statements {
            let one = Program(source: source, statements: [stmt], comments: program.comments)
            if let events = try? ScriptRunner(session: s).run(one, mode: .run) {
                for case .result(let r, _, _, _) in events {
                    for f in OutputFormat.allCases { _ = Renderer.render(r, as: f, maxRows: 10, maxWidth: 60) }
                }
            }
        }
        _ = Completer(session: s).candidates(before: text, word: "")
        _ = Lexer.needsMore(text)
    }

    /// CSV bytes: index the file, type every column, describe it, count it.
    /// Returns what went wrong when cutting the file into small chunks gave
    /// a different answer from one chunk (the fuzz target aborts on that),
    /// nil when they agreed.
    @discardableResult
    public static func csv(_ bytes: [UInt8]) -> String? {
        let mismatch = chunkingMismatch(bytes)
        guard let file = try? CSVFile(path: "fuzz.csv", bytes: bytes) else { return mismatch }
        let ds = Dataset(name: "d", path: "fuzz.csv", csv: file, units: ["rows": .rows])
        let s = typeAndDescribe(ds)
        if let first = ds.columnNames.first, !Keywords.reserved.contains(first.lowercased()) {
            _ = try? ScriptRunner(session: s).run(SourceFile(name: "q", text: "count rows by \(first) with percent, total"), mode: .run)
        }
        return mismatch
    }

    /// Every column typed and a few cells read, then the dataset described:
    /// what a user's first `describe` of a new file does (CSV or workbook).
    @discardableResult
    static func typeAndDescribe(_ ds: Dataset) -> Session {
        for k in 0..<min(ds.columnNames.count, 64) {
            guard let col = try? ds.column(k) else { continue }
            for r in 0..<min(col.count, 16) { _ = col.text(r) }
        }
        let s = Session()
        try? s.add(ds)
        _ = try? Describer.dataset(ds, session: s)
        return s
    }

    /// The first pass (rows checked, columns coded) over one chunk, over
    /// chunks of a few bytes (which start inside quoted fields and rows),
    /// with the fast path indexing a few bytes at a time (so rows cross
    /// its windows and outgrow them), and with every row parsed by the
    /// exact byte-level path instead of the fast one for plain rows: the
    /// columns, or the error, must be the same all four ways.
    package static func chunkingMismatch(_ bytes: [UInt8]) -> String? {
        // Small, varied by input, and at most a few hundred chunks.
        let small = max(1 + bytes.count % 61, bytes.count / 256)
        // Windows of 1 to 97 bytes: shorter than most rows, and unaligned
        // with the 64-byte blocks of the vector pass.
        let window = 1 + bytes.count % 97
        func run(_ chunkBytes: Int, exact: Bool = false, windowBytes: Int = StructuralWindow.defaultBytes) -> Result<[Column], MisqError>? {
            guard let csv = try? CSVFile(path: "fuzz.csv", file: FileBytes(copying: bytes), chunkBytes: chunkBytes) else { return nil }
            csv.exactRowsOnly = exact
            csv.windowBytes = windowBytes
            let columns = Array(0..<min(csv.header.count, 16))
            do {
                return .success(try ColumnBuilder.build(csv, columns: columns, schemas: columns.map { FieldSchema(name: csv.header[$0]) },
                                                        missingValues: []))
            } catch {
                return .failure(error.misqErrors.first ?? MisqError(.data, "\(error)"))
            }
        }
        let one = run(bytes.count + 1)
        return differ(one, run(small), "chunks of \(small)")
            ?? differ(one, run(bytes.count + 1, windowBytes: window), "windows of \(window)")
            ?? differ(one, run(bytes.count + 1, exact: true), "exact rows")
    }

    static func differ(_ a: Result<[Column], MisqError>?, _ b: Result<[Column], MisqError>?, _ how: String) -> String? {
        switch (a, b) {
        case (nil, nil): return nil
        case (.success(let a)?, .success(let b)?):
            guard a.count == b.count else { return "\(a.count) columns in one chunk, \(b.count) with \(how)" }
            for (k, (x, y)) in zip(a, b).enumerated() {
                guard x.count == y.count else { return "column \(k): \(x.count) rows in one chunk, \(y.count) with \(how)" }
                for r in 0..<x.count where x.text(r) != y.text(r) {
                    return "column \(k) row \(r): '\(x.text(r) ?? "")' in one chunk, '\(y.text(r) ?? "")' with \(how)"
                }
            }
            return nil
        case (.failure(let a)?, .failure(let b)?):
            let x = DiagnosticRenderer.render([a]), y = DiagnosticRenderer.render([b])
            return x == y ? nil : "one chunk: \(x)\n\(how): \(y)"
        case (let a, let b):
            return "one chunk: \(String(describing: a)); \(how): \(String(describing: b))"
        }
    }
}
