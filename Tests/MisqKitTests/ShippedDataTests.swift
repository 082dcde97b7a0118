import XCTest
import MisqCLI
import MisqSynth
@testable import MisqKit

/// The shipped datasets and saved FOI queries, run as a user would.
final class ShippedDataTests: XCTestCase {
    static let root = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// `misq test queries/` passes: every published figure in the seeds holds.
    func testQueriesSuitePasses() throws {
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(Self.root.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        let (out, err, code) = MisqCLI.capture(["test", "queries"])
        XCTAssertEqual(code, 0, out + err)
        // The count of assertions guards against files silently asserting nothing.
        XCTAssertTrue(out.contains("assertions in 5 files"), out)
        XCTAssertTrue(out.contains(" 0 failed"), out)
        let passed = out.split(separator: "\n").last.flatMap { line in line.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) } }
        XCTAssertGreaterThanOrEqual(passed ?? 0, 55, out)
    }

    /// Regenerating with the committed seed reproduces the committed file byte for byte.
    func testSyntheticDataRegeneratesExactly() throws {
        let committed = try CSVFile.read(Self.root.appendingPathComponent("datasets/centurion_synthetic.csv").path)
        let (text, rows, _) = Generator.csv(seed: Generator.defaultSeed)
        XCTAssertEqual(rows, 29_365)
        XCTAssertTrue(Array(text.utf8) == committed, "datasets/centurion_synthetic.csv differs from misq-synth's output: run `swift run misq-synth`")
        // Another seed gives other data.
        XCTAssertNotEqual(Generator.csv(seed: 1).text, text)
    }

    /// Every result from the synthetic data says so.
    func testSyntheticIsLabelled() throws {
        let s = try Session.open(datasetsDirectory: Self.root.appendingPathComponent("datasets").path)
        let r = try Fixtures.results("count cases where vawg", session: s)[0]
        XCTAssertTrue(r.footer.lines[0].contains("[SYNTHETIC DATA]"), r.footer.lines[0])
        XCTAssertEqual(r.scalarValue.map { $0 > 0 }, true)
    }
}
