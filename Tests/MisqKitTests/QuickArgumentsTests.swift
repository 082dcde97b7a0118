import XCTest
@testable import MisqCLI
import MisqKit

/// `QuickArguments` reads the commonest command line without ArgumentParser
/// (start-up time). The reference here is ArgumentParser itself: wherever
/// the quick reader answers, it must read exactly what ArgumentParser
/// reads; where it declines, ArgumentParser decides as before.
final class QuickArgumentsTests: XCTestCase {
    /// What ArgumentParser makes of a root-command line, in the same shape.
    private func full(_ args: [String]) -> QuickArguments? {
        guard let c = try? MisqCommand.parseAsRoot(args), let m = c as? MisqCommand else { return nil }
        return QuickArguments(statements: m.e, data: m.dataOptions.choice(param: m.params.param), format: m.format)
    }

    func testAgreesWithArgumentParserWhereverItAnswers() {
        let lines: [[String]] = [
            ["-e", "count cases"],
            ["-e", "count cases", "-e", "count allegations"],
            ["--datasets", "bench/data/1m", "--format", "csv", "-e", "count distinct officer_id where suspended"],
            ["--datasets=d", "--format=json", "-e", "x"],
            ["--format", "markdown", "--data", "a.csv", "--data", "b.csv", "-e", "q"],
            ["--param", "window=2023-05..2024-05", "-e", "q"],
            ["--datasets", "", "-e", ""],
            ["-e", "count cases where outcome = \"-\""],
            ["--datasets=-odd", "-e", "q"],
        ]
        for args in lines {
            guard let quick = QuickArguments.parse(args) else { XCTFail("quick reader declined \(args)"); continue }
            XCTAssertEqual(quick, full(args), "\(args)")
        }
    }

    /// Lines it must leave to ArgumentParser: help, subcommands, errors,
    /// repeats, values that look like flags, the interactive prompt.
    func testDeclinesEverythingElse() {
        let lines: [[String]] = [
            [], ["--help"], ["-h"], ["--version"], ["run", "q.misq"], ["test", "queries/"], ["describe"],
            ["-e"], ["-e", "-x"], ["-e", "q", "--format", "yaml"], ["-e", "q", "--format", "csv", "--format", "json"],
            ["-e", "q", "--datasets", "a", "--datasets", "b"], ["-e", "q", "--unknown", "1"], ["-e", "q", "--"],
            ["-e", "q", "extra"], ["--datasets", "d"], ["-e=q"], ["--generate-completion-script", "bash"],
        ]
        for args in lines {
            XCTAssertNil(QuickArguments.parse(args), "\(args)")
        }
        // Declining changes nothing a user sees: ArgumentParser still
        // reports the bad format as before.
        let bad = MisqCLI.capture(["-e", "count cases", "--format", "yaml"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("yaml"), bad.err)
    }

    /// Every whole-CLI golden case (the option matrix, cli, errors): where
    /// the quick reader answers, it reads what ArgumentParser reads, and
    /// misq prints and exits exactly as it does without the quick reader.
    func testAgreesAcrossTheGoldenCases() throws {
        var answered = 0
        for folder in ["matrix", "cli", "errors"] {
            for (name, c) in try GoldenCase.load(folder) {
                let args = c.arguments
                guard let quick = QuickArguments.parse(args) else { continue }
                answered += 1
                XCTAssertEqual(quick, full(args), "\(folder)/\(name)")
                let fast = Console(collect: true), slow = Console(collect: true)
                XCTAssertEqual(MisqCLI.execute(args, console: fast, quick: true), MisqCLI.execute(args, console: slow, quick: false), name)
                XCTAssertEqual(fast.out, slow.out, name)
                XCTAssertEqual(fast.err, slow.err, name)
            }
        }
        // The matrix's -e cases among them: the reader is exercised, not skipped.
        XCTAssertGreaterThanOrEqual(answered, 20)
    }
}
