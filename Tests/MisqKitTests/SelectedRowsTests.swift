import XCTest
@testable import MisqKit

/// A one-shot run parses a column needed only after the filter (a group
/// key, a distinct count's column) for the selected rows alone. The
/// reference is the same query with that off (every column whole), on CSVs
/// with quoted fields (commas, doubled quotes, line feeds inside), CRLF
/// lines, blank lines at the end, and chunks small enough that they start
/// anywhere.
final class SelectedRowsTests: XCTestCase {
    private func csv(seed: UInt64, rows: Int) -> String {
        var state = seed
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        var text = "id,flag,kind,n\n"
        for r in 0..<rows {
            let id = ["P\(next(40))", "\"P,\(next(5))\"", "\"P \"\"q\"\" \(next(3))\"", "\"P\nline \(next(2))\"", ""][next(5)]
            let flag = ["yes", "no", "no", " yes ", ""][next(5)]
            // Numbers on most rows, a word on a few: the selected rows may
            // hold only numbers while the whole column is category.
            let kind = r % 97 == 5 ? "other" : String(next(4))
            text += "\(id),\(flag),\(kind),\(next(9))" + (next(6) == 0 ? "\r\n" : "\n")
        }
        return text + "\n\n"
    }

    private func answers(_ text: String, chunkBytes: Int, selectedOnly: Bool) throws -> [String] {
        let file = try CSVFile(path: "s.csv", bytes: Array(text.utf8), chunkBytes: chunkBytes)
        let ds = Dataset(name: "s", path: "s.csv", csv: file, units: ["rows": .rows, "ids": .distinct("id")], isDefault: true)
        ds.readsSelectedRowsOnly = selectedOnly
        let session = Session()
        try session.add(ds)
        return try [
            "count distinct id where flag",
            "count ids where not flag",
            "count rows where flag by id",
            "count rows where n > 6 by kind",
            "count distinct kind where n = 3",
            "count rows where flag and n < 2 by id, kind",
        ].map { q in
            let events = try ScriptRunner(session: session).run(SourceFile(name: "q", text: q), mode: .run)
            return events.compactMap { e -> String? in
                if case .result(let r, _, _, _) = e { return Renderer.render(r, as: .csv) }
                return nil
            }.joined()
        }
    }

    func testSelectedRowsGiveTheWholeColumnsAnswers() throws {
        for seed in 1...12 as ClosedRange<UInt64> {
            let text = csv(seed: seed, rows: 300 + Int(seed) * 37)
            for chunk in [16, 64, 1 << 20] {
                let whole = try answers(text, chunkBytes: chunk, selectedOnly: false)
                let selected = try answers(text, chunkBytes: chunk, selectedOnly: true)
                XCTAssertEqual(selected, whole, "seed \(seed), chunks of \(chunk) bytes")
            }
        }
    }

    /// A chunk's selected codes widen from two bytes to four as its
    /// dictionary passes 65,536 values (one chunk of up to 80,000 rows,
    /// every id distinct, seven rows in eight selected).
    func testSelectedCodesWiden() throws {
        var text = "id,flag\n"
        for r in 0..<80_000 { text += "P\(r),\(r % 8 != 0 ? "yes" : "no")\n" }
        for rows in [200, 600, 80_000] {
            let part = String(text.split(separator: "\n", omittingEmptySubsequences: false).prefix(rows + 1).joined(separator: "\n")) + "\n"
            for q in ["count distinct id where flag", "count rows where flag by id"] {
                var got: [String] = []
                for selectedOnly in [false, true] {
                    let file = try CSVFile(path: "w.csv", bytes: Array(part.utf8), chunkBytes: 1 << 24)
                    let ds = Dataset(name: "w", path: "w.csv", csv: file, units: ["rows": .rows], isDefault: true)
                    ds.readsSelectedRowsOnly = selectedOnly
                    let session = Session()
                    try session.add(ds)
                    let events = try ScriptRunner(session: session).run(SourceFile(name: "q", text: q), mode: .run)
                    got.append(events.compactMap { e -> String? in
                        if case .result(let r, _, _, _) = e { return Renderer.render(r, as: .csv) }
                        return nil
                    }.joined())
                }
                XCTAssertEqual(got[0], got[1], "\(rows) rows: \(q)")
                if q.hasPrefix("count distinct") { XCTAssertTrue(got[0].contains("\(rows - (rows + 7) / 8)"), got[0]) }
            }
        }
    }

    /// The deferred column really is parsed for the selected rows only (and
    /// not kept): the dataset has not cached it after the query.
    func testTheDeferredColumnIsNotKept() throws {
        let file = try CSVFile(path: "s.csv", bytes: Array(csv(seed: 7, rows: 500).utf8))
        let ds = Dataset(name: "s", path: "s.csv", csv: file, units: ["rows": .rows], isDefault: true)
        ds.readsSelectedRowsOnly = true
        let session = Session()
        try session.add(ds)
        _ = try ScriptRunner(session: session).run(SourceFile(name: "q", text: "count distinct id where flag"), mode: .run)
        XCTAssertTrue(ds.defersToSelection(0), "id was loaded whole")
        XCTAssertFalse(ds.defersToSelection(1), "flag, the filter's column, is loaded whole")
    }
}
