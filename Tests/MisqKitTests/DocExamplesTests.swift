import XCTest
@testable import MisqKit

/// Every example in README.md, docs/*.md and `.help` runs on the shipped
/// `datasets/` (issue 15: the docs used a column no shipped dataset has).
///
/// What counts as an example:
/// - a fenced block tagged `misq`: a script, run whole;
/// - in a fenced block tagged `sh`, each `-e '…'` argument;
/// - in a fenced block tagged `misq-error`: a script that must fail with
///   an error (shown to teach the error);
/// - an inline code span that starts with a statement word (`count …`,
///   `assert …`, `percent(…)`) and is not a template (no `…`, `[`, or an
///   ALLCAPS placeholder such as UNIT or COLUMN);
/// - the first span of each row of the docs' tables of conditions, grouping
///   keys and period literals, run inside a query;
/// - in `.help`, each indented column that starts with a statement word or
///   a clause word (`where …`, `by …`), with the table rows under it.
/// Every other fenced block must be tagged `text` (grammar, output), so no
/// block is left unchecked by accident.
final class DocExamplesTests: XCTestCase {
    static let root = ShippedDataTests.root
    static let statementWords = Set(["count", "show", "assert", "let", "define", "param", "unit", "load"] + AggregateSpec.all.map(\.name))
    static let clauseWords: Set<String> = ["where", "by", "across", "with", "order"]

    struct Example {
        var text: String
        var origin: String
        var mustFail = false
        /// `misq --data FILE -e …`: run on that CSV alone, not on datasets/.
        var data: String?
    }

    static func isTemplate(_ s: String) -> Bool {
        if s.contains("…") || s.contains("[") || s.contains("⇥") || s.contains("|") { return true }
        if s.filter({ $0 == "\"" }).count % 2 == 1 { return true }  // `load "`: the start of one
        // A word or two of keywords (`count`, `count distinct`) names a statement, not an example.
        let tokens = s.split(separator: " ")
        if tokens.allSatisfy({ Keywords.reserved.contains($0.lowercased()) || $0 == "unit" }) { return true }
        // ALLCAPS words (UNIT, COLUMN, N, C) are placeholders; FY2022 and Q2 are not.
        let words = s.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.contains { w in w.allSatisfy { $0.isUppercase } }
    }

    static func startsWithStatement(_ s: String) -> Bool {
        let first = s.prefix { $0.isLetter || $0 == "_" }.lowercased()
        return statementWords.contains(first) || s.hasPrefix("percent(")
    }

    /// Code spans as Markdown reads them: a run of n backticks opens one and
    /// the next run of exactly n closes it (`` `a``b` `` holds `a``b`).
    static func inlineSpans(_ line: String) -> [String] {
        let c = Array(line)
        var out: [String] = []
        var i = 0
        func run(at k: Int) -> Int { var n = 0; while k + n < c.count, c[k + n] == "`" { n += 1 }; return n }
        while i < c.count {
            guard c[i] == "`" else { i += 1; continue }
            let n = run(at: i)
            var j = i + n
            var closed = false
            while j < c.count {
                if c[j] == "`" {
                    let m = run(at: j)
                    if m == n {
                        var text = String(c[(i + n)..<j])
                        if n > 1, text.hasPrefix(" "), text.hasSuffix(" "), text.count > 1 { text = String(text.dropFirst().dropLast()) }
                        out.append(text)
                        i = j + m; closed = true; break
                    }
                    j += m
                } else { j += 1 }
            }
            if !closed { i += n }
        }
        return out
    }

