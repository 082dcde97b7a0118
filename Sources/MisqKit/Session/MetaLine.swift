/// How a dot-command line (`.load "exports/da ta.csv" as dt`) splits into
/// words: the REPL runs it so and the completer reads it so, so the two
/// cannot disagree about where a path with a space ends.
public enum MetaLine {
    /// Split at blanks, except inside "…" or '…' and where a backslash
    /// escapes the next character (`.load exports/da\ ta.csv`); the quote
    /// left open at the end, if one is.
    public static func words(_ line: String) -> (words: [String], unclosed: Character?) {
        var words: [String] = [], current = "", inWord = false
        var quote: Character?, escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escaped = true } else { current.append(ch) }
                continue
            }
            switch ch {
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            case "\"", "'": quote = ch; inWord = true
            case "\\": escaped = true; inWord = true
            default: current.append(ch); inWord = true
            }
        }
        if inWord { words.append(current) }
        return (words, quote)
    }
}
