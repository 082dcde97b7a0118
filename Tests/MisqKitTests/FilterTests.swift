import XCTest
@testable import MisqKit

/// `RowTest.fill` evaluates the later parts of an and/or only over words the
/// earlier ones leave undecided. The reference is a row-by-row evaluation
/// written here; the bitmaps have long empty and full stretches (as a period
/// over date-ordered rows makes), short gaps and a ragged last word.
final class FilterTests: XCTestCase {
    /// A seeded bitmap of `n` rows: runs of all-clear, all-set and mixed
    /// words, so runs, gaps below and above eight words all occur.
    private func bitmap(_ n: Int, seed: UInt64) -> Bitmap {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        var b = Bitmap(count: n)
        var k = 0
        while k < b.words.count {
            let run = Int(next() % 20) + 1
            let kind = next() % 3
            for j in k..<min(b.words.count, k + run) { b.words[j] = kind == 0 ? 0 : kind == 1 ? ~0 : next() &* 0x9E37_79B9_7F4A_7C15 }
            k += run
        }
        b.clearTail()
        return b
    }

    private func test(_ b: Bitmap) -> RowTest { .bools(value: PackedBits(b), known: PackedBits(Bitmap(count: b.count, filled: true)), want: true) }

    private func evaluate(_ t: RowTest, rows n: Int, grain: Int) -> Bitmap {
        var out = Bitmap(count: n)
        out.words.withUnsafeMutableBufferPointer { w in
            guard let base = w.baseAddress else { return }
            // Slices of `grain` words, as Parallel would cut them.
            var k = 0
            while k < w.count { t.fill(base, k..<min(w.count, k + grain), rows: n); k += grain }
        }
        return out
    }

    func testAndOrOverUndecidedWordsMatchRowByRow() {
        for (n, grain) in [(1, 1), (64, 1), (6_400, 7), (50_001, 4096), (50_001, 3)] {
            let a = bitmap(n, seed: 1), b = bitmap(n, seed: 2), c = bitmap(n, seed: 3)
            let cases: [(RowTest, (Int) -> Bool)] = [
                (.and([test(a), test(b)]), { a[$0] && b[$0] }),
                (.or([test(a), test(b)]), { a[$0] || b[$0] }),
                (.and([test(a), .or([test(b), test(c)])]), { a[$0] && (b[$0] || c[$0]) }),
                (.or([.and([test(a), test(b)]), .not(test(c))]), { (a[$0] && b[$0]) || !c[$0] }),
                (.and([test(a), test(b), test(c)]), { a[$0] && b[$0] && c[$0] }),
                (.or([.constant(false), test(c), test(a)]), { c[$0] || a[$0] }),
            ]
            for (i, (t, want)) in cases.enumerated() {
                let got = evaluate(t, rows: n, grain: grain)
                let bad = (0..<n).first { got[$0] != want($0) }
                XCTAssertNil(bad, "case \(i), \(n) rows, grain \(grain): row \(bad ?? -1)")
                if n % 64 != 0, let last = got.words.last { XCTAssertEqual(last >> UInt64(n % 64), 0, "case \(i): bits past the last row") }
            }
        }
    }

    /// Date-ordered days with stretches of missing: zones wholly inside,
    /// outside and across the range, against a row-by-row test.
    func testDateRangeOverZonesMatchesRowByRow() {
        let n = 5 * DateZones.rows + 123
        let days = ColumnValues((0..<n).map { r -> Int32 in
            if r % 7_000 < 30 || (r >= 2 * DateZones.rows && r < 2 * DateZones.rows + 64) { return DateColumn.missing }
            return Int32(20_000 + r / 97)
        })
        let zones = DateZones(days: days)
        XCTAssertEqual(zones.count, 6)
        for (lo, hi) in [(Int32(20_000), Int32(20_100)), (20_150, 20_600), (20_170, 20_340), (0, 30_000), (20_500, 20_400), (30_000, 30_001)] {
            for grain in [1, 5, 4096] {
                let got = evaluate(.dateIn(days, zones, lo: lo, hi: hi), rows: n, grain: grain)
                let bad = (0..<n).first { got[$0] != (days[$0] != DateColumn.missing && days[$0] >= lo && days[$0] < hi) }
                XCTAssertNil(bad, "[\(lo), \(hi)) grain \(grain): row \(bad ?? -1)")
                if let last = got.words.last { XCTAssertEqual(last >> UInt64(n % 64), 0, "[\(lo), \(hi)): bits past the last row") }
            }
        }
    }

