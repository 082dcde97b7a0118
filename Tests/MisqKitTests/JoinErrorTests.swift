import XCTest
@testable import MisqKit

/// Errors of joins and grouped results found by a cold tester (issue 18):
/// every figure in a note is counted by hand from the Golden/files fixture
/// it names, and every suggestion that gives a statement is run as written.
final class JoinErrorTests: XCTestCase {
    static let files = Fixtures.golden + "/files"
    static let setup = JoinTests.setup + """
        load "\(files)/join_workforce_case.csv" as w2
        load "\(files)/join_header_only.csv" as header_only
        load "\(files)/join_numbers.csv" as numbers_x
        let per_officer = count allegations by officer_id

        """

    func error(_ statement: String, file: StaticString = #filePath, line: UInt = #line) -> MisqError? {
        do {
            _ = try Fixtures.results(Self.setup + statement)
            XCTFail("no error: \(statement)", file: file, line: line)
        } catch { return error.misqErrors.first }
        return nil
    }

    /// The suggestion ends with `statement`, and `statement` runs.
    func assertSuggestionRuns(_ failing: String, _ statement: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let e = error(failing, file: file, line: line) else { return }
        XCTAssertTrue(e.suggestion?.contains(statement) ?? false, "\(e.suggestion ?? "no help") does not give \(statement)", file: file, line: line)
        XCTAssertNoThrow(try Fixtures.results(Self.setup + statement), statement, file: file, line: line)
    }

    // A. join_workforce_case.csv holds "MET" and "Met" on one row each;
    // cases_x has no column of either (its rows would have counted 0).
    func testAJoinedColumnsLabelsAreCountedOnTheJoinedDataset() {
        let e = error("count cases_x where w2.force = Met join w2 on force per 1 w2.headcount")
        XCTAssertEqual(e?.notes, ["w2's data counts them apart: \"MET\" (1 row), \"Met\" (1 row)"])
    }

    // B. Each suggestion is a statement that runs.
    func testTopInsidePercentSuggestsALetThatRuns() {
        assertSuggestionRuns("percent(sum allegations from per_officer top 10%, sum allegations from per_officer)",
                             "let top_part = sum allegations from per_officer top 10%")
    }

    func testAcrossWithPerSuggestsDroppingItWhenItsKeyIsNotTheJoinedDatasets() {
        assertSuggestionRuns("count cases_x join workforce_x on force by force across outcome per 1000 workforce_x.headcount",
                             "count cases_x join workforce_x on force by force per 1000 workforce_x.headcount")
    }

    func testAcrossWithPerSuggestsBothKeysWhenBothAreTheJoinedDatasets() {
        assertSuggestionRuns("count cases_x join workforce_x on force by force across workforce_x.officers per 1000 workforce_x.headcount",
                             "count cases_x join workforce_x on force by force, workforce_x.officers per 1000 workforce_x.headcount")
    }

    func testTopWithoutGroupsSuggestsAColumnOfTheDatasetItself() {
        // per_officer's columns: officer_id and allegations; no outcome.
        let e = error("count per_officer top 10%")
        XCTAssertFalse(e?.suggestion?.contains("outcome") ?? true, e?.suggestion ?? "")
        assertSuggestionRuns("count per_officer top 10%", "count per_officer by officer_id top 10%")
    }

    func testAKeyNotOfTheJoinedDatasetUnderPerSuggestsTheJoinKey() {
        assertSuggestionRuns("count cases_x join workforce_x on force by outcome per 1000 workforce_x.headcount",
                             "count cases_x join workforce_x on force by force per 1000 workforce_x.headcount")
    }

    // C. A help line, and an expected, on each.
    func testKeyTypesWithNoColumnOfTheTypeOnTheJoinedSideHaveHelp() {
        // numbers_x holds numbers only; allegations' days_open is a number.
        assertSuggestionRuns("count allegations join numbers_x on outcome = code", "count allegations join numbers_x on days_open = numbers_x.code")
        let none = error("count cases_x join numbers_x on force = code")
        XCTAssertNotNil(none?.suggestion)
        XCTAssertEqual(none?.notes, ["no column of numbers_x holds category values"])
    }

    func testAUnitTheDatasetDoesNotCountHasHelp() {
        assertSuggestionRuns("count cases from workforce_x", "count rows from workforce_x")
    }

    func testPerOfAHeaderOnlyFilesColumnHasHelp() {
        assertSuggestionRuns("count cases_x by force join header_only on force per 1000 header_only.headcount",
                             "count cases_x join header_only on force by force")
    }

