import XCTest
import MisqCLI
@testable import MisqKit

/// Names in backticks (issue 15, item 16): any column, dataset, unit or
/// define can be named, a bare name folds to the one column it matches, and
/// every name misq writes back (printer, did-you-mean, completion) parses.
/// Expected figures are hand counts of the four-row CSV below.
final class QuotedNameTests: XCTestCase {
    /// `Subject Ref` (a space), `count` (a keyword), `Case-Ref` (punctuation),
    /// `a``b` (a backtick).
    static let csv = """
    Subject Ref,count,kind,Case-Ref,a`b
    S1,3,x,C1,p
    S2,4,y,C2,q
    S1,5,x,C3,p
    S3,,x,C3,q

    """

    func session() throws -> Session {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("t.csv").path
        try Self.csv.write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        _ = try ScriptRunner(session: s).run(SourceFile(name: "load", text: "load \"\(path)\" as t"), mode: .run)
        return s
    }

    func scalar(_ text: String, _ s: Session) throws -> Double? {
        try Fixtures.results(text, session: s).last?.scalarValue
    }

    func groups(_ text: String, _ s: Session) throws -> [String] {
        guard case .groups(let g)? = try Fixtures.results(text, session: s).last?.body else { return [] }
        return g.rows.map { $0.keys.map { $0 ?? "(missing)" }.joined(separator: "/") + "=" + $0.values.map(NumberFormat.plain).joined(separator: ",") }
    }

    func error(_ text: String, _ s: Session) -> MisqError? {
        do { _ = try Fixtures.results(text, session: s); return nil } catch { return error.misqErrors.first }
    }

    func testBackticksNameAnyColumn() throws {
        let s = try session()
        XCTAssertEqual(try groups("count t by `Subject Ref`", s), ["S1=2", "S2=1", "S3=1"])
        XCTAssertEqual(try scalar("sum `count` from t", s), 12)  // 3 + 4 + 5
        XCTAssertEqual(try scalar("count distinct `Case-Ref` from t", s), 3)
        XCTAssertEqual(try scalar("count t where `a``b` = p", s), 2)
        XCTAssertEqual(try scalar("count t where `Subject Ref` = s1 and `count` > 3", s), 1)
        XCTAssertEqual(try scalar("count `t` where `count` is missing", s), 1)
        // Define, let and unit names in backticks too.
        XCTAssertEqual(try scalar("define `is x` = kind = x\nunit `subjects` = distinct `Subject Ref` from t\ncount `subjects` where `is x`", s), 2)
    }

    func testBareNameFoldsToTheOneMatchingColumn() throws {
        let s = try session()
        XCTAssertEqual(try groups("count t by subject_ref", s), ["S1=2", "S2=1", "S3=1"])
        XCTAssertEqual(try scalar("count distinct case_ref from t", s), 3)
        XCTAssertEqual(try scalar("count t where SUBJECTREF = s2", s), 1)
    }

    func testSeveralColumnsFoldingAlikeIsAnErrorNamingThem() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("two.csv").path
        try "Case Ref,case_ref\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        _ = try ScriptRunner(session: s).run(SourceFile(name: "load", text: "load \"\(path)\" as two"), mode: .run)
        let e = try XCTUnwrap(error("count distinct caseref from two", s))
        XCTAssertTrue(e.message.contains("matches 2 columns"), e.message)
        XCTAssertTrue(e.suggestion?.contains("`Case Ref` or `case_ref`") == true, e.suggestion ?? "")
        // An exact name still picks its column.
        XCTAssertEqual(try scalar("count distinct case_ref from two", s), 1)
    }

    func testSuggestionsAndHintsParse() throws {
        let s = try session()
        let e = try XCTUnwrap(error("count t by subjectref2", s))
        XCTAssertEqual(e.suggestion, "did you mean `Subject Ref`?")
        // The keyword hint names the form that works, not a file to edit.
        let k = try XCTUnwrap(error("sum count from t", s))
        XCTAssertEqual(k.suggestion?.contains("`count`"), true, k.suggestion ?? "")
        XCTAssertEqual(k.suggestion?.contains("datapackage.json"), false)
        // What the suggestion says runs.
        XCTAssertEqual(try scalar("sum `count` from t", s), 12)
    }

    func testCompletionInsertsAFormThatParses() throws {
        let s = try session()
        let c = Completer(session: s)
        XCTAssertEqual(c.candidates(before: "count t by ", word: "Subj"), ["`Subject Ref`"])
        XCTAssertEqual(c.candidates(before: "count t by ", word: "`Subj"), ["`Subject Ref`"])
        XCTAssertEqual(c.candidates(before: "sum ", word: "cou"), ["`count`"])
        XCTAssertEqual(c.candidates(before: "count t where ", word: "a"), ["`a``b`"])
        // Values of a backticked column complete after it.
        XCTAssertEqual(c.candidates(before: "count t where `Subject Ref` = ", word: "s"), ["s1", "s2", "s3"])
    }

    func testLexerAndErrors() throws {
        let (tokens, _) = try Lexer.tokenize(SourceFile(name: "t", text: "`a``b` `count`"))
        XCTAssertEqual(tokens.prefix(2).map(\.kind), [.quotedName("a`b"), .quotedName("count")])
        XCTAssertNil(tokens[1].word)  // never a keyword
        for bad in ["count `x", "count ``"] {
            XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: bad)), bad)
        }
    }

    func testPrintedNamesParseBack() throws {
        let names = ["Subject Ref", "count", "a`b", "2022", "fy2022", "percent", "x-y", "outcome", "Öffnung", "with space`"]
        for n in names {
            let text = "count t where \(Identifier.source(n)) = v by \(Identifier.source(n))"
            let program = try Parser.parse(SourceFile(name: "t", text: text))
            guard case .query(let q) = program.statements[0].kind, case .compare(let c, _, _)? = q.filter,
                  case .column(let k)? = q.keys.first else { return XCTFail(text) }
            XCTAssertEqual(c.text, n, text)
            XCTAssertEqual(k.text, n, text)
            XCTAssertEqual(program.statements[0].description, text)
        }
        XCTAssertEqual(Identifier.source("outcome"), "outcome")
        XCTAssertEqual(Identifier.source("Subject Ref"), "`Subject Ref`")
        // let, define, unit and load names print back too.
        let decls = "let `my set` = t where `count` > 1\ndefine `is x` = kind = x\nunit `sub jects` = distinct `Subject Ref` from t\nload \"a.csv\" as `a b`"
        let printed = try Parser.parse(SourceFile(name: "t", text: decls)).statements.map(\.description)
        XCTAssertEqual(printed.joined(separator: "\n"), decls)
    }
}
