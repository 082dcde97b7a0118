import XCTest
@testable import MisqKit
import MisqFuzz

/// Rows with quoted fields, and plain rows whose fields fall at every
/// offset across the 16- and 32-byte blocks the fast row path counts in:
/// every column must read the same by the fast path (which leaves any row
/// with a quote to the exact one), by the exact byte-level path alone, and
/// in chunks of a few bytes.
final class QuotedRowTests: XCTestCase {
    func testQuotedFieldsReadAsTheExactPathReadsThem() {
        let shapes = [
            "\"a, b\"", "\"\"", "\",\"", "\"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t\"", "\"x\"",
            // A doubled quote, blanks around, a quote inside an unquoted
            // field, a carriage return after.
            "\"a \"\"b\"\", c\"", " \"a,b\" ", "ab\"c", "\"a,b\"\r",
        ]
        for shape in shapes {
            for pad in 0..<34 {
                let lead = String(repeating: "p", count: pad)
                var text = "a,b,c,d,e\n"
                // The quoted field in every position, and two in a row.
                text += "\(lead),\(shape),c,d,e\n"
                text += "\(lead),b,c,d,\(shape)\n"
                text += "\(lead),b,\(shape),\(lead),e\n"
                text += "\(lead),\(shape),\(shape),d,e\n"
                text += "1,2,3,4,5\n"
                XCTAssertNil(FuzzHarness.chunkingMismatch(Array(text.utf8)), "\(shape.debugDescription) after \(pad) bytes")
            }
        }
    }

    /// The values, by hand: the quotes are not part of them, commas are.
    func testQuotedValues() throws {
        let text = "id,type,n\nA1,\"Authority, respect and courtesy\",3\nA2,Other,4\nA3,\"\",5\n"
        let csv = try CSVFile(path: "q.csv", bytes: Array(text.utf8))
        let cols = try ColumnBuilder.build(csv, columns: [1, 2], schemas: [FieldSchema(name: "type"), FieldSchema(name: "n")], missingValues: [])
        XCTAssertEqual((0..<3).map { cols[0].text($0) }, ["Authority, respect and courtesy", "Other", nil])
        XCTAssertEqual((0..<3).map { cols[1].text($0) }, ["3", "4", "5"])
    }

    /// The fast path finds a row's line feed in the same read as its
    /// separators: rows of every length, ending at every offset of the
    /// 16- and 32-byte blocks, in fields it codes and in the fields past
    /// the sixteenth that the harness leaves out (there blocks are only
    /// counted); with and without a carriage return, a last row with no
    /// line feed, and rows one field short or long.
    func testLineEndsAtEveryOffsetReadAsTheExactPathReadsThem() {
        let header = (1...20).map { "c\($0)" }.joined(separator: ",")
        for length in 0..<70 {
            let long = String(repeating: "v", count: length)
            let plain = (1...20).map { $0 == 20 ? long : "\($0)" }.joined(separator: ",")
            let early = (1...20).map { $0 == 3 ? long : "x" }.joined(separator: ",")
            for ending in ["\n", "\r\n"] {
                for last in ["", "\n"] {
                    let text = header + "\n" + plain + ending + early + ending + plain + last
                    XCTAssertNil(FuzzHarness.chunkingMismatch(Array(text.utf8)), "length \(length), ending \(ending.debugDescription), last \(last.debugDescription)")
                }
                for bad in [plain + ",extra", (1...19).map { _ in long }.joined(separator: ",")] {
                    let text = header + "\n" + plain + ending + bad + ending + plain + "\n"
                    XCTAssertNil(FuzzHarness.chunkingMismatch(Array(text.utf8)), "length \(length), a bad row")
                }
            }
        }
    }
}
