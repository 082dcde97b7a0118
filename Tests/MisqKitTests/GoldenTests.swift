import XCTest
import MisqCLI
@testable import MisqKit

/// Whole-CLI cases kept as data files, one per case, in Golden/cli,
/// Golden/errors and Golden/matrix:
///
///     # what the case shows
///     $ misq ARGS…            (shell-style quoting; $SMALL, $GOLDEN and $TMP,
///                              a fresh folder per test run, expand)
///     exit N
///     --- stdout
///     …
///     --- stderr
///     …
///
/// Run with MISQ_RECORD=1 to rewrite the expected sections from the
/// current output (then read the diff before committing it).
final class GoldenTests: XCTestCase {
    func testCLICases() throws { try runFolder("cli", minimum: 15) }

    /// At least 25 distinct error situations, each pinned to its caret.
    func testErrorCases() throws { try runFolder("errors", minimum: 25) }

    /// Every option with every command, before and after the subcommand
    /// (`CommandMatrixTests` checks the matrix is whole and consistent).
    func testOptionMatrix() throws { try runFolder("matrix", minimum: 63) }

    func runFolder(_ name: String, minimum: Int) throws {
        let dir = (Fixtures.golden as NSString).appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".case") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, minimum, "golden cases in \(name)")
        let record = ProcessInfo.processInfo.environment["MISQ_RECORD"] != nil
        for f in files {
            let path = (dir as NSString).appendingPathComponent(f)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard let c = GoldenCase(text) else { XCTFail("\(f): no '$ misq' line"); continue }
            let args = Shell.split(c.command).map(expand)
            // Each case starts from an empty $TMP: what one case wrote
            // (an `--out` folder) is not there for the next to find.
            try? FileManager.default.removeItem(atPath: GoldenCase.temporary)
            try FileManager.default.createDirectory(atPath: GoldenCase.temporary, withIntermediateDirectories: true)
            let (out, err, code) = MisqCLI.capture(args)
            let actual = GoldenCase(comment: c.comment, command: c.command, exit: code, stdout: unexpand(out), stderr: unexpand(err))
            if record { try actual.text.write(toFile: path, atomically: true, encoding: .utf8); continue }
            XCTAssertEqual(actual.exit, c.exit, "\(f): exit code")
            XCTAssertEqual(actual.stdout, c.stdout, "\(f): stdout")
            XCTAssertEqual(actual.stderr, c.stderr, "\(f): stderr")
            if name == "errors" {
                XCTAssertEqual(code, 2, "\(f): an error exits 2")
                XCTAssertTrue(err.contains("error: "), "\(f): says error")
            }
        }
    }

    func expand(_ s: String) -> String { GoldenCase.expand(s) }
    func unexpand(_ s: String) -> String { GoldenCase.unexpand(s) }
}

struct GoldenCase {
    var comment: String
    var command: String
    var exit: Int32
    var stdout: String
    var stderr: String

    init(comment: String, command: String, exit: Int32, stdout: String, stderr: String) {
        self.comment = comment; self.command = command; self.exit = exit; self.stdout = stdout; self.stderr = stderr
    }

    init?(_ text: String) {
        var comment: [String] = [], command: String?, exit: Int32 = 0
        var section: String?
        var out: [String] = [], err: [String] = []
        for line in text.components(separatedBy: "\n") {
            if line == "--- stdout" { section = "out"; continue }
            if line == "--- stderr" { section = "err"; continue }
            switch section {
            case "out": out.append(line)
            case "err": err.append(line)
            default:
                if line.hasPrefix("# ") || line == "#" { comment.append(line) }
                else if line.hasPrefix("$ misq") { command = String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
                else if line.hasPrefix("exit ") { exit = Int32(line.dropFirst(5)) ?? -1 }
            }
        }
        guard let cmd = command else { return nil }
        // The file ends with a newline after each section's text.
        func join(_ lines: [String]) -> String { lines.joined(separator: "\n") }
        self.init(comment: comment.joined(separator: "\n"), command: cmd, exit: exit,
                  stdout: String(join(out).dropLast(out.last == "" ? 0 : 0)), stderr: join(err))
        if stdout.hasSuffix("\n") { stdout.removeLast() }
        if stderr.hasSuffix("\n") { stderr.removeLast() }
        stdout = stdout.isEmpty ? "" : stdout + "\n"
        stderr = stderr.isEmpty ? "" : stderr + "\n"
    }

    /// A folder for the files cases write (`--junit`, `--out`), one per test process.
    static let temporary: String = (try? Fixtures.temporaryDirectory().path) ?? NSTemporaryDirectory()

    static func expand(_ s: String) -> String {
        s.replacingOccurrences(of: "$SMALL", with: Fixtures.small).replacingOccurrences(of: "$GOLDEN", with: Fixtures.golden)
            .replacingOccurrences(of: "$TMP", with: temporary)
    }
    static func unexpand(_ s: String) -> String {
        s.replacingOccurrences(of: Fixtures.small, with: "$SMALL").replacingOccurrences(of: Fixtures.golden, with: "$GOLDEN")
            .replacingOccurrences(of: temporary, with: "$TMP")
    }

    /// The case's command line as arguments, paths expanded.
    var arguments: [String] { Shell.split(command).map(GoldenCase.expand) }

    /// Every case in a folder of Golden, by file name.
    static func load(_ folder: String) throws -> [(name: String, c: GoldenCase)] {
        let dir = (Fixtures.golden as NSString).appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".case") }.sorted().compactMap { f in
            let text = try String(contentsOfFile: (dir as NSString).appendingPathComponent(f), encoding: .utf8)
            return GoldenCase(text).map { (f, $0) }
        }
    }

    var text: String {
        var t = comment.isEmpty ? "" : comment + "\n"
        t += "$ misq \(command)\nexit \(exit)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
        return t
    }
}

/// Shell-style splitting: spaces separate, single and double quotes group.
enum Shell {
    static func split(_ s: String) -> [String] {
        var args: [String] = [], cur = "", quote: Character?, inArg = false
        for ch in s {
            if let q = quote {
                if ch == q { quote = nil } else { cur.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch; inArg = true
            } else if ch == " " {
                if inArg { args.append(cur); cur = ""; inArg = false }
            } else { cur.append(ch); inArg = true }
        }
        if inArg { args.append(cur) }
        return args
    }
}
