import XCTest
@testable import MisqKit

/// The one vocabulary table (Lexer/Vocabulary.swift) against what reads
/// and shows the words: the parser's source, the lexer, `.help`, the
/// completer, and the checker for the aggregate registry.
final class VocabularyTests: XCTestCase {
    static let syntaxFolder = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/MisqKit/Syntax")

    /// Every word the parser matches by its text (`accept("by")`,
    /// `isWord("since")`, `case "where":`, a clause list), read from the
    /// parser's source, so a word added to the grammar but not to the table
    /// fails here.
    static func wordsTheParserMatches() throws -> Set<String> {
        var out = Set<String>()
        let patterns = [#"(?:accept|expect|isWord)\("([a-z_]+)""#, #"case "([a-z_]+)""#, #"\[("[a-z]+"(?:, "[a-z]+")+)\]\.contains"#]
        for file in try FileManager.default.contentsOfDirectory(atPath: syntaxFolder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: syntaxFolder.appendingPathComponent(file), encoding: .utf8)
            for p in patterns {
                let re = try NSRegularExpression(pattern: p)
                for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let r = Range(m.range(at: 1), in: text) else { continue }
                    for w in text[r].split(separator: ",") { out.insert(w.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))) }
                }
            }
        }
        return out
    }

    func testEveryWordTheParserMatchesIsInTheTable() throws {
        let matched = try Self.wordsTheParserMatches()
        // The scan finds the clause words and the statement forms; if it
        // finds few, the patterns have stopped matching the parser's code.
        XCTAssertTrue(matched.isSuperset(of: ["where", "across", "since", "define", "rows", "desc", "within"]), "\(matched.sorted())")
        for w in matched.sorted() { XCTAssertFalse(Vocabulary.entries(w).isEmpty, "the parser reads '\(w)', which is not in Vocabulary.words") }
        for a in AggregateSpec.all { XCTAssertFalse(Vocabulary.entries(a.name).isEmpty, a.name) }
        for b in TimeBucket.allCases { XCTAssertFalse(Vocabulary.entries(b.rawValue).isEmpty, b.rawValue) }
    }

    /// Reserved in the table means reserved to the lexer and parser: such a
    /// word cannot name a column unless in backticks; any other word can.
    func testReservedWordsAreTheOnesThatCannotBeNames() throws {
        for w in Keywords.reserved { XCTAssertFalse(Vocabulary.entries(w).isEmpty, w) }
        for entry in Vocabulary.words {
            let bare = SourceFile(name: "t", text: "count cases by \(entry.text)")
            if entry.isReserved {
                XCTAssertThrowsError(try Parser.parse(bare), entry.text)
                XCTAssertFalse(Identifier.isBare(entry.text), entry.text)
            } else {
                XCTAssertNoThrow(try Parser.parse(bare), entry.text)
            }
            XCTAssertNoThrow(try Parser.parse(SourceFile(name: "t", text: "count cases by `\(entry.text)`")), entry.text)
            // A word listed twice (percent) is reserved both times or neither.
            XCTAssertEqual(Set(Vocabulary.entries(entry.text).map(\.isReserved)).count, 1, entry.text)
        }
    }

    /// docs/language.md lists the reserved words; the list is the table's.
    func testTheLanguageReferenceListsTheReservedWords() throws {
        let doc = try String(contentsOf: Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/language.md"), encoding: .utf8)
        guard let start = doc.range(of: "Reserved words (a bare name cannot be one): `"),
              let end = doc[start.upperBound...].firstIndex(of: "`") else { return XCTFail("no list of reserved words in docs/language.md") }
        let listed = Set(doc[start.upperBound..<end].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        XCTAssertEqual(listed, Keywords.reserved)
    }

    /// Each word shows in the `.help` topic the table names for it, and
    /// `.help WORD` gives its summary.
    func testEveryWordIsDocumentedInHelp() throws {
        for entry in Vocabulary.words {
            guard let topic = HelpText.topics.first(where: { $0.name == entry.topic }) else {
                XCTFail("'\(entry.text)' names the help topic '\(entry.topic)', which does not exist"); continue
            }
            let re = try NSRegularExpression(pattern: "(?<![A-Za-z_])\(entry.text)(?![A-Za-z_])", options: .caseInsensitive)
            let text = topic.summary + "\n" + topic.body
            XCTAssertNotNil(re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                            "'\(entry.text)' is not in .help \(entry.topic)")
            XCTAssertTrue(HelpText.render(entry.text).contains(entry.summary), entry.text)
        }
        let index = HelpText.render("words")
        for w in Vocabulary.all { XCTAssertTrue(index.contains(" \(w)"), "\(w) not in .help words") }
    }

    /// `.help words` listed asc under queries and desc under grouping: the
    /// two directions of one clause belong on one line (fails on the old table).
    func testOrderDirectionsShareATopic() {
        let topics = Set(Vocabulary.words.filter { $0.role == .orderDirection }.map(\.topic))
        XCTAssertEqual(topics, ["grouping"])
        let line = HelpText.render("words").split(separator: "\n").first { $0.contains(" desc") }
        XCTAssertEqual(line.map { $0.contains(" asc") }, true, HelpText.render("words"))
    }

    func testTheCompleterOffersEveryStatementVerb() {
        let offered = Set(Completer(session: Session()).candidates(before: "", word: ""))
        for w in Vocabulary.words(.statement) + Vocabulary.words(.aggregate) { XCTAssertTrue(offered.contains(w), w) }
        for f in Vocabulary.words(.function) { XCTAssertTrue(offered.contains(f + "("), f) }
        // And each clause word after a query.
        let afterQuery = Set(Completer(session: Session()).candidates(before: "count rows ", word: ""))
        for w in Vocabulary.words(.clause) { XCTAssertTrue(afterQuery.contains(w), w) }
    }

    /// The checker accepts exactly the column types the aggregate registry
    /// says, giving the result type it says (AggregateRegistryTests runs the
    /// entries with parameters too). Columns of the 20-row fixture: days_open
    /// holds numbers, reported dates.
    func testAggregateRegistryAgreesWithTheChecker() throws {
        let isDay = try NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}$"#)
        for spec in AggregateSpec.all where spec.parameters.isEmpty {
            for (column, type) in [("days_open", AggregateSpec.ValueType.number), ("reported", .date)] {
                let text = "\(spec.name) \(column)"
                guard spec.argumentTypes.contains(type) else {
                    XCTAssertThrowsError(try Fixtures.results(text), text); continue
                }
                guard let r = try Fixtures.results(text).last else { XCTFail(text); continue }
                let value = Renderer.render(r, as: .csv).split(separator: "\n").map(String.init).last(where: { !$0.isEmpty }) ?? ""
                let gaveDay = isDay.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
                XCTAssertEqual(gaveDay, spec.result == .sameAsArgument && type == .date, "\(text) gave \(value)")
            }
        }
    }
}
