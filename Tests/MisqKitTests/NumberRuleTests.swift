import XCTest
@testable import MisqKit

/// The rule "a column is a number only when every value reads back
/// exactly", value by value, beside what DuckDB makes of a one-column CSV
/// holding that value alone (`typeof(id)` from
/// `read_csv('one.csv', header=true)`, DuckDB 1.x, run by hand):
///
///     +7 VARCHAR    7 BIGINT     -0 BIGINT (reads 0)   0 BIGINT
///     -0.0 DOUBLE   +0 VARCHAR   +1.5 VARCHAR          -7 BIGINT
///     1e3 DOUBLE    1E3 DOUBLE   1.50 DOUBLE (1.5)     1.5 DOUBLE
///     .5 DOUBLE     5. DOUBLE    " 7" BIGINT (trimmed) 007 VARCHAR
///     "1,000" VARCHAR            1000 BIGINT           0x10 BIGINT (16)
///     inf DATE (infinity)        nan DOUBLE            Infinity DATE
///
/// Where misq differs it is on the side of text, which loses nothing:
/// `-0` and `-0.0` are text (a number would merge them with `0`),
/// `0x10`, `inf`, `nan` are text (not numbers misq reads). Exponent forms
/// (`1e3`) are numbers, as DuckDB reads them, unless they lose or merge
/// something (`testExponentFormsAgainstDuckDB`). Grouping
/// commas are read as a number (a count of 1,131 is written so in the
/// shipped tables) unless two values of the column would then merge.
/// Trailing fraction zeros (`1.50`) stay numbers: an amount is written
/// to the penny; `1.5` and `1.50` in one column read as one number.
final class NumberRuleTests: XCTestCase {
    /// Each value alone: number (exactly) or text.
    func testEachValueAgainstDuckDB() {
        let numbers: [(String, Double)] = [("7", 7), ("0", 0), ("-7", -7), ("1.50", 1.5), ("1.5", 1.5), (".5", 0.5),
                                          ("5.", 5), ("1000", 1000), ("1,000", 1000), ("-0.5", -0.5), ("0.5", 0.5)]
        for (s, v) in numbers { XCTAssertEqual(ValueParsing.exactNumber(s), v, s) }
        // DuckDB VARCHAR: +7, +0, +1.5, 007. DuckDB numeric, misq text on purpose: -0, -0.0, -0.00.
        for s in ["+7", "+0", "+1.5", "007", "-0", "-0.0", "-0.00", "-.0"] {
            XCTAssertNil(ValueParsing.exactNumber(s), s)
            XCTAssertNotNil(ValueParsing.numberLoses(s), s)
        }
        // Not numbers misq reads at all (DuckDB: BIGINT, DATE, DOUBLE).
        for s in ["0x10", "inf", "Infinity", "nan", "NaN"] { XCTAssertNil(ValueParsing.exactNumber(s), s) }
        // Not plain decimals (an assertion's published figure is one), but
        // a column's numbers in exponent form.
        for s in ["1e3", "1E3"] { XCTAssertNil(ValueParsing.number(s), s); XCTAssertEqual(ValueParsing.exactNumber(s), 1000, s) }
    }

