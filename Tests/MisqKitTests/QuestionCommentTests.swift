import XCTest
@testable import MisqKit

/// The question comment above a `let` or `param` heads the answer the
/// declarations lead to (issue 15, item 3): `-- Q2…`, `let n = …`, then a
/// scalar printed with no heading before.
final class QuestionCommentTests: XCTestCase {
    func notes(_ text: String) throws -> [String?] {
        let events = try ScriptRunner(session: Fixtures.smallSession.fork()).run(SourceFile(name: "t", text: text), mode: .run)
        return events.compactMap { e -> String?? in if case .result(_, let note, _, _) = e { return .some(note) } else { return nil } }
    }

    func testAQuestionAboveDeclarationsHeadsTheNextAnswer() throws {
        XCTAssertEqual(try notes("-- Q2. What share is VAWG?\nlet n = count cases where vawg\npercent(n, count cases)\n"),
                       ["Q2. What share is VAWG?"])
        XCTAssertEqual(try notes("-- Q1. Cases in the window\nparam window = 2022\nlet n = count cases\ncount cases where period window\n"),
                       ["Q1. Cases in the window"])
        // Only the next answer: the one after it has no heading.
        XCTAssertEqual(try notes("-- Q2. Share\nlet n = count cases\npercent(n, count cases)\ncount cases\n"), ["Q2. Share", nil])
    }

    func testABlankLineOrAnotherCommentEndsIt() throws {
        XCTAssertEqual(try notes("-- About the window\nparam window = 2022\n\ncount cases where period window\n"), [nil])
        XCTAssertEqual(try notes("-- Q1. One\nlet n = count cases\n-- Q2. Two\ncount cases\n"), ["Q2. Two"])
        // An assertion between is not an answer, and ends it.
        XCTAssertEqual(try notes("-- Q1. One\nlet n = count cases\nassert n = n\ncount cases\n"), [nil])
        // A trailing comment on a declaration is about it, not a question.
        XCTAssertEqual(try notes("let n = count cases -- the whole\npercent(n, count cases)\n"), [nil])
    }
}
