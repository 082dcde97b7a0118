/// What the fuzzers (fuzz/) and the regression tests feed arbitrary bytes
/// through. Kept in the library so a failing input found by the fuzzer
/// replays through exactly the same code in `swift test`. Any thrown
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
        try ScriptRunner(session: s).run(SourceFile(name: "defs", text: defs), mode: .quiet)
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
    public static func csv(_ bytes: [UInt8]) {
        guard let file = try? CSVFile(path: "fuzz.csv", bytes: bytes) else { return }
        let ds = Dataset(name: "d", path: "fuzz.csv", csv: file, units: ["rows": .rows])
        for k in 0..<min(ds.columnNames.count, 64) {
            guard let col = try? ds.column(k) else { continue }
            for r in 0..<min(col.count, 16) { _ = col.text(r) }
        }
        let s = Session()
        try? s.add(ds)
        _ = try? Describer.dataset(ds, session: s)
        if let first = ds.columnNames.first, !Keywords.reserved.contains(first.lowercased()) {
            _ = try? ScriptRunner(session: s).run(SourceFile(name: "q", text: "count rows by \(first) with percent, total"), mode: .run)
        }
    }
}
