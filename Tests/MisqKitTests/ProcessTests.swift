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
    var misqBinary: URL { Fixtures.misqBinary }

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

    /// An unknown `.help` topic is an error like any dot-command's: piped,
    /// it stops the run with exit 2 as `.mode nosuch` does (it printed a
    /// line and went on, exit 0); a known one still prints its topic.
    func testUnknownHelpTopicPiped() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let (out, err, code) = try run(["--datasets", Fixtures.small, "--format", "csv"], stdin: ".help nosuch\ncount cases\n")
        XCTAssertEqual(code, 2)
        XCTAssertEqual(out, "")
        XCTAssertTrue(err.contains("no help topic or word 'nosuch'") && err.contains("<stdin>:1:1"), err)
        let (_, modeErr, modeCode) = try run(["--datasets", Fixtures.small], stdin: ".mode nosuch\n")
        XCTAssertEqual(modeCode, 2, modeErr)
        let (_, typoErr, _) = try run(["--datasets", Fixtures.small], stdin: ".help acros\n")
        XCTAssertTrue(typoErr.contains("did you mean 'across'?"), typoErr)
        let (help, _, helpCode) = try run(["--datasets", Fixtures.small], stdin: ".help across\ncount cases\n")
        XCTAssertEqual(helpCode, 0)
        XCTAssertTrue(help.contains("across: a second key as columns"), help)
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

    /// Runs misq with standard output as `stdout` (a file handle, or nil
    /// for closed: `>&-` through the shell), returning stderr and the code.
    func runWritingTo(_ stdout: FileHandle?, _ args: [String]) throws -> (String, Int32) {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let p = Process()
        if let out = stdout {
            p.executableURL = misqBinary
            p.arguments = args
            p.standardOutput = out
        } else {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "exec \"$0\" \"$@\" >&-", misqBinary.path] + args
        }
        let errPipe = Pipe()
        p.standardError = errPipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (err, p.terminationStatus)
    }

    /// A full disk loses the output: exit 2 and a message, never exit 0.
    func testWriteToAFullDeviceIsAnError() throws {
        let full = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        let (err, code) = try runWritingTo(full, ["--datasets", Fixtures.small, "-e", "show allegations", "--format", "csv"])
        XCTAssertEqual(code, 2, err)
        XCTAssertTrue(err.contains("error: could not write the output: No space left on device"), err)
        let (err2, code2) = try runWritingTo(full, ["--datasets", Fixtures.small, "describe"])
        XCTAssertEqual(code2, 2, err2)
    }

    /// `misq -e 'count cases' >&-`: no standard output at all is exit 2.
    func testClosedStandardOutputIsAnError() throws {
        let (err, code) = try runWritingTo(nil, ["--datasets", Fixtures.small, "-e", "count cases"])
        XCTAssertEqual(code, 2, err)
        XCTAssertTrue(err.contains("error: could not write the output: standard output is closed"), err)
    }

    /// Dot-commands work in piped input as at the prompt, on lines of their
    /// own; an unknown one is an error with its line, exit 2.
    func testDotCommandsInPipedInput() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let (out, err, code) = try run(["--datasets", Fixtures.small], stdin: ".mode csv\ncount cases\n.describe npcc.scope\ncount allegations\n  where vawg\n")
        XCTAssertEqual(code, 0, err)
        // 16 cases, 15 VAWG allegations (hand counts, see EvaluatorTests); npcc.scope: Met 4, National 2 (the fixture CSV).
        XCTAssertTrue(out.hasPrefix("cases\n16\n"), out)
        XCTAssertTrue(out.contains("scope: category\n  Met: 4\n  National: 2\n"), out)
        XCTAssertTrue(out.hasSuffix("allegations\n15\n"), out)
        let (_, bad, badCode) = try run(["--datasets", Fixtures.small], stdin: "count cases\n.modee csv\n")
        XCTAssertEqual(badCode, 2)
        XCTAssertTrue(bad.contains("<stdin>:2:1") && bad.contains("did you mean '.mode'?"), bad)
    }

    /// `--junit` onto something that is not a plain file is written in
    /// place: a FIFO nobody reads is an error (exit 2), and it stays a FIFO
    /// (it was renamed over, as /dev/full was when misq ran as root).
    func testReportOntoAFIFOIsWrittenInPlace() throws {
        let fifo = try Fixtures.temporaryDirectory().appendingPathComponent("report.xml").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let (_, err, code) = MisqCLI.capture(["--datasets", Fixtures.small, "test", Fixtures.golden + "/files/figures.misq", "--junit", fifo])
        XCTAssertEqual(code, 2, err)
        XCTAssertTrue(err.contains("cannot write \(fifo)"), err)
        var info = stat()
        XCTAssertEqual(stat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO was replaced")
    }
}

extension ProcessTests {
    /// `.mode bars`, `.once FILE` and `.output FILE` piped, as at the
    /// prompt: the results go to the file (emptied first), the rest to
    /// the screen. Figures: the small fixture's 16 cases, 15 VAWG
    /// allegations (hand counts, see EvaluatorTests).
    func testOutputAndOnceWriteResultsToFiles() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let once = dir.appendingPathComponent("once.csv").path, all = dir.appendingPathComponent("all.csv").path
        try "stale\n".write(toFile: once, atomically: true, encoding: .utf8)
        let script = ".mode csv\n.once \(once)\ncount cases\n.output \(all)\ncount allegations\n  where vawg\n.output\ncount cases\n"
        let (out, err, code) = try run(["--datasets", Fixtures.small], stdin: script)
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(try String(contentsOfFile: once, encoding: .utf8), "cases\n16\n")
        XCTAssertEqual(try String(contentsOfFile: all, encoding: .utf8), "allegations\n15\n")
        XCTAssertEqual(out, "cases\n16\n")
        // `.mode bars`: a table with a bar column.
        let (bars, _, _) = try run(["--datasets", Fixtures.small], stdin: ".mode bars\ncount cases by outcome\n")
        XCTAssertTrue(bars.contains("│ Written warning           │     4 │ \(String(repeating: "█", count: 30)) │"), bars)
        // A file that cannot be opened is an error (exit 2), not output lost.
        let (_, bad, badCode) = try run(["--datasets", Fixtures.small], stdin: ".once \(dir.path)/no/such/x.csv\ncount cases\n")
        XCTAssertEqual(badCode, 2)
        XCTAssertTrue(bad.contains("cannot write"), bad)
    }
}
