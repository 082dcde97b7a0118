import XCTest
@testable import MisqKit

/// A `show` printed to a file or pipe is streamed from the columns
/// (`RowStream`), not rendered from a grid. The bytes must be the grid
/// renderer's, byte for byte, in CSV, TSV, JSON and the table, for values
/// that need quoting, escaping, screening or cutting; the expected texts
/// pinned below were read cell by cell against the fixture by hand.
final class RowStreamTests: XCTestCase {
    /// Text with the separators, quotes, line breaks (LF and CRLF), a tab,
    /// a backslash, an escape character, CJK and emoji, a formula, a text
    /// "(missing)", a 70-character value; numbers whole, fractional,
    /// negative and large; dates; yes/no; and a blank in every column.
    static let csv = [
        "name,n,d,flag",
        "plain,1,2024-01-31,yes",
        "\"a,b\",-2.5,2023-12-01,no",
        "\"say \"\"hi\"\"\",123456789012.5,,yes",
        "\"two\nlines\",0.1,2024-02-29,",
        "\"crlf\r\nline\",,2020-01-01,no",
        "tab\there,3,2024-01-31,yes",
        "back\\slash,4,2024-01-31,yes",
        "esc\u{1B}[31mred,5,2024-01-31,no",
        "東京都,6,2024-01-31,yes",
        "🚓 car,7,2024-01-31,yes",
        "=1+1,8,2024-01-31,no",
        "-2,9,2024-01-31,no",
        "(missing),10,2024-01-31,yes",
        ",11,2024-01-31,yes",
        String(repeating: "long ", count: 14) + ",12,2024-01-31,no",
        "plain,1,2024-01-31,yes",
    ].joined(separator: "\n") + "\n"

    static let path = (try? Fixtures.temporaryDirectory()).map { $0.path + "/t.csv" }
    static let session: Session? = {
        guard let path else { return nil }
        guard (try? csv.write(toFile: path, atomically: true, encoding: .utf8)) != nil else { return nil }
        let s = Session()
        guard let ds = try? Dataset.bare(name: "t", path: path), (try? s.add(ds)) != nil else { return nil }
        return s
    }()

    func result(_ q: String) throws -> QueryResult {
        let s = try XCTUnwrap(RowStreamTests.session)
        return try XCTUnwrap(try Fixtures.results(q, session: s.fork()).last)
    }

    func streamed(_ r: QueryResult, _ f: OutputFormat, raw: Bool = false, cached: Int = CellWriter.cachedCodes,
                  jsonKeys: String = "", jsonNewline: Bool = true) -> String {
        var out: [UInt8] = []
        let ok = RowStream.write(r, as: f, rawCells: raw, before: "", jsonKeys: jsonKeys, jsonNewline: jsonNewline, cachedCodes: cached) {
            out += $0; return true
        }
        XCTAssertTrue(ok)
        return String(decoding: out, as: UTF8.self)
    }

    /// The output with the footer's file path (a temporary folder) put as FILE.
    func pinned(_ text: String) throws -> String {
        let dir = try XCTUnwrap(RowStreamTests.path).components(separatedBy: "/").dropLast().joined(separator: "/")
        return text.replacingOccurrences(of: dir, with: "DIR")
    }

    /// Every streamed format against the grid renderer, with each code's
    /// text kept and made afresh, and with formulas guarded and raw.
    func testStreamIsTheRenderersOutputByteForByte() throws {
        for q in ["show t", "show t limit 3", "show t where flag", "show t order by n desc", "show name, flag",
                  "show t where n > 1000 and n < 2"] {
            let r = try result(q)
            for f in [OutputFormat.csv, .tsv, .json, .table] {
                for raw in [false, true] where !raw || f == .csv || f == .tsv {
                    let want = Renderer.render(r, as: f, rawCells: raw)
                    XCTAssertEqual(streamed(r, f, raw: raw), want, "\(q) as \(f) raw \(raw)")
                    XCTAssertEqual(streamed(r, f, raw: raw, cached: 0), want, "\(q) as \(f) raw \(raw), codes not kept")
                }
            }
        }
    }

    /// 20,000 rows: many batches of codes (2,048 rows each), a last one
    /// part full, and columns with codes kept and made afresh.
    func testManyBatchesAreTheRenderersOutput() throws {
        let s = try XCTUnwrap(ManyGroupsTests.session)
        for q in ["show g", "show g limit 4097", "show g where c = c1"] {
            let r = try XCTUnwrap(try Fixtures.results(q, session: s.fork()).last)
            for f in [OutputFormat.csv, .json, .table] {
                let want = Renderer.render(r, as: f)
                XCTAssertEqual(streamed(r, f), want, "\(q) as \(f)")
                XCTAssertEqual(streamed(r, f, cached: 2_500), want, "\(q) as \(f), the wide column's codes not kept")
            }
        }
    }

