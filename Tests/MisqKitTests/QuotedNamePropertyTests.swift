import Testing
import PropertyBased
@testable import MisqKit

/// Any writable name, printed as misq writes it, parses back to itself
/// wherever a name can stand.
struct QuotedNamePropertyTests {
    static let alphabet: [String] = ["a", "Z", "_", "1", " ", "`", "-", ".", "é", "€", "count", "by", "fy2022", "percent", "\"", "'", "(", "|", "--", "#"]

    @Test func printedNamesParseBackToThemselves() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 1...8)) { picks in
            let name = picks.map { Self.alphabet[$0 % Self.alphabet.count] }.joined()
            let written = Identifier.source(name)
            let text = "count \(written) from \(written) where \(written) = v and \(written) by \(written) order by \(written)"
            guard let program = try? Parser.parse(SourceFile(name: "p", text: text)),
                  case .query(let q)? = program.statements.first?.kind else {
                Issue.record("did not parse: \(text)"); return
            }
            guard case .count(let unit) = q.verb, case .and(let parts)? = q.filter,
                  case .compare(let c, _, _) = parts[0], case .flag(let f) = parts[1],
                  case .column(let k)? = q.keys.first else {
                Issue.record("unexpected tree: \(text)"); return
            }
            #expect([unit.text, q.from?.text, c.text, f.text, k.text, q.order.first?.name.text] == Array(repeating: name, count: 6), "\(text)")
            #expect(program.statements[0].description == text || name.lowercased() == "count")
        }
    }
}
