import XCTest
@testable import MisqKit
@testable import MisqSynth

/// Groups put in their keys' order by radix-sorting combined ranks
/// (`KeyOrder`) come out as a stable comparison sort by each key's rank
/// puts them, here worked out beside it with the standard library's sort.
final class KeyOrderTests: XCTestCase {
    func key(_ ranks: [Int]) -> KeyCodes {
        KeyCodes(source: .codes(ColumnValues([UInt32]())), cardinality: ranks.count, labels: ranks.map(String.init), ranks: ranks)
    }

    /// The order the executor's comparator gave before: stable, by ranks.
    func compared(_ table: GroupKeyTable, _ keys: [KeyCodes]) -> [Int] {
        (0..<table.count).sorted { a, b in
            for k in keys.indices {
                let ra = keys[k].ranks[Int(table[a, k])], rb = keys[k].ranks[Int(table[b, k])]
                if ra != rb { return ra < rb }
            }
            return false
        }
    }

    func testRandomKeysWithTiesAndMissingOrderAsAStableSort() throws {
        var rng = SplitMix64(seed: 7)
        for round in 0..<40 {
            let widths = (0..<(1 + Int(rng.next() % 3))).map { _ in 1 + Int(rng.next() % 300) }
            let keys = widths.map { n -> KeyCodes in
                // A permutation (a category's ranks) with missing last, or
                // ranks with ties and gaps (the comparison path's input).
                if rng.next() % 2 == 0 {
                    var r = Array(0..<(n - 1))
                    for i in r.indices.reversed() { r.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
                    return key(r + [Int.max])
                }
                return key((0..<n).map { _ in rng.next() % 9 == 0 ? Int.max : Int(rng.next() % UInt64(n * 3)) })
            }
            var table = GroupKeyTable(width: keys.count)
            for _ in 0..<Int(rng.next() % 5_000) { table.append(keys.map { UInt32(rng.next() % UInt64($0.cardinality)) }) }
            let got = try XCTUnwrap(KeyOrder.order(table, keys), "round \(round)")
            XCTAssertEqual(got, compared(table, keys), "round \(round), widths \(widths)")
        }
    }

    func testNegativeRanksAreLeftToTheComparison() {
        var table = GroupKeyTable(width: 1)
        table.append([0]); table.append([1])
        XCTAssertNil(KeyOrder.order(table, [key([-1, 0])]))
    }

    func testRadixSortAgreesWithSort() {
        var rng = SplitMix64(seed: 11)
        for bits in [1, 11, 12, 40, 64] {
            let mask = bits == 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1
            var a = (0..<10_000).map { _ in rng.next() & mask }
            let want = a.sorted()
            RadixSort.sort(&a, bits: bits)
            XCTAssertEqual(a, want, "\(bits) bits")
        }
    }
}