    /// `misq run --format json` frames each answer in the run's array.
    func testJSONTakesTheRunsKeysInsideItsBrace() throws {
        let r = try result("show name limit 1")
        XCTAssertEqual(try pinned(streamed(r, .json, jsonKeys: "\n  \"question\": \"Q\",", jsonNewline: false)), """
        {
          "question": "Q",
          "columns": ["name"],
          "rows": [
            {"name": "plain"}
          ],
          "footer": ["dataset: t — DIR/t.csv", "rows: 16 scanned, 16 matched", "note: 1 of 16 matching rows shown"]
        }
        """)
    }

    /// Pinned by hand: quoting (RFC 4180), the formula guard, a blank as
    /// empty, numbers at full precision, dates as ISO.
    func testCSVPinned() throws {
        let text = streamed(try result("show name, n, d, flag where n <= 3 or n > 1000 or n is missing"), .csv)
        XCTAssertEqual(try pinned(text), [
            "name,n,d,flag",
            "plain,1,2024-01-31,yes",
            "\"a,b\",-2.5,2023-12-01,no",
            "\"say \"\"hi\"\"\",123456789012.5,,yes",
            "\"two\nlines\",0.1,2024-02-29,",
            "\"crlf\r\nline\",,2020-01-01,no",
            "tab\there,3,2024-01-31,yes",
            "plain,1,2024-01-31,yes",
        ].joined(separator: "\n") + "\n")
    }

    func testTSVAndJSONPinned() throws {
        let r = try result("show name, n, flag where n in (7, 8, 9, 10, 11)")
        XCTAssertEqual(streamed(r, .tsv), "name\tn\tflag\n🚓 car\t7\tyes\n'=1+1\t8\tno\n'-2\t9\tno\n(missing)\t10\tyes\n\t11\tyes\n")
        XCTAssertEqual(try pinned(streamed(r, .json)), """
        {
          "columns": ["name", "n", "flag"],
          "rows": [
            {"name": "🚓 car", "n": 7, "flag": "yes"},
            {"name": "=1+1", "n": 8, "flag": "no"},
            {"name": "-2", "n": 9, "flag": "no"},
            {"name": "(missing)", "n": 10, "flag": "yes"},
            {"name": null, "n": 11, "flag": "yes"}
          ],
          "footer": ["dataset: t — DIR/t.csv", "rows: 16 scanned, 5 matched"]
        }

        """)
    }

    /// The table: widths in terminal columns (CJK two a character), the
    /// text "(missing)" quoted and a blank shown as (missing), an escape
    /// character shown, a long value cut at 60 with "…", numbers right.
    func testTablePinned() throws {
        let r = try result("show name, n where n >= 5")
        XCTAssertEqual(try pinned(streamed(r, .table)), """
        ┌──────────────────────────────────────────────────────────────┬────────────────┐
        │ name                                                         │              n │
        ├──────────────────────────────────────────────────────────────┼────────────────┤
        │ say "hi"                                                     │ 123456789012.5 │
        │ esc\\e[31mred                                                 │              5 │
        │ 東京都                                                       │              6 │
        │ 🚓 car                                                       │              7 │
        │ =1+1                                                         │              8 │
        │ -2                                                           │              9 │
        │ "(missing)"                                                  │             10 │
        │ (missing)                                                    │             11 │
        │ long long long long long long long long long long long long… │             12 │
        └──────────────────────────────────────────────────────────────┴────────────────┘
        dataset: t — DIR/t.csv
        rows: 16 scanned, 9 matched

        """)
    }

    /// A refused buffer (a full disk, a closed pipe) stops the writing:
    /// nothing more is offered, and the caller is told.
    func testAFailedWriteStopsTheStream() throws {
        let r = try result("show t")
        var calls = 0
        let ok = RowStream.write(r, as: .csv, rawCells: false, before: String(repeating: "x", count: OutputBuffer.capacity + 1),
                                 jsonKeys: "", jsonNewline: true, cachedCodes: 0) { _ in calls += 1; return false }
        XCTAssertFalse(ok)
        XCTAssertEqual(calls, 1)
    }
}
