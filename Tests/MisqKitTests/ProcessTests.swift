import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
import MisqCLI
@testable import MisqKit

/// What only a real process shows: standard input, and files written.
final class ProcessTests: XCTestCase {
    /// The built `misq` binary, beside the test bundle in .build/<config>/
    /// (on Linux the bundle is itself an executable in that folder).
    var misqBinary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle(for: ProcessTests.self).bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("misq") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    func run(_ args: [String], stdin: String) throws -> (String, String, Int32) {
        let p = Process()
        p.executableURL = misqBinary
        p.arguments = args
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe; p.standardOutput = outPipe; p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data(stdin.utf8))
        try inPipe.fileHandleForWriting.close()
        let out = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (out, err, p.terminationStatus)
    }

    /// `misq < file.misq` runs the statements with no prompt; exit codes as for `misq run`.
    func testStatementsFromAPipe() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let (out, _, code) = try run(["--datasets", Fixtures.small, "--format", "csv"], stdin: "count cases\ncount allegations\n  where vawg\n")
        // Hand counts, see EvaluatorTests; CSV answers are separated by an empty line.
        XCTAssertEqual(out, "cases\n16\n\nallegations\n15\n")
        XCTAssertEqual(code, 0)
        let (_, _, failed) = try run(["--datasets", Fixtures.small], stdin: "assert count cases = 17\n")
        XCTAssertEqual(failed, 1)
        let (_, err, bad) = try run(["--datasets", Fixtures.small], stdin: "count casez\n")
        XCTAssertEqual(bad, 2)
        XCTAssertTrue(err.contains("<stdin>:1:7"), err)
    }

    /// A script on standard input takes `--param` as `misq run` does: a
    /// declared param is overridden, an undeclared one is an error.
    func testParamWithAPipedScript() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let script = "param window = 2022-05..2023-05\ncount cases where period window\n"
        let (out, _, code) = try run(["--datasets", Fixtures.small, "--format", "csv", "--param", "window=2021-05..2022-05"], stdin: script)
        XCTAssertEqual(out, "cases\n5\n")  // hand count: C01–C05 reported May 2021 – April 2022 (DuckDB agrees)
        XCTAssertEqual(code, 0)
        let (bad, err, badCode) = try run(["--datasets", Fixtures.small, "--param", "windw=2022"], stdin: script)
        XCTAssertEqual(badCode, 2)
        XCTAssertEqual(bad, "")
        XCTAssertTrue(err.contains("did you mean 'window'?"), err)
    }

    func testJUnitReport() throws {
        let dir = try Fixtures.temporaryDirectory()
        let report = dir.appendingPathComponent("report.xml").path
        let (_, _, code) = MisqCLI.capture(["--datasets", Fixtures.small, "test", Fixtures.golden + "/files/figures.misq", "--junit", report])
        XCTAssertEqual(code, 1)
        let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: report))
        let root = try XCTUnwrap(xml.rootElement())
        XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "4")
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "2")
        let failures = try xml.nodes(forXPath: "//testcase/failure")
        XCTAssertEqual(failures.count, 2)
        XCTAssertTrue(failures[0].stringValue?.contains("expected:   13") == true)
        // No temporary file is left beside the report.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["report.xml"])
    }
}
