import XCTest
@testable import MisqKit

/// A grouped answer streamed as CSV or TSV (`GroupStream`) is byte for byte
/// what `Renderer` writes from its grid, for every shape it takes: number
/// keys, missing keys and values, dates, percent and total rows, labels a
/// spreadsheet would run as formulas (with and without `--raw`), and text
/// needing quotes or escapes.
final class GroupStreamTests: XCTestCase {
    func streamed(_ r: QueryResult, _ f: OutputFormat, raw: Bool, before: String = "") -> (String, Bool) {
        var out = [UInt8]()
        let ok = GroupStream.write(r, as: f, rawCells: raw, before: before) { out.append(contentsOf: $0); return true }
        return (String(decoding: out, as: UTF8.self), ok)
    }

    func testEveryStreamedShapeIsTheGridsBytes() throws {
        let queries = [
            "count cases by outcome", "count allegations by outcome with percent, total", "count cases by source, outcome with total",
            "count allegations by days_open", "count cases by command with percent", "median days_open by outcome",
            "max reported by outcome", "min days_open by suspended", "count individuals by year(reported) with total",
            "avg days_open by outcome top 2", "count cases by outcome order by outcome desc limit 2",
        ]
        var streamedCount = 0
        for q in queries {
            let s = Fixtures.smallSession.fork()
            guard let r = try Fixtures.results(q, session: s).last else { return XCTFail("no result: \(q)") }
            // Written from the executor's codes, not from rows (`GroupCodes`);
            // Renderer below reads the rows made from them.
            guard case .groups(let g) = r.body else { return XCTFail("not grouped: \(q)") }
            XCTAssertNotNil(g.codes, q)
            for f in [OutputFormat.csv, .tsv] {
                XCTAssertTrue(GroupStream.streams(r, f), q)
                for raw in [false, true] {
                    let (text, ok) = streamed(r, f, raw: raw)
                    XCTAssertTrue(ok)
                    XCTAssertEqual(text, Renderer.render(r, as: f, rawCells: raw), "\(q) as \(f), raw \(raw)")
                    streamedCount += 1
                }
            }
        }
        XCTAssertEqual(streamedCount, queries.count * 4)
    }

    func testHandMadeGroupsWithHostileLabelsAndMissingValues() throws {
        let labels: [String?] = ["=SUM(A1)", "a,b", "say \"hi\"", "tab\there", "line\nbreak", nil, "(missing)", "-2", "plain", "+1", "back\\slash"]
        var rows: [GroupRow] = []
        for (i, l) in labels.enumerated() { rows.append(GroupRow(keys: [l, String(i * 10)], values: [i % 3 == 0 ? .nan : Double(i) * 1.5], rowTotal: nil)) }
        var g = GroupedResult(keyNames: ["label, with comma", "=n"], acrossName: nil, acrossLabels: [], rows: rows, totals: [10], grandTotal: 75,
                              withTotal: true, withPercent: true, percentBase: [75], groupsBeforeTop: rows.count)
        g.numericKeys = [1]
        let r = QueryResult(body: .groups(g), valueName: "value \"x\"", valueIsInteger: false,
                            footer: Footer(dataset: "t", title: nil, synthetic: false, source: [], periods: [], scanned: 0, matched: 0, notes: []))
        for f in [OutputFormat.csv, .tsv] {
            for raw in [false, true] {
                XCTAssertEqual(streamed(r, f, raw: raw).0, Renderer.render(r, as: f, rawCells: raw), "\(f) raw \(raw)")
                XCTAssertEqual(streamed(r, f, raw: raw, before: "\n").0, "\n" + Renderer.render(r, as: f, rawCells: raw))
            }
        }
    }

    func testShapesKeptOnTheirGridAreNotStreamed() throws {
        let s = Fixtures.smallSession.fork()
        for q in ["count cases by source across outcome", "count cases, count allegations by outcome", "count cases by outcome with bars",
                  "show allegations limit 2", "count cases"] {
            guard let r = try Fixtures.results(q, session: s).last else { return XCTFail("no result: \(q)") }
            XCTAssertFalse(GroupStream.streams(r, .csv), q)
        }
        guard let r = try Fixtures.results("count cases by outcome", session: s).last else { return XCTFail("no result") }
        for f in [OutputFormat.table, .json, .markdown] { XCTAssertFalse(GroupStream.streams(r, f)) }
    }

    func testAFailedOutputStopsTheWriting() throws {
        guard let r = try Fixtures.results("count cases by outcome", session: Fixtures.smallSession.fork()).last else { return XCTFail("no result") }
        let ok = GroupStream.write(r, as: .csv, before: String(repeating: "x", count: OutputBuffer.capacity + 1)) { _ in false }
        XCTAssertFalse(ok)
    }
}
