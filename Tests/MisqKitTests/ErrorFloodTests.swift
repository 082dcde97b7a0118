import XCTest
import MisqCLI
@testable import MisqKit

/// A script of junk is a few errors, each a few lines long (issue 16,
/// item 7): 8,000 bad characters on one line gave 97 MB of stderr before.
final class ErrorFloodTests: XCTestCase {
    func runScript(_ bytes: [UInt8]) throws -> (err: String, code: Int32, seconds: Double) {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("junk.misq").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let start = Date()
        let (_, err, code) = MisqCLI.capture(["--datasets", Fixtures.small, "run", path])
        return (err, code, Date().timeIntervalSince(start))
    }

    func testALongLineOfBadCharacters() throws {
        let (err, code, seconds) = try runScript(Array(repeating: UInt8(ascii: "@"), count: 8_000) + [10])
        XCTAssertEqual(code, 2)
        XCTAssertLessThan(err.utf8.count, 20_000)
        XCTAssertLessThan(seconds, 1)
        XCTAssertEqual(err.components(separatedBy: "error:").count - 1, 1, String(err.prefix(2000)))
    }

    func testOneMegabyteOfRandomBytes() throws {
        let random = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom"))
        let bytes = [UInt8](random.readData(ofLength: 1_000_000))
        let (err, code, seconds) = try runScript(bytes)
        XCTAssertEqual(code, 2)
        XCTAssertLessThan(err.utf8.count, 20_000)
        XCTAssertLessThan(seconds, 1)
        XCTAssertLessThanOrEqual(err.components(separatedBy: "\nerror:").count, Lexer.maxErrors + 2)
    }

    func testManyBadStatementsAreCapped() throws {
        let text = String(repeating: "count cases top x;\n", count: 500)
        let (err, code, _) = try runScript(Array(text.utf8))
        XCTAssertEqual(code, 2)
        XCTAssertTrue(err.contains("too many errors: stopped reading"), String(err.suffix(500)))
        XCTAssertLessThan(err.utf8.count, 20_000)
    }

    func testALongLineShowsAWindowAroundTheCaret() throws {
        let line = "count cases where " + String(repeating: "vawg and ", count: 1_000) + "@ and daso"
        var caught: MisqError?
        do { _ = try Parser.parse(SourceFile(name: "t", text: line)) } catch { caught = error.misqErrors.first }
        let e = try XCTUnwrap(caught)
        let text = DiagnosticRenderer.render(e)
        XCTAssertLessThan(text.utf8.count, 600, text)
        let lines = text.split(separator: "\n").map(String.init)
        // The caret still sits under the '@'.
        guard let shown = lines.first(where: { $0.hasPrefix("1 | ") }), let caret = lines.first(where: { $0.contains("^") }) else {
            return XCTFail(text)
        }
        guard let at = shown.firstIndex(of: "@"), let hat = caret.firstIndex(of: "^") else { return XCTFail(text) }
        let col = shown.distance(from: shown.startIndex, to: at)
        let caretCol = caret.distance(from: caret.startIndex, to: hat)
        XCTAssertEqual(col, caretCol, text)
        XCTAssertTrue(shown.contains("…"))
    }
}
