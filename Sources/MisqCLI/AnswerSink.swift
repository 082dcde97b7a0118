import Foundation
import MisqKit

/// Where a run's answers go, framed so that each format stays something a
/// reader can take in whole (docs/language.md, "Output formats"):
/// - table and markdown: each answer under its question comment, a blank
///   line between answers, `== FILE` before each file when `run` has several;
///   assertion lines among them;
/// - csv and tsv: each answer a header row and its rows, one empty line
///   between answers, nothing else (assertion lines go to standard error);
/// - json: one document for the whole run, an array with an object per
///   answer (`file` and `question` keys added where there are some);
///   assertion lines go to standard error;
/// - a folder (`misq run --out DIR`): one file per answer, named after its
///   question comment or else its statement number; standard output lists
///   the files written, and the assertion lines.
final class AnswerSink {
    let format: OutputFormat
    let console: Console
    let maxRows: Int?
    let folder: String?
    /// The first file that could not be written; the run stops there.
    private(set) var failure: Error?

    private var printed = 0, sinceHeading = 0
    private var script: Script?
    private var scripts = 1
    private var answers = 0
    private var statements: [String] = [], nextStatement = 0
    private var scriptFolder: String?
    private var usedFolders = Set<String>()

    init(format: OutputFormat, console: Console, maxRows: Int? = nil, folder: String? = nil) {
        self.format = format; self.console = console; self.maxRows = maxRows; self.folder = folder
    }

    func start() {
        if folder == nil, format == .json { console.print("[") }
    }

    func finish() {
        if folder == nil, format == .json { console.print(printed > 0 ? "\n]" : "]") }
    }

    func startScript(_ s: Script, index: Int, of count: Int) {
        script = s; scripts = count; answers = 0; nextStatement = 0
        statements = s.program.statements.map { s.program.source.text($0.span) }
        scriptFolder = nil
        if folder == nil, count > 1, let f = s.file, format == .table || format == .markdown {
            console.print((printed > 0 ? "\n" : "") + "== \(f)")
            sinceHeading = 0
        }
    }

    func answer(_ grid: Grid, question: String?, statement: String) {
        answers += 1
        let number = statementNumber(statement)
        if let folder {
            if failure == nil { write(grid, question: question, statement: number, under: folder) }
            return
        }
        switch format {
        case .table, .markdown:
            if sinceHeading > 0 { console.print("") }
            console.print(heading(question) + Renderer.render(grid, as: format, maxRows: maxRows), terminator: "")
        case .csv, .tsv:
            if printed > 0 { console.print("") }
            console.print(Renderer.render(grid, as: format, maxRows: maxRows, rawCells: console.rawCells), terminator: "")
        case .json:
            // The comma goes before the next object, so the array is
            // complete whenever the run stops.
            console.print((printed > 0 ? ",\n" : "") + jsonObject(grid, question: question), terminator: "")
        }
        printed += 1; sinceHeading += 1
    }

    func assertion(_ a: AssertionOutcome) {
        let line = AssertionReport.line(a)
        if folder != nil || format == .table || format == .markdown { console.print(line) } else { console.error(line) }
    }

    private func heading(_ question: String?) -> String {
        guard let q = question else { return "" }
        return format == .markdown ? "**\(q)**\n\n" : "-- \(q)\n"
    }

    private func jsonObject(_ grid: Grid, question: String?) -> String {
        var body = Renderer.render(grid, as: .json)
        while body.hasSuffix("\n") { body.removeLast() }
        var keys = ""
        if let f = script?.file { keys += "\n  \"file\": \(Renderer.jsonString(f)),"; }
        if let q = question { keys += "\n  \"question\": \(Renderer.jsonString(q)),"; }
        if let open = body.firstIndex(of: "{") { body.insert(contentsOf: keys, at: body.index(after: open)) }
        return body
    }

    /// The 1-based number of the statement that gave this answer, found by
    /// its text from just after the previous answer's statement.
    private func statementNumber(_ text: String) -> Int {
        if let k = statements[min(nextStatement, statements.count)...].firstIndex(of: text) {
            nextStatement = k + 1
            return k + 1
        }
        nextStatement += 1
        return nextStatement
    }

    // MARK: one file per answer

    private func write(_ grid: Grid, question: String?, statement: Int, under root: String) {
        do {
            let dir = try folderForScript(root)
            let width = max(2, String(statements.count).count)
            let number = String(repeating: "0", count: max(0, width - String(answers).count)) + String(answers)
            let name = number + "-" + (question.map(AnswerSink.slug).flatMap { $0.isEmpty ? nil : $0 } ?? "statement-\(statement)")
            let path = (dir as NSString).appendingPathComponent(name + "." + AnswerSink.fileExtension(format))
            let text: String
            switch format {
            case .table, .markdown: text = heading(question) + Renderer.render(grid, as: format)
            case .csv, .tsv: text = Renderer.render(grid, as: format, rawCells: console.rawCells)
            case .json: text = jsonObject(grid, question: question) + "\n"
            }
            try AtomicFile.write(Array(text.utf8), to: path)
            console.print("wrote \(path)")
        } catch {
            failure = error
        }
    }

    /// `DIR` for one script; `DIR/STEM` for each of several.
    private func folderForScript(_ root: String) throws -> String {
        if let d = scriptFolder { return d }
        var dir = root
        if scripts > 1, let f = script?.file {
            let stem = ((f as NSString).lastPathComponent as NSString).deletingPathExtension
            var name = stem.isEmpty ? "script" : stem, k = 2
            while usedFolders.contains(name) { name = "\(stem)-\(k)"; k += 1 }
            usedFolders.insert(name)
            dir = (root as NSString).appendingPathComponent(name)
        }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        catch { throw MisqError(.io, "cannot create the folder \(dir) for --out: \(error.localizedDescription)") }
        scriptFolder = dir
        return dir
    }

    static func fileExtension(_ f: OutputFormat) -> String {
        switch f {
        case .table: return "txt"
        case .markdown: return "md"
        case .csv, .tsv, .json: return f.rawValue
        }
    }

    /// A file name from a question: `Q1. How many cases?` → `q1-how-many-cases`,
    /// ASCII letters and digits only, at most 50 characters, cut at a word.
    static func slug(_ question: String) -> String {
        var words: [String] = [], current = ""
        for ch in question.lowercased().unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) { current.unicodeScalars.append(ch) }
            else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        var out = ""
        for w in words {
            let next = out.isEmpty ? w : out + "-" + w
            if next.count > 50 { if out.isEmpty { out = String(w.prefix(50)) }; break }
            out = next
        }
        return out
    }
}
