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
}
