import XCTest
@testable import MisqKit

/// A bare CSV as real exports make them (issue 15, items 15, 17 and 19):
/// identifiers stay exact, messy headers and blank rows load and are
/// described, and a period column is inferred or declared. Expected
/// figures are counted by hand and checked with DuckDB 1.x
/// (`select … from read_csv(FILE)`), as each test's comment says.
final class BareCSVTests: XCTestCase {
    func write(_ bytes: [UInt8], _ name: String = "x.csv") throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }
    func write(_ text: String, _ name: String = "x.csv") throws -> String { try write(Array(text.utf8), name) }

    /// Runs statements in a session with no datasets but those loaded.
    func run(_ text: String) throws -> [QueryResult] {
        try Fixtures.results(text, session: Session())
    }

    func message(_ body: () throws -> Void) -> MisqError? {
        do { try body(); return nil } catch { return error.misqErrors.first }
    }

    // MARK: item 15, identifiers stay exact

    /// `007`, `7`, `0007` are three ids. DuckDB reads the column as VARCHAR
    /// and `count(distinct id)` is 3; misq read them as the number 7 (1).
    func testLeadingZerosKeepIdsApart() throws {
        let path = try write("id\n007\n7\n0007\n")
        let r = try run("load \"\(path)\" as t\ncount distinct id from t")
        XCTAssertEqual(r.last?.scalarValue, 3)
        let ds = try Dataset.bare(name: "t", path: path)
        XCTAssertEqual(try ds.column(0).type, .category)
    }

    /// Five ids above 2^53 (9007199254740992 … 96): DuckDB reads BIGINT and
    /// counts 5 distinct; as doubles they were 3 (…993 and …995 round to
    /// neighbours).
    func testIdsBeyondTwoToThe53StayExact() throws {
        let path = try write("id\n9007199254740993\n9007199254740992\n9007199254740994\n9007199254740995\n9007199254740996\n")
        let r = try run("load \"\(path)\" as t\ncount distinct id from t")
        XCTAssertEqual(r.last?.scalarValue, 5)
    }

    /// The rule, value by value: a number only when reading it gives the
    /// value back (grouping and trailing fraction zeros aside).
    func testNumberOnlyWhenReadingLosesNothing() {
        for exact in ["0", "7", "-3", "1,131", "2.50", "0.5", ".5", "1000", "1000.00", "123456789012345",
                      "9007199254740992", "0.1", "0.30000000000000004", "1000000000000000000000"] {
            XCTAssertNil(ValueParsing.numberLoses(exact), exact)
            XCTAssertNotNil(ValueParsing.exactNumber(exact), exact)
        }
        for lossy in ["007", "+5", "-0", "00", "-01", "00.5", "0,123", "9007199254740993", "12345678901234567", "0.12345678901234567891", "12345678901234567890000"] {
            XCTAssertNotNil(ValueParsing.numberLoses(lossy), lossy)
            XCTAssertNil(ValueParsing.exactNumber(lossy), lossy)
            XCTAssertNotNil(ValueParsing.number(lossy), "still a number where one is declared: \(lossy)")
        }
        for text in ["abc", "1e5", "", "-", "1.2.3"] { XCTAssertNil(ValueParsing.numberLoses(text), text) }
    }

    /// The fast reading of plain values gives exactly what the careful one
    /// gives (Swift's `Double(String)` underneath), and decides the same
    /// way: random decimals of 1 to 18 digits, points anywhere, signs and
    /// leading zeros.
    func testFastReadingAgreesWithTheCarefulOne() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var digits = (0..<Int.random(in: 1...18, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            if Bool.random(using: &rng) { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: Int.random(in: 0...digits.count, using: &rng))) }
            let s = ["", "-", "+"].randomElement(using: &rng)! + digits
            let careful: Double? = ValueParsing.numberLoses(s) == nil ? ValueParsing.number(s) : nil
            XCTAssertEqual(ValueParsing.exactNumber(s)?.bitPattern, careful?.bitPattern, s)
            XCTAssertEqual(ValueParsing.anyNumber(s)?.bitPattern, ValueParsing.number(s)?.bitPattern, s)
        }
    }

    /// Numbers that round-trip stay numbers (sum works); the column of ids
    /// beside them is text, and `describe` says which value made it so.
    func testDescribeSaysWhyAColumnIsText() throws {
        let path = try write("ref,amount\n007,1.50\n7,2\n0007,\"1,000\"\n")
        let r = try run("load \"\(path)\" as t\nsum amount from t")
        XCTAssertEqual(r.last?.scalarValue, 1003.5)  // DuckDB: 1.5 + 2 + 1000 (thousands read by hand)
        let s = Session()
        _ = try Fixtures.results("load \"\(path)\" as t", session: s)
        let text = try Describer.describe("t", in: s)
        XCTAssertTrue(text.contains("ref: category (text, not number)\n      kept exact: '007' has a leading zero"), text)
        XCTAssertTrue(text.contains("amount: number\n"), text)
    }

    // MARK: item 17, messy headers and blank rows

    /// The shape of a spreadsheet export: a byte-order mark, an unnamed
    /// trailing column, CRLF, and 300 trailing `,,,` rows. DuckDB:
    /// `count(*)` 303, `count("item name")` 3, the fourth column named
    /// column3 (misq counts fields from 1: column4). It was refused.
    func testSpreadsheetExportLoadsEveryRow() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(("item name,indicator number,sample size,\r\n"
            + "North Wales Police,8,2781,\r\nDorset Police,7,2623,\r\nLeicestershire Police,10,3640,\r\n"
            + String(repeating: ",,,\r\n", count: 300)).utf8)
        let path = try write(bytes)
        let ds = try Dataset.bare(name: "t", path: path)
        XCTAssertEqual(ds.columnNames, ["item name", "indicator number", "sample size", "column4"])
        XCTAssertEqual(try ds.rowCount, 303)
        XCTAssertEqual(try ds.blankRows(), 300)
        XCTAssertEqual(try run("load \"\(path)\" as t\ncount t").last?.scalarValue, 303)
        let names = try ds.column(0)
        XCTAssertEqual((0..<names.count).filter { names.isMissing($0) }.count, 300)

        let s = Session()
        _ = try Fixtures.results("load \"\(path)\" as t", session: s)
        let text = try Describer.describe("t", in: s)
        XCTAssertTrue(text.contains("note: field 4 has no name in the header: it is called 'column4'"), text)
        XCTAssertTrue(text.contains("blank rows: 300 of 303 have every field empty"), text)
        XCTAssertTrue(try Describer.datasets(s).contains("note: field 4 has no name"))
    }

    /// Two `Date` columns, a name with spaces around it, two unnamed
    /// fields, and a name that only differs in case: every column gets a
    /// distinct name and a note. (DuckDB: Date, Name, Date_1, column3,
    /// column4, date_2.)
    func testRepeatedAndUnnamedHeaderFields() throws {
        let path = try write("Date, Name ,Date,,,date\n2022-01-01,a,2022-01-02,x,,y\n")
        let ds = try Dataset.bare(name: "t", path: path)
        XCTAssertEqual(ds.columnNames, ["Date", "Name", "Date_2", "column4", "column5", "date_3"])
        XCTAssertEqual(ds.headerNotes, [
            "field 2's name ' Name ' has spaces around it: it is called 'Name'",
            "'Date' names fields 1 and 3 in the header: field 3 is called 'Date_2'",
            "field 4 has no name in the header: it is called 'column4'",
            "field 5 has no name in the header: it is called 'column5'",
            "'date' names fields 1 and 6 in the header: field 6 is called 'date_3'",
        ])
        XCTAssertEqual(try ds.column(2).text(0), "2022-01-02")
        // A real column named like a given name keeps it; the given one moves on.
        let taken = try Dataset.bare(name: "t", path: try write("a,,column2\n1,2,3\n", "y.csv"))
        XCTAssertEqual(taken.columnNames, ["a", "column2_2", "column2"])
    }

    /// One name over 20,000 fields (what a 1 KB ODS with a repeated header
    /// cell expands to): every field named, in field order, with one note
    /// for the lot. Renaming tried _2, _3… from the start for every field,
    /// so this took minutes; the names here are by hand.
    func testOneNameRepeatedThousandsOfTimes() throws {
        let width = 20_000
        let header = (["id"] + Array(repeating: "h", count: width) + ["H", "h_3"]).joined(separator: ",")
        let row = (0..<(width + 3)).map(String.init).joined(separator: ",")
        let ds = try Dataset.bare(name: "t", path: try write(header + "\n" + row + "\n", "wide.csv"))
        XCTAssertEqual(ds.columnNames.count, width + 3)
        XCTAssertEqual(Array(ds.columnNames.prefix(5)), ["id", "h", "h_2", "h_4", "h_5"])
        // 'H' is the 20,001st h (case does not tell names apart); 'h_3' keeps its own name.
        XCTAssertEqual(Array(ds.columnNames.suffix(3)), ["h_20001", "H_20002", "h_3"])
        XCTAssertEqual(Set(ds.columnNames.map { $0.lowercased() }).count, width + 3)
        XCTAssertEqual(ds.headerNotes, ["'h' names 20,001 fields (2 … 20002) in the header: the 20,000 after field 2 are called 'h_2' … 'H_20002'"])
        XCTAssertEqual(try ds.column(width + 2).text(0), "\(width + 2)")
    }

    func testBlankHeaderLineIsAnError() {
        XCTAssertEqual(message { _ = try Dataset.bare(name: "t", path: try write("\n1\n")) }?.message, "the header line is blank")
    }

    // MARK: item 19, a bare CSV's period column

    /// One date column is the period column, and the footer says so.
    /// DuckDB: `count(*) filter (where year(reported) = 2022)` is 2, and
    /// after 2022-08-01 (six months to the latest date, 2023-02-01) 1.
    func testOnlyDateColumnIsThePeriodColumn() throws {
        let path = try write("id,reported,outcome\n1,2022-01-05,a\n2,2022-06-01,b\n3,2023-02-01,a\n")
        let r = try run("load \"\(path)\" as t\ncount t where period 2022\ncount t where last 6 months\ncount t where since 2022-06\ncount t by year")
        XCTAssertEqual(r[0].scalarValue, 2)
        XCTAssertEqual(r[1].scalarValue, 1)
        XCTAssertEqual(r[2].scalarValue, 2)
        for q in r {
            XCTAssertTrue(q.footer.noteTexts.contains { $0.hasPrefix("period column: 'reported', the only date column of t") }, "\(q.footer.lines)")
        }
        XCTAssertTrue(r[1].footer.lines.contains { $0.contains("on reported, to the latest reported in the data, 2023-02-01") }, "\(r[1].footer.lines)")
        // No period in the query: no note.
        XCTAssertEqual(try run("load \"\(path)\" as t\ncount t by outcome").last?.footer.noteTexts, [])
    }

    /// Two date columns and none declared: `period` is an error listing
    /// them and suggesting `load … period COL`; declared, it works.
    func testSeveralDateColumnsNeedADeclaredOne() throws {
        let path = try write("id,reported,closed\n1,2022-01-05,2022-02-01\n2,2022-06-01,2023-01-10\n3,2023-02-01,\n")
        let e = message { _ = try self.run("load \"\(path)\" as t\ncount t where period 2022") }
        XCTAssertEqual(e?.message, "'t' declares no period column for 'period' and has 2 date columns: reported, closed")
        XCTAssertTrue(e?.suggestion?.contains("load \"\(path)\" as t period reported") ?? false, "\(String(describing: e?.suggestion))")
        let last = message { _ = try self.run("load \"\(path)\" as t\ncount t where last 6 months") }
        XCTAssertEqual(last?.message, "dataset 't' has no as-of date for 'since' or 'last' to run to: it has 2 date columns (reported, closed) and no period column")
        XCTAssertTrue(last?.suggestion?.hasPrefix("declare one with load \"\(path)\" as t period reported") ?? false)
        // Hand count: closed in 2022 is row 1 only; reported in 2022, rows 1 and 2.
        let r = try run("load \"\(path)\" as t period closed\ncount t where period 2022\ncount t where reported in 2022")
        XCTAssertEqual(r.map(\.scalarValue), [1, 2])
        XCTAssertEqual(r[0].footer.noteTexts, [])  // declared, not inferred
    }

    /// A date column whose name needs backticks is suggested in them, and
    /// declared in them. Hand count: reported in 2022, rows 1 and 2.
    func testPeriodColumnNamedInBackticks() throws {
        let path = try write("id,Date Reported,closed\n1,2022-01-05,2022-02-01\n2,2022-06-01,2023-01-10\n")
        let e = message { _ = try self.run("load \"\(path)\" as t\ncount t by year") }
        XCTAssertTrue(e?.suggestion?.contains("as t period `Date Reported`, or name one: e.g. by year(`Date Reported`)") ?? false, "\(String(describing: e?.suggestion))")
        XCTAssertEqual(try run("load \"\(path)\" as t period `Date Reported`\ncount t where period 2022").last?.scalarValue, 2)
    }

    func testDeclaredPeriodColumnIsChecked() throws {
        let path = try write("id,reported,closed\n1,2022-01-05,2022-02-01\n")
        let unknown = message { _ = try self.run("load \"\(path)\" as t period clsed") }
        XCTAssertEqual(unknown?.message, "'clsed' is not a column of \(path)")
        XCTAssertEqual(unknown?.suggestion, "did you mean 'closed'?")
        XCTAssertEqual(unknown?.location?.column, "load \"\(path)\" as t period ".count + 1)  // the column name, not the path
        let notDate = message { _ = try self.run("load \"\(path)\" as t period id\ncount t where period 2022") }
        // At the load, not at the first period query (LoadPeriodTests).
        XCTAssertEqual(notDate?.message, "'id' holds number values, not dates, so it cannot be the period column of \(path)")
        XCTAssertEqual(notDate?.location?.line, 1)
    }

    func testLoadPeriodPrintsBack() throws {
        let text = "load \"x.csv\" as t period reported"
        let program = try Parser.parse(SourceFile(name: "t", text: text))
        XCTAssertEqual(program.statements[0].description, text)
    }
}