    /// Exponent forms, each column as DuckDB 2.0.1 types it
    /// (`typeof(v)` of `read_csv('c.csv', header=true)`, run by hand):
    ///
    ///     1e300 2.5E-3 -4e+2 7   DOUBLE (1e+300, 0.0025, -400, 7)
    ///     1.5e-7 3               DOUBLE
    ///     12E4 A1                VARCHAR
    ///     1E5 1e5                DOUBLE, 1 distinct (misq: text, 2: they would merge)
    ///     +1e3                   VARCHAR
    ///     01e3                   VARCHAR
    ///     -0e5                   DOUBLE -0.0 (misq: text, as -0)
    ///     1e400                  DOUBLE inf (misq: text, not a finite number)
    ///     1.2345678901234567891e5  DOUBLE 123456.78901234567 (misq: text, digits lost)
    ///     1e  e5  1e5.5          VARCHAR
    ///     2023E0001 2023E0002    DOUBLE (20230, 202300: misq text, ids)
    ///     1.5e-07 2E+05          DOUBLE (printf's two exponent digits)
    func testExponentFormsAgainstDuckDB() throws {
        let numbers: [([String], Double)] = [(["1e300", "2.5E-3", "-4e+2", "7"], 1e300 + 0.0025 - 400 + 7), (["1.5e-7", "3"], 1.5e-7 + 3), (["1.5e-07", "2E+05"], 1.5e-7 + 2e5)]
        let texts: [[String]] = [["12E4", "A1"], ["1E5", "1e5"], ["+1e3"], ["01e3"], ["-0e5"], ["1e400"], ["1.2345678901234567891e5"], ["1e", "e5"], ["1e5.5"], ["2023E0001", "2023E0002"]]
        let dir = try Fixtures.temporaryDirectory()
        for (k, (values, sum)) in numbers.enumerated() {
            let path = dir.appendingPathComponent("n\(k).csv").path
            try ("v\n" + values.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let d = try Dataset.bare(name: "n", path: path)
            guard case .number(let c) = try d.column(0) else { XCTFail("\(values): not numbers"); continue }
            XCTAssertEqual((0..<values.count).map { c.values[$0] }.reduce(0, +), sum, "\(values)")
        }
        for (k, values) in texts.enumerated() {
            let path = dir.appendingPathComponent("t\(k).csv").path
            try ("v\n" + values.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let d = try Dataset.bare(name: "t", path: path)
            guard case .category(let c) = try d.column(0) else { XCTFail("\(values): not text"); continue }
            XCTAssertEqual(c.labels.count, values.count, "\(values)")
        }
        // describe says why a column of numbers in exponent form is text.
        XCTAssertEqual(ValueParsing.textReason(["1E5", "1e5"]), "'1E5' and '1e5' would read as the same number")
        XCTAssertEqual(ValueParsing.textReason(["2023E0001", "2023E0002"]), "'2023E0001' pads its exponent with zeros, which reading it as a number would drop")
        XCTAssertEqual(ValueParsing.textReason(["-0e5"]), "'-0e5' is a negative zero, which reading it as a number would make 0")
        XCTAssertEqual(ValueParsing.textReason(["1.2345678901234567891e5"]),
                       "'1.2345678901234567891e5' has more digits than a number holds exactly: it would read as 123456.78901234567")
    }

    /// The column: `+7,7,-0,0`. DuckDB reads it as VARCHAR and
    /// `count(DISTINCT id)` is 4; misq read it as numbers and said 2.
    func testSignedIdsStayApart() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("ids.csv").path
        try "id\n+7\n7\n-0\n0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        let r = try Fixtures.results("load \"\(path)\" as ids\ncount distinct id from ids", session: s)
        XCTAssertEqual(r.last?.scalarValue, 4)
        let text = try Describer.describe("ids", in: s)
        XCTAssertTrue(text.contains("id: category (text, not number)\n      kept exact: '+7' has a plus sign"), text)
    }

    /// `1,000` and `1000` in one id column: DuckDB VARCHAR, 2 distinct.
    /// Each alone reads as 1000, so the column was numbers and 1 distinct.
    /// A column with grouping that merges nothing stays numbers (hand sum).
    func testGroupingThatMergesValuesKeepsTheColumnText() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("g.csv").path
        try "id,amount\n\"1,000\",\"1,131\"\n1000,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        let r = try Fixtures.results("load \"\(path)\" as g\ncount distinct id from g\nsum amount from g", session: s)
        XCTAssertEqual(r.first?.scalarValue, 2)
        XCTAssertEqual(r.last?.scalarValue, 1133)
        let text = try Describer.describe("g", in: s)
        XCTAssertTrue(text.contains("kept exact: '1,000' and '1000' would read as the same number"), text)
    }
}
