import XCTest

/// The pipeline reads one way: source → tokens → tree → logical plan →
/// columnar execution → typed result → presentation, with storage apart
/// from the language and the session (and the CLI) on top. MisqKit is one
/// module, so the compiler does not stop a stage reaching back; this test
/// does: no stage's code names a type declared (at the top level) in a
/// stage it must not know.
final class LayerTests: XCTestCase {
    /// Each folder of Sources/MisqKit and the folders whose types it must not name.
    static let forbidden: [String: [String]] = [
        // Shared helpers (cores, cancellation, exact numbers, value and
        // terminal text) stand below every stage but the calendar and the
        // one error type.
        "Support": ["Lexer", "Syntax", "Plan", "Storage", "Execution", "Result", "Render", "Session", "Report"],
        "Source": ["Lexer", "Syntax", "Plan", "Storage", "Execution", "Result", "Render", "Session", "Report"],
        "Lexer": ["Plan", "Storage", "Execution", "Result", "Render", "Session", "Report"],
        "Syntax": ["Plan", "Storage", "Execution", "Result", "Render", "Session", "Report"],
        "Periods": ["Plan", "Storage", "Execution", "Result", "Render", "Session", "Report"],
        // The checker knows the catalog (schemas and declarations), not data.
        "Plan": ["Storage", "Execution", "Result", "Render", "Session", "Report"],
        // SQL is a second lowering of the logical plan: it knows the plan
        // and the catalog, never the columnar engine or the data.
        "SQL": ["Storage", "Execution", "Result", "Render", "Session", "Report"],
        // A live database's connection, catalog and answers: it knows the
        // plan, the SQL it runs and the results it makes, never the columnar
        // engine, the CSV storage or the session above it.
        "Engine": ["Storage", "Execution", "Render", "Session", "Report"],
        "Storage": ["Execution", "Result", "Render", "Session", "Report"],
        "Execution": ["Render", "Session", "Report"],
        "Result": ["Storage", "Execution", "Render", "Session", "Report"],
        "Render": ["Storage", "Execution", "Session", "Report"],
        // Disclosure control works on typed results: it neither reads data nor words anything.
        "Disclosure": ["Storage", "Execution", "Render", "Session", "Report"],
        // The report is a second presenter of typed results, beside Render's text.
        "Report": ["Storage", "Execution", "Session"],
    ]

    func testNoStageNamesAStageItMustNotKnow() throws {
        let root = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MisqKit")
        let fm = FileManager.default
        func files(_ folder: String) throws -> [URL] {
            let dir = root.appendingPathComponent(folder)
            return try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }.sorted().map { dir.appendingPathComponent($0) }
        }
        let declaration = try NSRegularExpression(pattern: #"^(?:public |package |final |@usableFromInline |indirect )*(?:struct|class|enum|protocol|actor) ([A-Z][A-Za-z0-9]*)"#,
                                                  options: .anchorsMatchLines)
        var declared: [String: Set<String>] = [:]
        for folder in Set(Self.forbidden.keys).union(Self.forbidden.values.flatMap { $0 }) {
            for f in try files(folder) {
                let text = try String(contentsOf: f, encoding: .utf8)
                for m in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let r = Range(m.range(at: 1), in: text) { declared[folder, default: []].insert(String(text[r])) }
                }
            }
        }
        XCTAssertTrue(declared["Plan"]?.contains("LogicalPlan") == true && declared["Storage"]?.contains("Dataset") == true, "the scan found the folders")
        var found: [String] = []
        for (folder, banned) in Self.forbidden.sorted(by: { $0.key < $1.key }) {
            let names = banned.reduce(into: [String: String]()) { out, b in for n in declared[b] ?? [] { out[n] = b } }
            for f in try files(folder) {
                let lines = try String(contentsOf: f, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                for (i, line) in lines.enumerated() {
                    let code = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line[...]
                    let words = Set(code.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
                    for w in words.sorted() { if let b = names[w] { found.append("\(folder)/\(f.lastPathComponent):\(i + 1): \(w) (\(b))") } }
                }
            }
        }
        XCTAssertEqual(found, [], "a stage reaches into one it must not know")
    }
}
