import XCTest
@testable import MisqKit
@testable import MisqSynth

/// ASCII labels are ranked on their bytes (`CategoryColumn.asciiOrder`):
/// the ranks must be the ones String comparison gives, lowercased first and
/// then as written, worked out here with Swift's own `lowercased()` and `<`.
final class LabelOrderTests: XCTestCase {
    func stringRanks(_ labels: [String]) -> [Int] {
        let order = labels.indices.sorted { a, b in
            let x = labels[a].lowercased(), y = labels[b].lowercased()
            return x != y ? x < y : labels[a] < labels[b]
        }
        var r = [Int](repeating: 0, count: labels.count)
        for (k, c) in order.enumerated() { r[c] = k }
        return r
    }

    func testRandomASCIILabelsRankAsStringsDo() {
        var rng = SplitMix64(seed: 23)
        // Few letters, so labels share long prefixes, differ only in case,
        // and run past the eight bytes the radix pass looks at.
        let alphabet = Array("aAbB0 _-\u{0}zZ".utf8)
        for round in 0..<30 {
            var seen = Set<String>()
            while seen.count < 2 + Int(rng.next() % 2_000) {
                let length = Int(rng.next() % 14)
                seen.insert(String(decoding: (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }, as: UTF8.self))
            }
            let labels = Array(seen)
            XCTAssertEqual(CategoryColumn.ranks(labels, nil), stringRanks(labels), "round \(round)")
        }
    }

    func testIdsAndNonASCII() {
        let ids = (0..<5_000).map { i -> String in let d = String((i * 7_919) % 5_000); return "A" + String(repeating: "0", count: 7 - d.count) + d } + ["a0000001x", "A0000001X"]
        XCTAssertEqual(CategoryColumn.ranks(ids, nil), stringRanks(ids))
        // A label past ASCII: String comparison decides, as before.
        XCTAssertNil(CategoryColumn.asciiOrder(["Zoë", "Zoe"]))
        XCTAssertEqual(CategoryColumn.ranks(["Zoë", "zoe", "Zoe"], nil), stringRanks(["Zoë", "zoe", "Zoe"]))
    }
}