    static func markdownExamples(_ path: String) throws -> [Example] {
        let name = (path as NSString).lastPathComponent
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        var out: [Example] = []
        var fence: (tag: String, start: Int, body: [String])?
        var tableKind: String?
        for (i, line) in lines.enumerated() {
            let origin = "\(name):\(i + 1)"
            if line.hasPrefix("```") {
                if let f = fence {
                    let body = f.body.joined(separator: "\n")
                    switch f.tag {
                    case "misq": out.append(Example(text: body, origin: "\(name):\(f.start)"))
                    case "misq-error": out.append(Example(text: body, origin: "\(name):\(f.start)", mustFail: true))
                    case "sh":
                        for l in f.body {
                            var data: String?
                            if let r = l.range(of: "--data ") {
                                data = String(l[r.upperBound...].prefix { $0 != " " })
                            }
                            var rest = Substring(l)
                            while let r = rest.range(of: "-e '") {
                                rest = rest[r.upperBound...]
                                guard let end = rest.firstIndex(of: "'") else { break }
                                out.append(Example(text: String(rest[..<end]), origin: "\(name):\(f.start)", data: data))
                                rest = rest[rest.index(after: end)...]
                            }
                        }
                    case "text": break
                    default: out.append(Example(text: "untagged fenced block (tag it misq, misq-error, sh or text)", origin: "\(name):\(f.start)", mustFail: true))
                    }
                    fence = nil
                } else {
                    fence = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), i + 1, [])
                }
                continue
            }
            if fence != nil { fence?.body.append(line); continue }
            // Tables whose first column holds condition, key or period examples.
            if line.hasPrefix("| form | meaning |") { tableKind = "count allegations where "; continue }
            if line.hasPrefix("| key | groups by |") { tableKind = "count allegations "; continue }
            if line.hasPrefix("| literal | denotes |") { tableKind = "count allegations where period "; continue }
            if !line.hasPrefix("|") { tableKind = nil }
            if let prefix = tableKind, !line.hasPrefix("|---"),
               let first = line.split(separator: "|").first.map(String.init).map(inlineSpans)?.first, !isTemplate(first) {
                out.append(Example(text: prefix + first, origin: origin))
                continue
            }
            for span in inlineSpans(line) where startsWithStatement(span) && !isTemplate(span) {
                out.append(Example(text: span, origin: origin))
            }
        }
        return out
    }

    static func helpExamples() -> [Example] {
        var out: [Example] = []
        for topic in HelpText.topics {
            let lines = topic.body.components(separatedBy: "\n")
            var k = 0
            while k < lines.count {
                let line = lines[k]
                k += 1
                guard line.hasPrefix("  ") else { continue }
                // Columns are separated by three or more spaces.
                let columns = line.trimmingCharacters(in: .whitespaces).components(separatedBy: "   ")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                // The first column is an example or not; the later ones are
                // examples only beside one (else they describe it).
                for c in columns {
                    let first = c.prefix { $0.isLetter || $0 == "_" }.lowercased()
                    var text: String
                    if startsWithStatement(c) { text = c }
                    // A clause that ranks, cuts or totals groups needs some.
                    else if ["with", "top", "limit", "order"].contains(first) { text = "count allegations by outcome " + c }
                    else if clauseWords.contains(first) { text = "count allegations " + c }
                    else { break }
                    if isTemplate(c) { continue }
                    // A table literal's rows follow on indented `|` lines.
                    while k < lines.count, lines[k].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                        text += "\n" + lines[k]; k += 1
                    }
                    out.append(Example(text: text, origin: ".help \(topic.name)"))
                }
            }
        }
        return out
    }

    /// Examples in groups that share a session, in order, as a reader
    /// trying them at the prompt would: one group per file or help topic,
    /// so a `let` above is there for the examples below it.
    func exampleGroups() throws -> [[Example]] {
        var paths = [Self.root.appendingPathComponent("README.md").path]
        let docs = Self.root.appendingPathComponent("docs")
        for f in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where f.hasSuffix(".md") {
            paths.append(docs.appendingPathComponent(f).path)
        }
        let help = Dictionary(grouping: Self.helpExamples(), by: \.origin)
        return try paths.map(Self.markdownExamples) + HelpText.topics.compactMap { help[".help \($0.name)"] }
    }

    func testEveryExampleRunsOnTheShippedData() throws {
        let base = try Session.open(datasetsDirectory: Self.root.appendingPathComponent("datasets").path)
        let groups = try exampleGroups()
        let count = groups.reduce(0) { $0 + $1.count }
        XCTAssertGreaterThan(count, 60)  // the extraction found the examples
        var failures: [String] = []
        for group in groups {
            let shared = base.fork()
            shared.baseDirectory = Self.root.path
            for var ex in group {
                var s = shared
                if let data = ex.data {
                    s = Session()
                    s.baseDirectory = Self.root.path
                    let name = ((data as NSString).lastPathComponent as NSString).deletingPathExtension
                    ex.text = "load \"\(data)\" as \(name)\n" + ex.text
                }
                var failure: String?
                do { _ = try ScriptRunner(session: s).run(SourceFile(name: ex.origin, text: ex.text), mode: .run) }
                catch { failure = DiagnosticRenderer.render(error.misqErrors) }
                if ex.mustFail && failure == nil { failures.append("\(ex.origin): expected an error: \(ex.text)") }
                if !ex.mustFail, let e = failure { failures.append("\(ex.origin): \(ex.text)\n\(e)") }
            }
        }
        if ProcessInfo.processInfo.environment["MISQ_LIST_EXAMPLES"] != nil {
            for g in groups { for ex in g { print("EXAMPLE \(ex.origin): \(ex.text.replacingOccurrences(of: "\n", with: " ⏎ "))") } }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(count) examples fail:\n" + failures.joined(separator: "\n"))
    }
}
