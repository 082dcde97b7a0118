import XCTest
import Foundation
@testable import MisqCLI

/// The whole-CLI option matrix (`Golden/matrix`, run by
/// `GoldenTests.testOptionMatrix`): every option with every command, before
/// and after the subcommand, each case saying what it must do. Here the
/// matrix is held whole and consistent: with the options ArgumentParser
/// declares, with `CommandRouting`'s table of who acts on what, and with
/// itself (an option does the same wherever it stands).
final class CommandMatrixTests: XCTestCase {
    typealias Command = CommandRouting.Command

    static func cells(_ c: Command) -> [String] {
        c == .root ? ["root"] : ["\(c.rawValue)-before", "\(c.rawValue)-after"]
    }

    static func fileName(_ cell: String, _ option: CommandRouting.Option) -> String {
        let name = option.names[0].drop { $0 == "-" }
        return "\(cell)-\(name).case"
    }

    /// Every option of the table, in every place, has its case; and the
    /// matrix holds no case for an option the table does not know.
    func testMatrixIsWhole() throws {
        let files = Set(try GoldenCase.load("matrix").map(\.name))
        var expected = Set<String>()
        for option in CommandRouting.options {
            for command in Command.allCases {
                for cell in Self.cells(command) { expected.insert(Self.fileName(cell, option)) }
            }
        }
        XCTAssertEqual(expected.subtracting(files).sorted(), [], "cases missing from Golden/matrix")
        XCTAssertEqual(files.subtracting(expected).sorted(), [], "cases for options CommandRouting does not list")
    }

    /// The routing table says exactly what ArgumentParser declares: each
    /// command's options, which take a value, and which repeat. An option added to a
    /// command (or to a shared group) without a place in the table and the
    /// matrix fails here.
    func testTableMatchesDeclaredOptions() throws {
        var declared: [Command: [String: String]] = [:]
        declared[.root] = try Self.options(dumping: MisqCommand.self, subcommand: nil)
        for c in [Command.run, .test, .describe, .explain, .sql, .export, .report, .audit] {
            declared[c] = try Self.options(dumping: SubcommandRoot.self, subcommand: c.rawValue)
        }
        for c in Command.allCases {
            var table: [String: String] = [:]
            for o in CommandRouting.options where o.commands.contains(c) {
                for n in o.names { table[n] = (o.takesValue ? "option" : "flag") + (o.repeats ? ", repeating" : "") }
            }
            XCTAssertEqual(table, declared[c], "options of \(c.label)")
        }
    }

    /// A cell whose command acts on the option works (exit 0, or 1 where
    /// the case shows an assertion failing because of it); any other is a
    /// usage error that names the option.
    func testCellsAgreeWithTheTable() throws {
        for (name, c) in try GoldenCase.load("matrix") {
            guard let (command, option) = Self.cell(name) else { XCTFail("\(name): not a matrix cell name"); continue }
            XCTAssertTrue(c.comment.contains(": acts — ") || c.comment.contains(": a usage error (exit 2)"), "\(name): says what it must do")
            if option.commands.contains(command) {
                XCTAssertNotEqual(c.exit, 2, "\(name): \(option.names[0]) works with \(command.label)")
                XCTAssertTrue(c.comment.contains(": acts — "), name)
            } else {
                XCTAssertEqual(c.exit, 2, "\(name)")
                XCTAssertTrue(c.stderr.contains("\(option.names[0]) does not apply"), "\(name): \(c.stderr)")
                XCTAssertEqual(c.stdout, "", name)
            }
        }
    }

    /// An option before the subcommand does what it does after it.
    func testBeforeIsAfter() throws {
        let cases = Dictionary(uniqueKeysWithValues: try GoldenCase.load("matrix").map { ($0.name, $0.c) })
        for name in cases.keys.sorted() where name.contains("-before-") {
            guard let before = cases[name], let after = cases[name.replacingOccurrences(of: "-before-", with: "-after-")] else {
                XCTFail("\(name): no matching after case"); continue
            }
            XCTAssertEqual(before.exit, after.exit, name)
            XCTAssertEqual(before.stdout, after.stdout, name)
            XCTAssertEqual(before.stderr.replacingOccurrences(of: "before", with: "after"), after.stderr.replacingOccurrences(of: "before", with: "after"), name)
        }
    }

    static func cell(_ file: String) -> (Command, CommandRouting.Option)? {
        for command in Command.allCases {
            for cell in cells(command) {
                for option in CommandRouting.options where fileName(cell, option) == file { return (command, option) }
            }
        }
        return nil
    }

    /// Option names ArgumentParser declares for a command, from its
    /// `--experimental-dump-help` JSON: name → "option" or "flag", and
    /// whether it repeats (flags are left as flags: -v twice is -v). Help
    /// is left out.
    static func options(dumping root: ParsableCommandType, subcommand: String?) throws -> [String: String] {
        let json = root.dumpHelp()
        guard let top = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              var command = top["command"] as? [String: Any] else { throw NSError(domain: "dump-help", code: 1) }
        if let sub = subcommand {
            let subs = command["subcommands"] as? [[String: Any]] ?? []
            guard let found = subs.first(where: { $0["commandName"] as? String == sub }) else { throw NSError(domain: "no \(sub)", code: 2) }
            command = found
        }
        var out: [String: String] = [:]
        for arg in command["arguments"] as? [[String: Any]] ?? [] {
            guard let kind = arg["kind"] as? String, kind != "positional" else { continue }
            for n in arg["names"] as? [[String: Any]] ?? [] {
                guard let name = n["name"] as? String, let k = n["kind"] as? String else { continue }
                let spelled = k == "long" ? "--" + name : "-" + name
                if spelled == "-h" || spelled == "--help" { continue }
                let repeating = kind == "option" && (arg["isRepeating"] as? Bool ?? false)
                out[spelled] = (kind == "option" ? "option" : "flag") + (repeating ? ", repeating" : "")
            }
        }
        return out
    }
}

import ArgumentParser

typealias ParsableCommandType = ParsableCommand.Type

extension ParsableCommand {
    /// ArgumentParser's description of the command tree, as JSON.
    static func dumpHelp() -> String {
        do { _ = try parseAsRoot(["--experimental-dump-help"]); return "" } catch { return fullMessage(for: error) }
    }
}
