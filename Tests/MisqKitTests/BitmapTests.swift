import XCTest
@testable import MisqKit

/// `forEachSet(in:)` against the obvious reference: the whole bitmap's set
/// indices, filtered to the range.
final class BitmapTests: XCTestCase {
    func testForEachSetInRangeMatchesFilteredWholeBitmap() {
        var rng = SystemRandomNumberGenerator()
        for count in [0, 1, 63, 64, 65, 127, 128, 129, 1_000] {
            var b = Bitmap(count: count)
            for i in 0..<count where Bool.random(using: &rng) { b[i] = true }
            var all: [Int] = []
            b.forEachSet { all.append($0) }
            var bounds = [0, count]
            for _ in 0..<20 { bounds.append(Int.random(in: 0...count, using: &rng)) }
            for lo in bounds { for hi in bounds where lo <= hi {
                var got: [Int] = []
                b.forEachSet(in: lo..<hi) { got.append($0) }
                XCTAssertEqual(got, all.filter { $0 >= lo && $0 < hi }, "count \(count) range \(lo)..<\(hi)")
            } }
        }
    }

    /// `anySet(in:)` and `allSet(in:)` against the range's bits one by one,
    /// on sparse, dense and mixed bitmaps.
    func testAnyAndAllSetInRange() {
        for count in [0, 1, 63, 64, 65, 130, 1_000] {
            for density in [0, 2, 50, 98, 100] {
                var b = Bitmap(count: count)
                for i in 0..<count where Int.random(in: 0..<100) < density { b[i] = true }
                let bounds = [0, count, count / 2, min(count, 1), min(count, 64), min(count, 65)] + (0..<10).map { _ in Int.random(in: 0...count) }
                for lo in bounds { for hi in bounds where lo <= hi {
                    XCTAssertEqual(b.anySet(in: lo..<hi), (lo..<hi).contains { b[$0] }, "any: count \(count) \(lo)..<\(hi)")
                    XCTAssertEqual(b.allSet(in: lo..<hi), (lo..<hi).allSatisfy { b[$0] }, "all: count \(count) \(lo)..<\(hi)")
                } }
            }
        }
    }
}
