import XCTest
import CScan
@testable import MisqKit

/// The vector first stage of the scan (`misq_structurals`) and the fast
/// row path that reads rows from its lists (`RowScanner.plainRow`).
final class StructuralWindowTests: XCTestCase {
    /// Every length from 0 to 200 (whole 64-byte blocks and every partial
    /// last one), with separators, line feeds and quotes at random places,
    /// against a byte-by-byte reference written here, by each instruction
    /// set this processor has (the portable loop, SSE2, AVX2) as well as by
    /// the one chosen at run time; also with the NUL byte as separator,
    /// which the padding of the last block must not match.
    func testListsMatchAByteByByteScan() {
        var state: UInt64 = 11
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        let alphabet: [UInt8] = Array(",\n\"ab \t\r".utf8) + [0, 0xFF]
        var sets = Set<Int32>()
        for separator in [UInt8(ascii: ","), UInt8(ascii: "\t"), 0] {
            for len in 0...200 {
                let bytes = (0..<len).map { _ in alphabet[next() % alphabet.count] }
                let offsets = { (c: UInt8) in bytes.indices.filter { bytes[$0] == c }.map(UInt32.init) }
                for set: Int32 in [-1, 0, 1, 2] {
                    var s = [UInt32](repeating: 0, count: len + 64), f = s, q = s
                    var found = misq_structural_counts()
                    let ran = bytes.withUnsafeBufferPointer { b -> Bool in
                        guard let p = b.baseAddress ?? UnsafePointer(bitPattern: 64) else { return false }
                        if set < 0 { found = misq_structurals(p, len, separator, &s, &f, &q); return true }
                        return misq_structurals_by(set, p, len, separator, &s, &f, &q, &found) != 0
                    }
                    guard ran else { continue }
                    sets.insert(set)
                    XCTAssertEqual(Array(s[0..<found.separators]), offsets(separator), "set \(set), length \(len), separator \(separator)")
                    XCTAssertEqual(Array(f[0..<found.feeds]), offsets(0x0A), "set \(set), length \(len)")
                    XCTAssertEqual(Array(q[0..<found.quotes]), offsets(0x22), "set \(set), length \(len)")
                }
            }
        }
        #if arch(x86_64)
        XCTAssertTrue(sets.isSuperset(of: [-1, 0, 1]), "ran \(sets.sorted())")
        #endif
    }

    /// Which rows the fast path takes, and the fields it reads from them;
    /// the fields are those the exact path reads (by hand, from the CSV
    /// rules in RowScanner's comment), a field read as quoted written here
    /// in quotes. Rows it leaves (nil) go to the exact path, which
    /// `QuotedRowTests` and the fuzzer compare it with.
    func testWhichRowsTheFastPathTakes() {
        let cases: [(row: String, fields: [String]?, quoted: Bool)] = [
            ("a,b,c\n", ["a", "b", "c"], false),
            (",,\n", ["", "", ""], false),
            ("a , b\t,c\r\n", ["a", "b", "c"], false),
            // Quoted fields that enclose a whole field: taken.
            ("\"a, b\",x,y\n", ["\"a, b\"", "x", "y"], true),
            ("a,\"\",\"c,d,e\"\n", ["a", "\"\"", "\"c,d,e\""], true),
            ("\"a\",\",\",\",\"\n", ["\"a\"", "\",\"", "\",\""], true),
            // Left to the exact path: a blank line, a leading blank, too
            // few or too many fields, a doubled quote, a blank around a
            // quoted field, a quote inside a field, a quoted line feed, a
            // carriage return after a closing quote, no line feed.
            ("\n", nil, false),
            (" a,b,c\n", nil, false),
            ("a,b\n", nil, false),
            ("a,b,c,d\n", nil, false),
            ("\"a\"\"b\",x,y\n", nil, true),
            ("a, \"b\",c\n", nil, true),
            ("a,\"b\" ,c\n", nil, true),
            ("a,b\"c,d\n", nil, true),
            ("a,\"b\nc\",d\n", nil, true),
            ("a,b,\"c\"\r\n", nil, true),
            ("\"a,b\",c\n", nil, true),
            ("a,b,c", nil, false),
        ]
        for (row, want, wantQuoted) in cases {
            let bytes = Array(row.utf8)
            bytes.withUnsafeBufferPointer { b in
                guard let p = b.baseAddress else { return }
                let scanner = RowScanner(p, count: b.count, fields: 3, separator: UInt8(ascii: ","))
                var window = StructuralWindow(scanner, bytes: 64, from: 0)
                defer { window.deallocate() }
                var spans = [FieldSpan](repeating: FieldSpan(), count: 3)
                let fields: [Int32] = [0, 1, 2]
                var quoted = false
                let next = fields.withUnsafeBufferPointer { f in
                    spans.withUnsafeMutableBufferPointer { sp in
                        scanner.plainRow(at: 0, window: &window, fields: f.baseAddress, width: 3, spans: sp.baseAddress, quoted: &quoted)
                    }
                }
                guard let want = want else {
                    XCTAssertNil(next, row.debugDescription)
                    return
                }
                XCTAssertEqual(next, bytes.count, row.debugDescription)
                XCTAssertEqual(quoted, wantQuoted, row.debugDescription)
                let got = spans.map { s in
                    let text = String(decoding: bytes[s.start..<s.end], as: UTF8.self)
                    return s.quoted ? "\"" + text + "\"" : text
                }
                XCTAssertEqual(got, want, row.debugDescription)
            }
        }
    }
}
