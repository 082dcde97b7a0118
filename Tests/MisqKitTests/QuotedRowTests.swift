import XCTest
@testable import MisqKit

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
}
