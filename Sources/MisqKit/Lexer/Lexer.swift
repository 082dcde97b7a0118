import Foundation
/// Source text → tokens. Works on UTF-8 bytes. Period literals (`2022-05`,
/// `2022-Q2`, `FY2022/23`) are lexed as single tokens so that `2022-05` is
/// never read as subtraction; `2022 - 5` with spaces still is.
public struct Lexer {
    public let source: SourceFile
    private let b: [UInt8]
    private var i = 0
    private var tokens: [Token] = []
    /// Tokens' first-on-line flag and whether that line was indented, used by
    /// the newline rule.
    private var lineStartInfo: [(firstOnLine: Bool, indented: Bool)] = []
    public private(set) var comments: [Comment] = []
    private var errors: [MisqError] = []
    /// After this many errors the lexer stops reading: a binary file or a
    /// line of junk must not print megabytes of diagnostics, nor take long.
    static let maxErrors = 20
    /// Where it stopped, if it did.
    private var stoppedAt: Int?
    /// What the text leaves open at its very end, for `partial`.
    private var unfinished: Unfinished?

    /// A string or a name in backticks that the end of the text cuts off:
    /// on a line still being typed, not a mistake but the word in progress.
    public enum Unfinished: Equatable, Sendable {
        /// `outcome = "Gun f`: the text after the quote, and the quote.
        case string(String, quote: Character)
        /// `by `Subject R`: the text after the backtick.
        case name(String)
    }

    public init(_ source: SourceFile) {
        self.source = source
        self.b = source.bytes
    }

    /// All tokens, statement ends resolved, ending with `.eof`.
    public static func tokenize(_ source: SourceFile) throws -> (tokens: [Token], comments: [Comment]) {
        var lexer = Lexer(source)
        let tokens = lexer.run()
        if !lexer.errors.isEmpty {
            var errors = lexer.errors
            if let at = lexer.stoppedAt { errors.append(Lexer.tooMany(in: source, at: at)) }
            throw MisqErrors(errors)
        }
        return (tokens, lexer.comments)
    }

    /// The tokens of a line still being typed, for completion: the same
    /// tokens as `tokenize`, but its errors are no answer here (the line is
    /// not finished), and a string or name it cuts off is said.
    public static func partial(_ text: String) -> (tokens: [Token], comments: [Comment], unfinished: Unfinished?) {
        var lexer = Lexer(SourceFile(name: "<line>", text: text))
        let tokens = lexer.run()
        return (tokens, lexer.comments, lexer.unfinished)
    }

    static func tooMany(in source: SourceFile, at offset: Int) -> MisqError {
        MisqError(.syntax, "too many errors: stopped reading \(source.name) at line \(source.line(of: offset) + source.lineOffset)",
                  suggestion: "is this a misq script? fix the errors above and run it again")
    }

    private mutating func report(_ e: MisqError) {
        if errors.count < Lexer.maxErrors { errors.append(e) } else if stoppedAt == nil { stoppedAt = e.span.start }
    }

