import XCTest
@testable import MisqKit

/// Table-driven: source → tokens as `kind@line:column`.
final class LexerTests: XCTestCase {
    func show(_ text: String) throws -> [String] {
        let src = SourceFile(name: "t", text: text)
        let (tokens, _) = try Lexer.tokenize(src)
        return tokens.dropLast().map { t in
            let loc = src.location(t.span)
            let kind: String
            switch t.kind {
            case .word(let w): kind = "w:\(w)"
            case .quotedName(let n): kind = "q:\(n)"
            case .number(let v, let d): kind = "n:\(NumberFormat.fixed(v, decimals: d))"
            case .percent(let v, let d): kind = "%:\(NumberFormat.fixed(v, decimals: d))"
            case .string(let s): kind = "s:\(s)"
            case .period(let p): kind = "p:\(p)"
            case .symbol(let s): kind = s
            case .tableRow(let cells, let sep): kind = (sep ? "sep:" : "row:") + cells.map(\.text).joined(separator: "|")
            case .end: kind = ";"
            case .eof: kind = "eof"
            }
            return "\(kind)@\(loc.line):\(loc.column)"
        }
    }

    func testTable() throws {
        let cases: [(String, [String])] = [
            ("count cases", ["w:count@1:1", "w:cases@1:7", ";@1:12"]),
            ("period 2022-05..2023-05", ["w:period@1:1", "p:2022-05@1:8", "..@1:15", "p:2023-05@1:17", ";@1:24"]),
            ("2022-05-17 2022-Q2 FY2022/23 2022", ["p:2022-05-17@1:1", "p:2022-Q2@1:12", "p:FY2022/23@1:20", "n:2022@1:30", ";@1:34"]),
            ("FY2021-22 fy2023/2024", ["p:FY2021/22@1:1", "p:FY2023/24@1:11", ";@1:22"]),
            ("2022 - 5", ["n:2022@1:1", "-@1:6", "n:5@1:8", ";@1:9"]),
            ("78% 0.5% 3.25", ["%:78@1:1", "%:0.5@1:5", "n:3.25@1:10", ";@1:14"]),
            ("a != b <> c <= d >= e ~ f", ["w:a@1:1", "!=@1:3", "w:b@1:6", "!=@1:8", "w:c@1:11", "<=@1:13", "w:d@1:16", ">=@1:18", "w:e@1:21", "~@1:23", "w:f@1:25", ";@1:26"]),
            ("x = \"Dismissal \"\"with\"\" notice\"", ["w:x@1:1", "=@1:3", "s:Dismissal \"with\" notice@1:5", ";@1:32"]),
            ("count cases -- a comment\ncount allegations", ["w:count@1:1", "w:cases@1:7", ";@1:25", "w:count@2:1", "w:allegations@2:7", ";@2:18"]),
            // A line starting with a clause word continues the statement.
            ("count cases\nwhere vawg\n  and daso", ["w:count@1:1", "w:cases@1:7", "w:where@2:1", "w:vawg@2:7", "w:and@3:3", "w:daso@3:7", ";@3:11"]),
            // A trailing operator or an open parenthesis continues it.
            ("count cases where (a or\nb)", ["w:count@1:1", "w:cases@1:7", "w:where@1:13", "(@1:19", "w:a@1:20", "w:or@1:22", "w:b@2:1", ")@2:2", ";@2:3"]),
            ("count a; count b", ["w:count@1:1", "w:a@1:7", ";@1:8", "w:count@1:10", "w:b@1:16", ";@1:17"]),
            ("assert x =\n| a | b |\n|---|---|\n| c | 1 |\ncount y",
             ["w:assert@1:1", "w:x@1:8", "=@1:10", "row:a|b@2:1", "sep:---|---@3:1", "row:c|1@4:1", ";@4:10", "w:count@5:1", "w:y@5:7", ";@5:8"]),
            ("café = 1", ["w:café@1:1", "=@1:6", "n:1@1:8", ";@1:9"]),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(try show(input), expected, "lexing \(input.debugDescription)")
        }
    }

    func testErrorsPointAtTheFault() {
        let cases: [(String, String, Int)] = [
            ("count 2022-13", "no such month", 7),
            ("count 2023-02-29", "no such day", 7),
            ("count 2022-Q5", "quarter", 7),
            ("x = \"open", "unterminated string", 5),
            ("x = 3abc", "number runs into a word", 5),
            ("x = FY2022/24", "financial year", 5),
            ("x @ y", "unexpected character", 3),
        ]
        for (input, message, column) in cases {
            XCTAssertThrowsError(try Lexer.tokenize(SourceFile(name: "t", text: input)), input) { error in
                let e = error.misqErrors[0]
                XCTAssertTrue(e.message.contains(message), "\(input): \(e.message)")
                XCTAssertEqual(e.location?.column, column, input)
            }
        }
    }

    /// The ASCII trim that replaced Foundation's: only the set's bytes go,
    /// from the ends only, and text beyond ASCII is kept whole. Expected
    /// values written by hand.
    func testASCIITrim() {
        let table: [(String, ASCIITrim, String)] = [
            ("  a b \t", .spacesAndTabs, "a b"),
            ("\t\t", .spacesAndTabs, ""),
            ("", .spacesAndTabs, ""),
            ("x\r", .spacesAndTabs, "x\r"),
            ("x \r", .spacesTabsAndCR, "x"),
            ("x\r\n", .spacesTabsAndCR, "x\r\n"),
            ("\n x\r\n", .spacesTabsAndNewlines, "x"),
            (" café  ", .spacesAndTabs, "café"),
            ("\u{00A0}é\u{00A0}", .spacesAndTabs, "\u{00A0}é\u{00A0}"),
        ]
        for (text, set, want) in table {
            XCTAssertEqual(text.trimming(set), want, text.debugDescription)
            XCTAssertEqual(text[...].trimming(set), want, "substring of \(text.debugDescription)")
        }
    }
}