    func testWithPercentUnderPerHasAnExpected() {
        let e = error("count cases_x by force join workforce_x on force per 1000 workforce_x.headcount with percent")
        XCTAssertNotNil(e?.expected)
        assertSuggestionRuns("count cases_x by force join workforce_x on force per 1000 workforce_x.headcount with percent",
                             "count cases_x join workforce_x on force by force per 1000 workforce_x.headcount")
    }

    func testSeveralMeasuresInALetAreTheDocumentedError() {
        let e = error("let x = count cases, count allegations by outcome")
        XCTAssertEqual(e?.message, "a let keeps one measure; several measures cannot be kept")
        assertSuggestionRuns("let x = count cases, count allegations by outcome", "let x = count cases by outcome")
    }
}

/// E. Words around a figure.
extension JoinErrorTests {
    func testTopInTheValuesOwnDescendingOrderIsSaidPlainly() throws {
        // Fixtures/small: P01 has 3 allegations, P02 and P06 2 each: top 2 keeps P01 and one of them.
        let r = try XCTUnwrap(Fixtures.results("count allegations by officer_id order by allegations desc top 2").last)
        let note = try XCTUnwrap(r.footer.noteTexts.first { $0.hasPrefix("top 2") })
        XCTAssertFalse(note.contains("not the largest"), note)
        XCTAssertTrue(note.hasPrefix("top 2 of "), note)
    }

    func testLabelsDifferingOnlyBySpacesShowApartInATableAndExactInCSVAndJSON() throws {
        // join_spaces.csv: "Met" once, "Met " twice, " Kent" once (quoted in the file, so kept).
        let r = try XCTUnwrap(Fixtures.results("load \"\(Self.files)/join_spaces.csv\" as sp\ncount sp by force").last)
        let table = Renderer.render(r, as: .table)
        XCTAssertTrue(table.contains("│ \"Met \"  │  2 │"), table)
        XCTAssertTrue(table.contains("│ Met     │  1 │"), table)
        XCTAssertTrue(table.contains("│ \" Kent\" │  1 │"), table)
        let csv = Renderer.render(r, as: .csv)
        XCTAssertEqual(csv, "force,sp\n\" Kent\",1\nMet,1\n\"Met \",2\n")
        let json = Renderer.render(r, as: .json)
        XCTAssertTrue(json.contains("{\"force\": \"Met \", \"sp\": 2}"), json)
        XCTAssertTrue(json.contains("{\"force\": \" Kent\", \"sp\": 1}"), json)
    }
}

/// D. Tab after a joined column offers what the dataset's own column would
/// (w2's columns and values listed by hand from join_workforce_case.csv).
final class JoinErrorCompletionTests: XCTestCase {
    func completer() throws -> Completer {
        let session = Fixtures.smallSession.fork()
        _ = try Fixtures.results(JoinErrorTests.setup + "count cases_x", session: session)
        return Completer(session: session)
    }

    func testAJoinedColumnIsComparedAndOfferedItsValues() throws {
        let c = try completer()
        let q = "count cases_x join w2 on force where w2.region "
        for op in ["=", "!=", "in", "is", "starts", "contains"] { XCTAssertTrue(c.candidates(before: q, word: "").contains(op), op) }
        XCTAssertEqual(c.candidates(before: q + "= ", word: "S"), ["south_east"])
        XCTAssertEqual(c.candidates(before: q + "in (", word: ""), ["east", "london", "south_east"])
        // The base's own columns still compare as before.
        XCTAssertTrue(c.candidates(before: "count cases_x join w2 on force where outcome ", word: "").contains("="))
    }

    func testJoinKindsAreOfferedAfterTheMeasure() throws {
        let c = try completer()
        XCTAssertEqual(c.candidates(before: "count allegations ", word: "le"), ["left"])
        XCTAssertEqual(c.candidates(before: "count allegations ", word: "in"), ["inner"])
        // Once joined, no second join of any kind.
        XCTAssertEqual(c.candidates(before: "count cases_x join w2 on force ", word: "le"), [])
    }

    func testJoinDoesNotOfferTheQuerysOwnDataset() throws {
        let c = try completer()
        let offered = c.candidates(before: "count cases_x join ", word: "")
        XCTAssertFalse(offered.contains("cases_x"), "\(offered)")
        XCTAssertTrue(offered.contains("w2"), "\(offered)")
    }

    func testPerAndAcrossExcludeEachOther() throws {
        let c = try completer()
        XCTAssertFalse(c.candidates(before: "count cases_x by force join w2 on force per 1000 w2.headcount ", word: "").contains("across"))
        XCTAssertTrue(c.candidates(before: "count cases_x by force join w2 on force ", word: "").contains("across"))
        XCTAssertFalse(c.candidates(before: "count cases_x by force across outcome join w2 on force ", word: "").contains("per"))
    }
}
