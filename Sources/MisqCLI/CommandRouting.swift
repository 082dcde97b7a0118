import MisqKit

/// Which command acts on which option, and the reordering that lets an
/// option stand before or after its subcommand.
///
/// Why by hand: ArgumentParser parses a subcommand line with every command
/// on the way to it, root first, and gives an option that the root and the
/// subcommand both declare to the root. So `misq run f --format csv` set
/// the root's format and `run` printed tables; `misq -e X test` set the
/// root's statements and `test` never saw them. Here a line with a
/// subcommand is parsed by a root with no options of its own
/// (`SubcommandRoot`), after the options written before the subcommand
/// name are moved after it; an option the command does not act on is a
/// usage error naming the commands it belongs to. The golden matrix
/// (`Golden/matrix`) runs every option with every command in both places,
/// and `MatrixTests` checks this table against what ArgumentParser declares.
enum CommandRouting {
    enum Command: String, CaseIterable {
        /// Statements: `-e`, standard input, the prompt.
        case root = ""
        case run, test, describe, explain, sql, export, report, audit

        var label: String { self == .root ? "misq -e" : "misq \(rawValue)" }
    }

    struct Option {
        let names: [String]
        let takesValue: Bool
        /// Several values are kept (`-e`, `--data`, `--param`); a single
        /// value given twice would keep only the last, so it is an error.
        var repeats = false
        let commands: [Command]
    }

    static let options: [Option] = [
        Option(names: ["-e"], takesValue: true, repeats: true, commands: [.root, .sql]),
        Option(names: ["--format"], takesValue: true, commands: [.root, .run]),
        Option(names: ["--datasets"], takesValue: true, commands: Command.allCases),
        Option(names: ["--data"], takesValue: true, repeats: true, commands: Command.allCases),
        Option(names: ["--param"], takesValue: true, repeats: true, commands: [.root, .run, .test, .explain, .sql, .report, .audit]),
        Option(names: ["--out"], takesValue: true, commands: [.run]),
        Option(names: ["--raw"], takesValue: false, commands: [.root, .run]),
        Option(names: ["--junit"], takesValue: true, commands: [.test]),
        Option(names: ["-v", "--verbose"], takesValue: false, commands: [.test]),
        Option(names: ["--allow-empty"], takesValue: false, commands: [.test]),
        Option(names: ["-o", "--output"], takesValue: true, commands: [.report]),
        Option(names: ["--vega"], takesValue: true, commands: [.report]),
        Option(names: ["--target"], takesValue: true, commands: [.sql]),
        Option(names: ["--to"], takesValue: true, commands: [.export]),
        Option(names: ["--replace"], takesValue: false, commands: [.export]),
        Option(names: ["--engine"], takesValue: true, commands: [.root, .run, .test]),
    ]

    static func option(named word: String) -> Option? {
        // `--name=value` carries its value in the same word.
        let name = word.hasPrefix("--") ? String(word.prefix { $0 != "=" }) : word
        return options.first { $0.names.contains(name) }
    }

    /// The command a line runs and the words to parse for it: a
    /// subcommand's name first, then the options written before it, then
    /// the rest as written.
    static func route(_ arguments: [String]) throws -> (command: Command, words: [String]) {
        var i = 0
        var at: Int?
        while i < arguments.count {
            let word = arguments[i]
            if word == "--" { break }
            if word.hasPrefix("-"), word.count > 1 {
                let inline = word.hasPrefix("--") && word.contains("=")
                i += (option(named: word)?.takesValue ?? false) && !inline ? 2 : 1
                continue
            }
            // The root takes no positional argument, so the first one is
            // the subcommand if it names one.
            if Command(rawValue: word) != nil, word != "" { at = i }
            break
        }
        guard let k = at, let command = Command(rawValue: arguments[k]) else {
            try check(arguments, for: .root)
            return (.root, arguments)
        }
        let words = [arguments[k]] + arguments[..<k] + arguments[(k + 1)...]
        try check(Array(words.dropFirst()), for: command)
        return (command, words)
    }

    /// An option the command does not act on is an error, never ignored;
    /// so is a single-valued option given twice (ArgumentParser keeps the
    /// last), which forwarding makes easy: `misq --format csv run f --format json`.
    static func check(_ words: [String], for command: Command) throws {
        var i = 0
        var seen: [String: String] = [:]
        while i < words.count {
            let word = words[i]
            if word == "--" { return }
            guard word.hasPrefix("-"), let opt = option(named: word) else { i += 1; continue }
            let name = String(word.prefix { $0 != "=" })
            if !opt.commands.contains(command) { throw misplaced(opt, as: name, command) }
            let inline = word.contains("=")
            if opt.takesValue, !opt.repeats {
                let value = inline ? String(word.drop { $0 != "=" }.dropFirst()) : (i + 1 < words.count ? words[i + 1] : "")
                if let first = seen[opt.names[0]] {
                    throw MisqError(.usage, "\(name) given twice ('\(first)', then '\(value)'): it takes one value",
                                    suggestion: "give \(name) once, before or after the subcommand")
                }
                seen[opt.names[0]] = value
            }
            i += opt.takesValue && !inline ? 2 : 1
        }
    }

    static func misplaced(_ opt: Option, as name: String, _ command: Command) -> MisqError {
        let owners = opt.commands.map(\.label)
        let list = owners.count < 3 ? owners.joined(separator: " and ")
            : owners.dropLast().joined(separator: ", ") + " and " + (owners.last ?? "")
        if name == "-e" {
            return MisqError(.usage, "-e does not apply to \(command.label): statements given with -e run without a subcommand",
                             suggestion: command == .describe ? "misq -e 'STATEMENT', or misq describe NAME"
                                 : command == .explain ? "misq explain 'STATEMENT' explains a statement without running it"
                                 : "misq -e 'STATEMENT', or put the statements in a .misq file for \(command.label)")
        }
        let cmd = command == .root ? "without a subcommand" : "to " + command.label
        return MisqError(.usage, "\(name) does not apply \(cmd)",
                         suggestion: "\(name) is an option of \(list); see '\(command == .root ? "misq" : command.label) --help'")
    }
}
