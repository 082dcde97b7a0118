/// A lexical token with the span it came from.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Identifiers and keywords alike; `isKeyword` tells them apart, so
        /// words like `year` or `total` stay usable as column names.
        case word(String)
        /// A name in backticks (`` `Subject Ref` ``, `` `count` ``): never a
        /// keyword, any characters but a line break; a doubled backtick is one.
        case quotedName(String)
        case number(Double, decimals: Int)
        case percent(Double, decimals: Int)
        case string(String)
        case period(PeriodLiteral)
        case symbol(String)
        /// One `| a | b |` line of a Markdown table literal.
        case tableRow([TableCell], isSeparator: Bool)
        /// Ends a statement: a line break that does not continue it, or `;`.
        case end
        case eof
    }
    public var kind: Kind
    public var span: SourceSpan

    public var word: String? { if case .word(let w) = kind { return w } else { return nil } }
    /// The name this token can stand for: a word that is not reserved, or
    /// any backticked name.
    public var nameText: String? {
        switch kind {
        case .word(let w): return isKeyword ? nil : w
        case .quotedName(let n): return n
        default: return nil
        }
    }
    public func isWord(_ w: String) -> Bool { word?.lowercased() == w }
    public func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
    public var isKeyword: Bool { word.map { Keywords.reserved.contains($0.lowercased()) } ?? false }
}

public struct TableCell: Equatable, Sendable {
    public var text: String
    public var span: SourceSpan
}

public struct Comment: Equatable, Sendable {
    public var text: String
    public var span: SourceSpan
    public var line: Int
}

/// The lexer's and parser's views of the vocabulary (Vocabulary.swift).
public enum Keywords {
    /// Words that cannot name a column, dataset or unit.
    public static let reserved: Set<String> = Set(Vocabulary.words(with: .reserved))
    /// Words that begin a statement (`unit` only in its own form, so not here).
    public static let statementStarts: Set<String> = Set((Vocabulary.words(.statement) + Vocabulary.words(.aggregate)).filter(reserved.contains))
    /// A line starting with one of these continues the statement above.
    static let continuesStatement: Set<String> = Set(Vocabulary.words(with: .continuesLine))
    /// A line ending with one of these continues on the next line.
    static let wantsMore: Set<String> = Set(Vocabulary.words(with: .wantsMore))
    static let wantsMoreSymbols: Set<String> = ["=", "!=", "<", "<=", ">", ">=", "~", ",", "+", "-", "*", "/", "..", "("]
    static let continuesSymbols: Set<String> = ["=", "~", "..", ")", ",", "+", "*", "/"]
    /// Every word the language gives meaning to, for did-you-mean.
    public static let all: [String] = Vocabulary.all
}