    /// A yes/no column read in place from a cache may carry set bits past
    /// its last row in its last word (written by anything): the filter and
    /// the counts ignore them. 70 rows, 128 bits set.
    func testYesNoBitsPastTheLastRowAreIgnored() {
        let bits = PackedBits(words: ColumnValues<UInt64>([~0, ~0]), count: 70)
        for want in [true, false] {
            let got = evaluate(.bools(value: bits, known: bits, want: want), rows: 70, grain: 1)
            XCTAssertEqual(got.popCount, want ? 70 : 0)
        }
        XCTAssertEqual(bits.setCount(), 70)
        XCTAssertEqual(bits.setCount(and: bits), 70)
    }

    func testUndecidedRuns() {
        // Words: 0 = decided for an and; anything else undecided.
        let words: [UInt64] = [0, 0, 5, 0, 0, 7] + [UInt64](repeating: 0, count: 8) + [1, 0, 0]
        var copy = words
        let got = copy.withUnsafeMutableBufferPointer { w -> [Range<Int>] in
            guard let p = w.baseAddress else { return [] }
            var runs: [Range<Int>] = [], k = 0
            while true {
                let r = RowTest.undecidedRun(p, from: k, to: w.count, isAnd: true, rows: w.count * 64)
                if r.isEmpty { break }
                runs.append(r); k = r.upperBound
            }
            return runs
        }
        // The gap of two joins 2 and 5; the gap of eight splits off 14.
        XCTAssertEqual(got, [2..<6, 14..<15])
    }

    func testCheapestPartFirst() {
        let days = ColumnValues<Int32>([1, 2, 3])
        let parts: [RowTest] = [.categoryIn(.u8(ColumnValues<UInt8>([0, 1, 0])), table: [1, 0]), .dateIn(days, DateZones(days: days), lo: 0, hi: 2), .constant(true)]
        XCTAssertEqual(parts.cheapestFirst.map(\.cost), [0, 8, 10])
    }
}

/// A time key over date-ordered rows gives whole zones one code without
/// reading their days; the reference is the same key worked out row by row
/// (the key with its zones taken away).
final class DateZoneKeyTests: XCTestCase {
    func testZoneShortcutMatchesRowByRow() throws {
        // Five zones and a bit: one day per 40 rows from 2019-03-20, so
        // zones fall within and across years, quarters and months; a run of
        // missing days in the third zone; a selection of two stretches.
        let n = 5 * DateZones.rows + 777
        var text = "reported\n"
        for r in 0..<n {
            text += (r >= 2 * DateZones.rows + 100 && r < 2 * DateZones.rows + 140) ? "\n" : Day.iso(Day.number(2019, 3, 20) + r / 40) + "\n"
        }
        let csv = try CSVFile(path: "z.csv", bytes: Array(text.utf8))
        let ds = Dataset(name: "z", path: "z.csv", csv: csv)
        guard case .date(let col) = try ds.column(0) else { return XCTFail("not a date column") }
        var selection = Bitmap(count: n)
        for r in (1_000..<40_000).chained(with: 60_000..<n) { selection[r] = true }
        for all in [true, false] {
            let sel = all ? Bitmap(count: n, filled: true) : selection
            for bucket in TimeBucket.allCases {
                let key = try KeyCodes.make(.time(bucket, column: 0, name: "reported"), ds, selection: sel)
                guard case .days(let d, let first, let table, let zones?) = key.source else { return XCTFail("\(bucket): no zones") }
                XCTAssertEqual(zones, col.zones)
                var rowByRow = key
                rowByRow.source = .days(d, first: first, table: table, zones: nil)
                for range in [0..<n, 5..<(DateZones.rows + 9), (2 * DateZones.rows)..<(4 * DateZones.rows + 1)] {
                    var a = [Int32](repeating: 0, count: range.count), b = a
                    a.withUnsafeMutableBufferPointer { GroupCursor.combined([key], [3], range, into: $0) }
                    b.withUnsafeMutableBufferPointer { GroupCursor.combined([rowByRow], [3], range, into: $0) }
                    let bad = a.indices.first { a[$0] != b[$0] }
                    XCTAssertNil(bad, "\(bucket), all selected: \(all), rows \(range): first difference at \(bad.map { $0 + range.lowerBound } ?? -1)")
                }
            }
        }
    }
}

private extension Range where Bound == Int {
    func chained(with other: Range<Int>) -> [Int] { Array(self) + Array(other) }
}
