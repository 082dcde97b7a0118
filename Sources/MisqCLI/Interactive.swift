import Foundation
import MisqKit

/// `misq` with no `-e`: statements from standard input. Piped input runs as
/// one script (exit codes as for `misq run`); a terminal gets a simple
/// prompt where an error never ends the session.
enum Interactive {
    static func run(session: Session, format: OutputFormat, console: Console) -> Int32 {
        if isatty(0) == 0 {
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            return ScriptOutput.run(SourceFile(name: "<stdin>", text: text), session: session, format: format, console: console)
        }
        console.print("misq — type a query, a blank line runs it; .quit to leave")
        var buffer = ""
        while true {
            console.print(buffer.isEmpty ? "misq> " : "...> ", terminator: "")
            guard let line = readLine() else { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty, trimmed == ".quit" || trimmed == ".exit" { break }
            if buffer.isEmpty, trimmed == ".datasets" { console.print(Describer.datasets(session), terminator: ""); continue }
            if buffer.isEmpty, trimmed.hasPrefix(".describe ") {
                do { console.print(try Describer.describe(String(trimmed.dropFirst(10)), in: session), terminator: "") }
                catch { console.report(error) }
                continue
            }
            buffer += line + "\n"
            if !trimmed.isEmpty, !trimmed.hasSuffix(";"), Interactive.incomplete(buffer) { continue }
            _ = ScriptOutput.run(SourceFile(name: "<prompt>", text: buffer), session: session, format: format, console: console, maxRows: 40)
            buffer = ""
        }
        return 0
    }

    /// An open parenthesis, or a line ending in an operator, wants more.
    static func incomplete(_ text: String) -> Bool {
        var depth = 0
        for ch in text { if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 } }
        if depth > 0 { return true }
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return ["and", "or", "not", "where", "by", "=", ",", "from", "in"].contains { t.hasSuffix(" " + $0) || t.hasSuffix($0) && $0.count == 1 }
    }
}
