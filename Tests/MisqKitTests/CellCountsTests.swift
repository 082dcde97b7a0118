import XCTest
@testable import MisqKit

/// `CellCounts.count` counts a block at a time: keys with one code over the
/// block (a time bucket over a date zone) add a constant, one remaining
/// category key is counted straight from its codes (a byte histogram for
/// one-byte codes), and anything else goes through combined keys. The
/// reference is written here: each selected row's combined key from
/// `KeyCodes.code(r)` with the zone shortcut off, counted one by one.
final class CellCountsTests: XCTestCase {
    func testBlockCountsMatchRowByRow() throws {
        // Six zones and a bit; one day per 30 rows from 2019-11-02, so zones
        // fall within and across years; a gap of missing days in the fourth
        // zone; an outcome of five values with missing ones; an id of 700
        // values (two-byte codes).
        let n = 6 * DateZones.rows + 555
        var text = "reported,outcome,id\n"
        let outcomes = ["A", "B", "C", "D", ""]
        var state: UInt64 = 7
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        for r in 0..<n {
            let day = (r >= 3 * DateZones.rows + 50 && r < 3 * DateZones.rows + 90) ? "" : Day.iso(Day.number(2019, 11, 2) + r / 30)
            // Runs of one outcome, as a dominant value makes.
            let outcome = next() % 4 == 0 ? outcomes[next() % 5] : "A"
            text += "\(day),\(outcome),P\(next() % 700)\n"
        }
        let csv = try CSVFile(path: "c.csv", bytes: Array(text.utf8))
        let ds = Dataset(name: "c", path: "c.csv", csv: csv)

        var sparse = Bitmap(count: n)
        for r in stride(from: 0, to: n, by: 3) where !(2 * DateZones.rows..<(3 * DateZones.rows + 7)).contains(r) { sparse[r] = true }
        var stretches = Bitmap(count: n)
        for r in (100..<(DateZones.rows + 5)).chained(with: (4 * DateZones.rows)..<n) { stretches[r] = true }
        let selections = [("all", Bitmap(count: n, filled: true)), ("every third, a gap", sparse),
                          ("two stretches", stretches), ("none", Bitmap(count: n))]

        let year = BoundKey.time(.year, column: 0, name: "reported"), month = BoundKey.time(.month, column: 0, name: "reported")
        let outcome = BoundKey.column(index: 1, name: "outcome"), id = BoundKey.column(index: 2, name: "id")
        let keySets: [[BoundKey]] = [[year, outcome], [outcome], [year], [id], [month, id], [outcome, year, outcome], [year, month]]

        for (what, selection) in selections {
            for keys in keySets {
                let codes = try keys.map { try KeyCodes.make($0, ds, selection: selection) }
                var strides: [Int] = [], space = 1
                for k in codes { strides.append(space); space *= k.cardinality }
                // Reference: zones off, row by row.
                let plain = codes.map { k -> KeyCodes in
                    var p = k
                    if case .days(let d, let first, let table, _) = k.source { p.source = .days(d, first: first, table: table, zones: nil) }
                    return p
                }
                var want = [Int](repeating: 0, count: space)
                selection.forEachSet { r in want[plain.indices.reduce(0) { $0 + plain[$1].code(r) * strides[$1] }] += 1 }
                for grain in [nil, 1000] {
                    let got = Parallel.$testGrain.withValue(grain) { CellCounts.count(codes, strides, space: space, selection, rows: n) }
                    XCTAssertEqual(got, want, "\(keys.map(\.name)), \(what), grain \(grain ?? 0)")
                }
            }
        }
    }
}

private extension Range where Bound == Int {
    func chained(with other: Range<Int>) -> [Int] { Array(self) + Array(other) }
}
