import XCTest
@testable import MisqKit

/// Each aggregate is one entry of `AggregateSpec.all`; the parser, the
/// checker and the measurer read it. These run every entry through the
/// 20-row fixture (days_open holds numbers, reported dates, outcome
/// categories), so an entry whose types, parameters or result type the
/// stages do not honour fails here.
final class AggregateRegistryTests: XCTestCase {
    /// `percentile 90 days_open`: each parameter written as the middle of its range.
    func written(_ spec: AggregateSpec, _ column: String) -> String {
        ([spec.name] + spec.parameters.map { NumberFormat.plain(($0.allowed.lowerBound + $0.allowed.upperBound) / 2) } + [column])
            .joined(separator: " ")
    }

    func testTheCheckerAcceptsTheEntrysTypesAndGivesItsResultType() throws {
        XCTAssertEqual(Set(AggregateSpec.all.map(\.name)).count, AggregateSpec.all.count, "one entry per name")
        for spec in AggregateSpec.all {
            for (column, type) in [("days_open", AggregateSpec.ValueType.number), ("reported", .date)] {
                let text = written(spec, column)
                guard spec.argumentTypes.contains(type) else {
                    XCTAssertThrowsError(try Fixtures.results(text), text) { e in
                        XCTAssertEqual(e.misqErrors.first?.expected, spec.argumentsListed, text)
                    }
                    continue
                }
                guard let r = try Fixtures.results(text).last else { XCTFail(text); continue }
                XCTAssertEqual(r.valueIsDate, type == .date && spec.result == .sameAsArgument, text)
                XCTAssertEqual(r.valueName, text, "the heading is the aggregate as written")
            }
            XCTAssertThrowsError(try Fixtures.results(written(spec, "outcome")), spec.name) { e in
                XCTAssertEqual(e.misqErrors.first?.message.hasPrefix("\(spec.name) needs \(spec.argumentsListed)"), true, "\(e)")
            }
        }
    }

    /// Each parameter is required, and a value outside its range is an
    /// error pointing at it; its ends are inside.
    func testTheParserReadsTheEntrysParameters() throws {
        for spec in AggregateSpec.all {
            for p in spec.parameters {
                let before = spec.name + " ", after = " days_open"
                XCTAssertNoThrow(try Parser.parse(SourceFile(name: "t", text: before + NumberFormat.plain(p.allowed.lowerBound) + after)))
                XCTAssertNoThrow(try Parser.parse(SourceFile(name: "t", text: before + NumberFormat.plain(p.allowed.upperBound) + after)))
                for outside in [p.allowed.lowerBound - 1, p.allowed.upperBound + 0.5] {
                    let number = NumberFormat.plain(outside)
                    XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: before + number + after)), number) { e in
                        let err = e.misqErrors.first
                        XCTAssertEqual(err?.message, "\(spec.name) \(number) is outside \(NumberFormat.plain(p.allowed.lowerBound)) to \(NumberFormat.plain(p.allowed.upperBound))")
                        XCTAssertEqual(err?.span.start, before.utf8.count, "the caret is under the number")
                    }
                }
                XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: spec.name + after)), "\(spec.name) without \(p.name)")
            }
        }
    }

    /// min and max are values of the column, not always whole: the largest
    /// days_to_close of Fixtures/percentile/closures.csv is 1000000.25 (by
    /// eye, and DuckDB's max), which printed as 1,000,000.
    func testMinAndMaxKeepTheirDecimals() throws {
        let path = Fixtures.testsDirectory.appendingPathComponent("Fixtures/percentile/closures.csv").path
        let results = try Fixtures.results("load \"\(path)\" as closures\nmax days_to_close from closures\nmin days_to_close from closures where outcome = referred",
                                           session: Session())
        XCTAssertEqual(results.map { Grid($0).rows[0][0].text }, ["1,000,000.25", "-2"])
    }

    /// Every aggregate is a statement word, reserved, offered at the prompt.
    func testEveryEntryIsAWordOfTheLanguage() {
        let offered = Set(Completer(session: Session()).candidates(before: "", word: ""))
        for spec in AggregateSpec.all {
            XCTAssertTrue(Keywords.reserved.contains(spec.name), spec.name)
            XCTAssertTrue(Keywords.statementStarts.contains(spec.name), spec.name)
            XCTAssertTrue(offered.contains(spec.name), spec.name)
            XCTAssertTrue(HelpText.render(spec.name).contains(spec.summary), spec.name)
        }
    }
}
