import XCTest
@testable import MisqKit

/// The parallel merge of chunk dictionaries must give exactly the codes of
/// the one-table merge (first appearance, chunk by chunk), which is the
/// reference here: it is the obvious algorithm.
final class DictionaryMergeTests: XCTestCase {
    func testParallelMergeEqualsOneTableMerge() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<4 {
            // Values shared across chunks, values seen once, empty strings,
            // lengths either side of the 8- and 16-byte compare paths.
            let pool = (0..<20_000).map { k in String(repeating: "x", count: k % 23) + "P\(k)" }
            let chunks = (0..<(30 + trial * 20)).map { c -> ByteDictionary in
                var d = ByteDictionary()
                for _ in 0..<(c % 7 == 3 ? 0 : 3_000 + c * 13) {
                    let v = Int.random(in: 0..<(pool.count / (trial + 1)), using: &rng)
                    _ = d.code(Array(pool[v].utf8))
                }
                if c % 5 == 0 { _ = d.code([]) }
                return d
            }
            XCTAssertGreaterThan(chunks.reduce(0) { $0 + $1.count }, DictionaryMerge.parallelFrom)
            let one = DictionaryMerge.sequential(chunks)
            let many = DictionaryMerge.parallel(chunks)
            XCTAssertEqual(many.labels, one.labels, "trial \(trial)")
            XCTAssertEqual(many.remaps, one.remaps, "trial \(trial)")
        }
    }

    /// The one-load tail of a field's hash must equal the byte loop's, or a
    /// value would get two codes in one dictionary: every length 0–40 at
    /// every offset of a buffer with room past the end.
    func testHashTailLoadEqualsByteLoop() {
        let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return XCTFail() }
            for start in 0..<40 {
                for len in 0...40 {
                    XCTAssertEqual(ByteDictionary.hash(base + start, len, wordPastEnd: true),
                                   ByteDictionary.hash(base + start, len, wordPastEnd: false), "start \(start) len \(len)")
                }
            }
        }
    }
}
