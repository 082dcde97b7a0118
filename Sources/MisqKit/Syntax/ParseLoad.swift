/// `load "FILE" sheet "Table 3" header row 4 range A4:H52 as t`: where a
/// spreadsheet's table is. The three may come before `as` or after the
/// name, in any order, each once.
extension Parser {
    mutating func loadTable(_ given: LoadTable) throws -> LoadTable {
        var table = given
        func once(_ seen: Bool, _ word: Token) throws {
            if seen {
                throw MisqError(.syntax, "'\(word.word ?? "")' is given twice in this load", source: source, span: word.span,
                                suggestion: "say it once")
            }
            table.span = table.span.map { $0.to(word.span) } ?? word.span
        }
        while true {
            if let w = accept("sheet") {
                try once(table.sheet != nil, w)
                guard case .string(let s) = current.kind else { throw unexpected("the sheet's name in quotes, e.g. sheet \"Table 3\"") }
                table.sheet = s
                table.span = table.span.map { $0.to(advance().span) }
            } else if current.isWord("header"), peek(1).isWord("row") {
                let w = advance()
                pos += 1
                try once(table.headerRow != nil, w)
                guard case .number(let v, let d) = current.kind, d == 0, v >= 1, v <= 1_048_576 else {
                    throw unexpected("the header's row number, e.g. header row 4")
                }
                table.headerRow = Int(v)
                table.span = table.span.map { $0.to(advance().span) }
            } else if let w = accept("range") {
                try once(table.range != nil, w)
                let (r, span) = try cellRange()
                table.range = r
                table.span = table.span.map { $0.to(span) }
            } else {
                return table
            }
        }
    }

    /// `A4:H52`, written bare (the lexer gives it as a word, ':' and a
    /// word, touching) or in quotes.
    private mutating func cellRange() throws -> (String, SourceSpan) {
        if case .string(let s) = current.kind { return (s.uppercased(), advance().span) }
        let first = current
        var span = first.span
        var k = 1
        // The tokens that touch the first: `A4`, `:`, `H52`.
        while k < 4, peek(k).span.start == span.end, peek(k).kind != .end, peek(k).kind != .eof { span = span.to(peek(k).span); k += 1 }
        let text = source.text(span)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ p in !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber } }) else {
            throw unexpected("a range of cells such as A4:H52")
        }
        pos += k
        return (text.uppercased(), span)
    }
}