    mutating func run() -> [Token] {
        var atLineStart = true
        var indented = false
        var parenDepth = 0
        while i < b.count, stoppedAt == nil {
            let c = b[i]
            if c == UInt8(ascii: "\n") {
                push(.symbol("\n"), i, i + 1, first: false, indented: false)
                i += 1; atLineStart = true; indented = false; continue
            }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                if atLineStart { indented = true }
                i += 1; continue
            }
            if c == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") { lexComment(); continue }
            let first = atLineStart
            atLineStart = false
            let start = i
            if c == UInt8(ascii: "|"), first {
                lexTableRow(first: first, indented: indented); continue
            }
            if isDigit(c) { lexNumberOrPeriod(first: first, indented: indented); continue }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { lexString(quote: c, first: first, indented: indented); continue }
            if isIdentStart(c) { lexWord(first: first, indented: indented); continue }
            if c == UInt8(ascii: "`") { lexQuotedName(first: first, indented: indented); continue }
            if c == UInt8(ascii: ";") { push(.end, i, i + 1, first: first, indented: indented); i += 1; continue }
            // Symbols, longest first.
            let two = i + 1 < b.count ? String(decoding: b[i...i + 1], as: UTF8.self) : ""
            if ["!=", "<=", ">=", "..", "<>"].contains(two) {
                push(.symbol(two == "<>" ? "!=" : two), i, i + 2, first: first, indented: indented); i += 2; continue
            }
            let one = Character(UnicodeScalar(c))
            // `:` only in a range of cells: load "t.xlsx" range A4:H52.
            if "=<>~(),+-*/%:".contains(one) {
                if one == "(" { parenDepth += 1 }
                if one == ")" { parenDepth -= 1 }
                push(.symbol(String(one)), i, i + 1, first: first, indented: indented); i += 1; continue
            }
            // Anything else: one error for the whole run of such characters,
            // so a line of junk is one error, not one per byte.
            var end = i + 1
            while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
            while end < b.count, isStray(at: end) {
                end += 1
                while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
            }
            let text = source.text(SourceSpan(start, end))
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            let plural = text.count > 1
            report(MisqError(.syntax, "unexpected character\(plural ? "s" : "") '\(TerminalText.escape(shown))'", source: source,
                             span: SourceSpan(start, end), expected: "a word, number, period, string or operator",
                             suggestion: text == "\"" || text == "'" ? nil : "remove \(plural ? "them" : "it"), or quote \(plural ? "them" : "it") inside a string"))
            i = end
        }
        push(.symbol("\n"), b.count, b.count, first: false, indented: false)
        return resolveStatementEnds()
    }

    /// A byte that starts no token: what the main loop reports as unexpected.
    private func isStray(at k: Int) -> Bool {
        let c = b[k]
        let next = k + 1 < b.count ? b[k + 1] : 0
        if c == UInt8(ascii: "."), next == UInt8(ascii: ".") { return false }
        if c == UInt8(ascii: "!"), next == UInt8(ascii: "=") { return false }
        if c < 0x80, "\n \t\r-\"'`;=<>~(),+*/%".utf8.contains(c) { return false }
        return !isDigit(c) && !isIdentStart(c)
    }

    private func peek(_ k: Int) -> UInt8? { i + k < b.count ? b[i + k] : nil }
    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || c >= 0xC0
    }
    private func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) || (c >= 0x80 && c < 0xC0) }

    private mutating func push(_ kind: Token.Kind, _ s: Int, _ e: Int, first: Bool, indented: Bool) {
        tokens.append(Token(kind: kind, span: SourceSpan(s, e)))
        lineStartInfo.append((first, indented))
    }

    private mutating func lexComment() {
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\n") { i += 1 }
        var text = source.text(SourceSpan(start + 2, i))
        text = text.trimming(.spacesTabsAndCR)
        comments.append(Comment(text: text, span: SourceSpan(start, i), line: source.line(of: start)))
    }

    private mutating func lexTableRow(first: Bool, indented: Bool) {
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\n") { i += 1 }
        var end = i
        while end > start, b[end - 1] == UInt8(ascii: " ") || b[end - 1] == UInt8(ascii: "\r") || b[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        // Split on `|`; the leading one opens the row, a trailing one closes it.
        var cells: [TableCell] = []
        var cellStart = start + 1
        var k = start + 1
        while k <= end {
            if k == end || b[k] == UInt8(ascii: "|") {
                if !(k == end && cellStart == end && end > start + 1 && b[end - 1] == UInt8(ascii: "|")) {
                    var s = cellStart, e = k
                    while s < e, b[s] == UInt8(ascii: " ") || b[s] == UInt8(ascii: "\t") { s += 1 }
                    while e > s, b[e - 1] == UInt8(ascii: " ") || b[e - 1] == UInt8(ascii: "\t") { e -= 1 }
                    cells.append(TableCell(text: source.text(SourceSpan(s, e)), span: SourceSpan(s, e)))
                }
                cellStart = k + 1
            }
            k += 1
        }
        let isSeparator = !cells.isEmpty && cells.allSatisfy { cell in
            !cell.text.isEmpty && cell.text.allSatisfy { "-:".contains($0) }
        }
        push(.tableRow(cells, isSeparator: isSeparator), start, end, first: first, indented: indented)
    }

    private mutating func lexString(quote: UInt8, first: Bool, indented: Bool) {
        let start = i
        i += 1
        var bytes: [UInt8] = []
        while i < b.count {
            if b[i] == quote {
                if peek(1) == quote { bytes.append(quote); i += 2; continue }  // doubled quote escapes itself
                i += 1
                push(.string(String(decoding: bytes, as: UTF8.self)), start, i, first: first, indented: indented)
                return
            }
            if b[i] == UInt8(ascii: "\n") { break }
            bytes.append(b[i]); i += 1
        }
        if i == b.count { unfinished = .string(String(decoding: bytes, as: UTF8.self), quote: Character(UnicodeScalar(quote))) }
        report(MisqError(.syntax, "unterminated string", source: source, span: SourceSpan(start, start + 1),
                                expected: "a closing \(Character(UnicodeScalar(quote))) on the same line",
                                suggestion: "close the string with \(Character(UnicodeScalar(quote)))"))
        push(.string(String(decoding: bytes, as: UTF8.self)), start, i, first: first, indented: indented)
    }

    /// `` `Subject Ref` ``: a name in backticks, `` `` `` inside for one backtick.
    private mutating func lexQuotedName(first: Bool, indented: Bool) {
        let start = i
        i += 1
        var bytes: [UInt8] = []
        while i < b.count, b[i] != UInt8(ascii: "\n") {
            if b[i] == UInt8(ascii: "`") {
                if peek(1) == UInt8(ascii: "`") { bytes.append(b[i]); i += 2; continue }
                i += 1
                if bytes.isEmpty {
                    report(MisqError(.syntax, "empty name in backticks", source: source, span: SourceSpan(start, i),
                                     expected: "a name between the backticks, e.g. `Subject Ref`"))
                    return
                }
                push(.quotedName(String(decoding: bytes, as: UTF8.self)), start, i, first: first, indented: indented)
                return
            }
            bytes.append(b[i]); i += 1
        }
        if i == b.count { unfinished = .name(String(decoding: bytes, as: UTF8.self)) }
        report(MisqError(.syntax, "unterminated name in backticks", source: source, span: SourceSpan(start, start + 1),
                         expected: "a closing ` on the same line", suggestion: "close the name with `"))
    }

    private mutating func digits() -> (value: Int, count: Int) {
        var v = 0, n = 0
        while i < b.count, isDigit(b[i]) {
            if n < 18 { v = v * 10 + Int(b[i] - 48) }
            n += 1; i += 1
        }
        return (v, n)
    }

    private mutating func lexNumberOrPeriod(first: Bool, indented: Bool) {
        let start = i
        let (whole, count) = digits()
        // A four-digit year directly followed by -MM, -MM-DD or -Qn is a period.
        if count == 4, peek(0) == UInt8(ascii: "-"), let n1 = peek(1) {
            if isDigit(n1) {
                i += 1
                let (month, mc) = digits()
                if mc != 2 { return periodError(start, "a month is written with two digits, e.g. 2022-05") }
                if peek(0) == UInt8(ascii: "-"), let n2 = peek(1), isDigit(n2) {
                    i += 1
                    let (day, dc) = digits()
                    if dc != 2 { return periodError(start, "a day is written YYYY-MM-DD, e.g. 2022-05-17") }
                    guard let lit = PeriodLiteral.day(whole, month, day) else {
                        return periodError(start, "no such day: \(source.text(SourceSpan(start, i)))")
                    }
                    return push(.period(lit), start, i, first: first, indented: indented)
                }
                guard (1...12).contains(month) else { return periodError(start, "no such month: \(source.text(SourceSpan(start, i)))") }
                return push(.period(.month(whole, month)), start, i, first: first, indented: indented)
            }
            if n1 == UInt8(ascii: "Q") || n1 == UInt8(ascii: "q"), let q = peek(2), isDigit(q) {
                i += 3
                if let more = peek(0), isDigit(more) || isIdentChar(more) { while i < b.count, isIdentChar(b[i]) { i += 1 } }
                let quarter = Int(q - 48)
                guard (1...4).contains(quarter), i == start + 7 else {
                    return periodError(start, "a quarter is written YYYY-Qn with n from 1 to 4, e.g. 2022-Q2")
                }
                return push(.period(.quarter(whole, quarter)), start, i, first: first, indented: indented)
            }
        }
        var value = Double(whole)
        var decimals = 0
        if count > 15 { value = Double(source.text(SourceSpan(start, i))) ?? value }
        if peek(0) == UInt8(ascii: "."), let n = peek(1), isDigit(n) {
            i += 1
            let fracStart = i
            _ = digits()
            decimals = i - fracStart
            value = Double(source.text(SourceSpan(start, i))) ?? value
        }
        if peek(0) == UInt8(ascii: "%") {
            i += 1
            return push(.percent(value, decimals: decimals), start, i, first: first, indented: indented)
        }
        if let c = peek(0), isIdentStart(c) {
            // `12months` or `3x`: a number glued to a word is almost always a typo.
            while i < b.count, isIdentChar(b[i]) { i += 1 }
            report(MisqError(.syntax, "a number runs into a word: '\(source.text(SourceSpan(start, i)))'", source: source,
                                    span: SourceSpan(start, i), expected: "a space between the number and the word"))
            return
        }
        push(.number(value, decimals: decimals), start, i, first: first, indented: indented)
    }

    private mutating func periodError(_ start: Int, _ message: String) {
        while i < b.count, isIdentChar(b[i]) || b[i] == UInt8(ascii: "-") { i += 1 }
        report(MisqError(.period, message, source: source, span: SourceSpan(start, i),
                                expected: "a year (2022), month (2022-05), day (2022-05-17), quarter (2022-Q2) or financial year (FY2022/23)"))
    }

    private mutating func lexWord(first: Bool, indented: Bool) {
        let start = i
        while i < b.count, isIdentChar(b[i]) { i += 1 }
        // `workforce.headcount`: a column of a joined dataset, by the dataset's name.
        if peek(0) == UInt8(ascii: "."), let n = peek(1), isIdentStart(n) {
            i += 1
            while i < b.count, isIdentChar(b[i]) { i += 1 }
        }
        let text = source.text(SourceSpan(start, i))
        // UK financial year: FY2022/23, FY2022-23 or FY2022/2023.
        if text.count == 6, text.lowercased().hasPrefix("fy"), let year = Int(text.dropFirst(2)) {
            if let sep = peek(0), sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-") {
                let save = i
                i += 1
                let (next, n) = digits()
                let ok = (n == 2 && next == (year + 1) % 100) || (n == 4 && next == year + 1)
                if ok { return push(.period(.financialYear(year)), start, i, first: first, indented: indented) }
                i = save
                report(MisqError(.period, "a financial year runs from one year into the next", source: source,
                                        span: SourceSpan(start, save + 1 + n), expected: "FY\(year)/\(String(format2: (year + 1) % 100))",
                                        suggestion: "write FY\(year)/\(String(format2: (year + 1) % 100)) for 1 April \(year) to 31 March \(year + 1)"))
                i = save + 1 + n
                return
            }
            return push(.period(.financialYear(year)), start, i, first: first, indented: indented)
        }
        push(.word(text), start, i, first: first, indented: indented)
    }

    /// Decide which line breaks end a statement. A break continues the
    /// statement when inside parentheses, after a token that needs more
    /// (`and`, `=`, `,` …), before a line that starts with a clause word
    /// (`and`, `where`, `by` …) or a table row, or before an indented line.
    private func resolveStatementEnds() -> [Token] {
        var out: [Token] = []
        var depth = 0
        var k = 0
        while k < tokens.count {
            let t = tokens[k]
            if t.isSymbol("(") { depth += 1 }
            if t.isSymbol(")") { depth = max(0, depth - 1) }
            if t.kind == .end { depth = 0 }
            guard t.isSymbol("\n") else { out.append(t); k += 1; continue }
            // Skip the run of line breaks to find the next real token.
            var n = k
            while n < tokens.count, tokens[n].isSymbol("\n") { n += 1 }
            let next: Token? = n < tokens.count ? tokens[n] : nil
            let prev = out.last
            var continues = false
            if depth > 0 { continues = true }
            if let p = prev {
                if let w = p.word?.lowercased(), Keywords.wantsMore.contains(w) { continues = true }
                if case .symbol(let s) = p.kind, Keywords.wantsMoreSymbols.contains(s) { continues = true }
                if p.kind == .end { continues = true }  // `;` already ended it
            } else { continues = true }  // nothing before: no statement to end
            if let nx = next {
                if let w = nx.word?.lowercased(), Keywords.continuesStatement.contains(w) { continues = true }
                if case .symbol(let s) = nx.kind, Keywords.continuesSymbols.contains(s) { continues = true }
                if case .tableRow = nx.kind { continues = true }
                if lineStartInfo[n].firstOnLine && lineStartInfo[n].indented,
                   !(nx.word.map { Keywords.statementStarts.contains($0.lowercased()) } ?? false) || (prev.map(wantsOperand) ?? false) {
                    continues = true
                }
                if case .tableRow = prev?.kind, case .tableRow = nx.kind {} else if case .tableRow = prev?.kind { continues = false }
            }
            if next == nil { continues = false }  // the end of the input ends the last statement
            if !continues { out.append(Token(kind: .end, span: t.span)) ; depth = 0 }
            k = n
        }
        // Collapse repeated ends and drop a leading one.
        var cleaned: [Token] = []
        for t in out {
            if t.kind == .end, cleaned.isEmpty || cleaned.last?.kind == .end { continue }
            cleaned.append(t)
        }
        if cleaned.last?.kind != .end { cleaned.append(Token(kind: .end, span: SourceSpan(b.count, b.count))) }
        cleaned.append(Token(kind: .eof, span: SourceSpan(b.count, b.count)))
        return cleaned
    }

    private func wantsOperand(_ t: Token) -> Bool {
        if let w = t.word?.lowercased() { return Keywords.wantsMore.contains(w) }
        if case .symbol(let s) = t.kind { return Keywords.wantsMoreSymbols.contains(s) }
        return false
    }
}

extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}
