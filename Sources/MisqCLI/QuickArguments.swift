import MisqKit

/// The command line of the commonest run, `misq [--datasets D] [--data F]
/// [--param P] [--format F] -e STATEMENT...`, read without ArgumentParser.
///
/// Why by hand: ArgumentParser builds its whole argument tree through
/// runtime reflection and protocol-conformance lookups before it reads a
/// word, about 2 ms of every process here (measured with perf: a third of
/// a warm query's time on a million rows), and start-up is what a saved
/// query run over and over pays most. So this reads only the plain shape
/// above and returns nil for anything else (a subcommand, help, a flag it
/// does not know, a repeated single option, a value that looks like a
/// flag, `--`), which ArgumentParser then parses, reports and documents as
/// before. `QuickArgumentsTests` checks that wherever this answers,
/// ArgumentParser reads the same values, and that every golden case it
/// accepts (the option matrix in `Golden/matrix` among them) prints and
/// exits the same with and without it. It accepts only options the root
/// acts on, each single-valued one once, so `CommandRouting`'s checks have
/// nothing to catch on its lines.
struct QuickArguments: Equatable {
    var statements: [String] = []
    var data = DataChoice()
    var format: OutputFormat = .table

    static func parse(_ arguments: [String]) -> QuickArguments? {
        var out = QuickArguments()
        var sawDatasets = false, sawFormat = false
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            let name: String, value: String
            if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                value = String(word[word.index(after: eq)...])
                i += 1
            } else {
                guard i + 1 < arguments.count else { return nil }
                name = word
                value = arguments[i + 1]
                // ArgumentParser may read such a value as a flag.
                if value.hasPrefix("-") { return nil }
                i += 2
            }
            switch name {
            case "-e": out.statements.append(value)
            case "--datasets":
                if sawDatasets { return nil }
                sawDatasets = true
                out.data.datasets = value
            case "--data": out.data.data.append(value)
            case "--param": out.data.param.append(value)
            case "--format":
                guard !sawFormat, let f = OutputFormat(rawValue: value) else { return nil }
                sawFormat = true
                out.format = f
            default: return nil
            }
        }
        // With no statement misq is interactive: leave that to the full parser.
        return out.statements.isEmpty ? nil : out
    }
}
