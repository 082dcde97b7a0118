import Foundation
/// How a name is written so that it parses back to itself: bare when the
/// lexer reads it as one word that is not reserved, else in backticks with
/// any backtick doubled (as SQL doubles quotes). The printer, did-you-mean
/// and completion all write names through this.
public enum Identifier {
    /// Words that are not reserved but that the parser reads specially where
    /// a name may stand: `let x = percent …` would start `percent(a, b)`.
    static let contextual: Set<String> = ["percent"]

    public static func isBare(_ name: String) -> Bool {
        // `workforce.headcount` lexes as one word: a joined dataset's column.
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2 { return isBare(String(parts[0])) && isBare(String(parts[1])) }
        let b = Array(name.utf8)
        guard let first = b.first, isStart(first) else { return false }
        for c in b.dropFirst() where !(isStart(c) || (c >= 48 && c <= 57) || (c >= 0x80 && c < 0xC0)) { return false }
        let lower = name.lowercased()
        if Keywords.reserved.contains(lower) || contextual.contains(lower) { return false }
        // `fy2022` lexes as a financial year, not a word.
        if b.count == 6, lower.hasPrefix("fy"), Int(lower.dropFirst(2)) != nil { return false }
        return true
    }

    /// A text as the language writes a string: in double quotes, a quote doubled.
    public static func stringLiteral(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The name in backticks, whatever it holds.
    public static func quoted(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// The name as source: bare if it can be, else quoted.
    public static func source(_ name: String) -> String { isBare(name) ? name : quoted(name) }

    /// For messages: 'outcome', or `Subject Ref` when it needs backticks.
    public static func shown(_ name: String) -> String { isBare(name) ? "'\(name)'" : quoted(name) }

    /// Whether a name can be written at all: backticks end at a line break.
    public static func isWritable(_ name: String) -> Bool { !name.isEmpty && !name.contains("\n") && !name.contains("\r") }

    private static func isStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || c >= 0xC0
    }
}
