import Foundation
extension Lexer {
    /// Whether a statement typed at a prompt wants more lines: an open
    /// parenthesis or string, a trailing operator or clause word, or a table
    /// literal in progress. A blank line or `;` ends it regardless; the same
    /// rules as `resolveStatementEnds` decide what continues a line.
    public static func needsMore(_ text: String) -> Bool {
        let trimmed = text.trimming(.spacesTabsAndNewlines)
        if trimmed.isEmpty || trimmed.hasSuffix(";") { return false }
        let lastLine = text.split(separator: "\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        if lastLine.trimming(.spacesAndTabs).hasPrefix("|") { return true }
        let tokens: [Token]
        do { tokens = try Lexer.tokenize(SourceFile(name: "<prompt>", text: text)).tokens } catch {
            return error.misqErrors.contains { $0.message.hasPrefix("unterminated string") }
        }
        var depth = 0
        for t in tokens { if t.isSymbol("(") { depth += 1 } else if t.isSymbol(")") { depth -= 1 } }
        if depth > 0 { return true }
        guard let last = tokens.last(where: { $0.kind != .end && $0.kind != .eof }) else { return false }
        if let w = last.word?.lowercased() { return Keywords.wantsMore.contains(w) }
        if case .symbol(let s) = last.kind { return Keywords.wantsMoreSymbols.contains(s) }
        return false
    }
}
