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

    private func test(_ b: Bitmap) -> RowTest { .bools(value: b, known: Bitmap(count: b.count, filled: true), want: true) }

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
        let parts: [RowTest] = [.categoryIn(.u8(ColumnValues<UInt8>([0, 1, 0])), table: [1, 0]), .dateIn(days, lo: 0, hi: 2), .constant(true)]
        XCTAssertEqual(parts.cheapestFirst.map(\.cost), [0, 8, 10])
    }
}
