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
///   the files written, and the assertion lines. A CSV or TSV answer published
///   with suppression or rounding has its footer in `NAME.notes.txt` beside it.
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
        if let folder {
            do { try prepare(folder) } catch { failure = error }
        }
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

    /// A `show`'s rows, printed to a file or pipe, are written as they are
    /// made (`RowStream`): an export of millions of rows never becomes one
    /// text. Everything else, and any answer to a terminal (where a table
    /// keeps today's layout and screening), goes through its grid.
    func answer(_ r: QueryResult, question: String?, statement: String) {
        if folder == nil, maxRows == nil, console.streams, GroupStream.streams(r, format) {
            // A grouped answer to a file or pipe as CSV or TSV: written as its groups are read (`GroupStream`).
            answers += 1
            _ = statementNumber(statement)
            GroupStream.write(r, as: format, rawCells: console.rawCells, before: printed > 0 ? "\n" : "") { [console] in console.write($0) }
            printed += 1; sinceHeading += 1
            return
        }
        guard case .rows = r.body, folder == nil, maxRows == nil, console.streams, RowStream.streams(format) else {
            return answer(Grid(r), question: question, statement: statement)
        }
        answers += 1
        _ = statementNumber(statement)
        let sink: (UnsafeRawBufferPointer) -> Bool = { [console] in console.write($0) }
        switch format {
        case .table, .markdown:
            RowStream.write(r, as: format, before: (sinceHeading > 0 ? "\n" : "") + heading(question), to: sink)
        case .csv, .tsv:
            RowStream.write(r, as: format, rawCells: console.rawCells, before: printed > 0 ? "\n" : "", to: sink)
        case .json:
            RowStream.write(r, as: .json, before: printed > 0 ? ",\n" : "", jsonKeys: jsonKeys(question), jsonNewline: false, to: sink)
        }
        printed += 1; sinceHeading += 1
    }

    func answer(_ grid: Grid, question: String?, statement: String) {
        var grid = grid
        // `with bars` in a terminal: the bars take the width it leaves, as at the prompt.
        if grid.bars != nil, format == .table, folder == nil, console.stdoutIsTerminal, let columns = Terminal.size()?.columns {
            grid = grid.withBarColumn(width: Bars.width(for: grid, maxWidth: columns))
        }
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
        let keys = jsonKeys(question)
        if let open = body.firstIndex(of: "{") { body.insert(contentsOf: keys, at: body.index(after: open)) }
        return body
    }

    /// The keys the run adds to an answer's object: its file, its question.
    private func jsonKeys(_ question: String?) -> String {
        var keys = ""
        if let f = script?.file { keys += "\n  \"file\": \(Renderer.jsonString(f)),"; }
        if let q = question { keys += "\n  \"question\": \(Renderer.jsonString(q)),"; }
        return keys
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
            written.append(String(path.dropFirst(root.count).drop { $0 == "/" }))
            console.print("wrote \(path)")
            // CSV and TSV hold a header and rows only, so that a program reads
            // them as they are; a table published with suppression or rounding
            // has its footer (what [c] means, the rule, the audit, the source)
            // beside it under the same name, or a reader of the file alone
            // would not know what was hidden or why.
            if format == .csv || format == .tsv, grid.disclosure || grid.rows.contains(where: { $0.contains { $0.marker != nil } }) {
                let notes = (dir as NSString).appendingPathComponent(name + ".notes.txt")
                let what = (question.map { "-- \($0)\n" } ?? "") + "notes for \(name).\(AnswerSink.fileExtension(format)):\n"
                try AtomicFile.write(Array((what + grid.footer.map { $0 + "\n" }.joined()).utf8), to: notes)
                written.append(String(notes.dropFirst(root.count).drop { $0 == "/" }))
                console.print("wrote \(notes)")
            }
            try AtomicFile.write(Array(written.map { $0 + "\n" }.joined().utf8),
                                 to: (root as NSString).appendingPathComponent(AnswerSink.manifestName))
        } catch {
            failure = error
        }
    }

    // MARK: the folder's earlier answers

    /// The list of the files the last run wrote into `--out DIR`, one
    /// relative path a line: what the next run may clear.
    static let manifestName = ".misq-answers"
    private var written: [String] = []

    /// Answers of this run never stand beside stale ones: a folder holding
    /// a file misq did not write (not in its manifest) is refused, and the
    /// files an earlier run wrote are removed, each named, before any is
    /// written again.
    private func prepare(_ root: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw MisqError(.io, "--out \(root) is a file, not a folder", suggestion: "give a folder, new or empty") }
        let manifest = (root as NSString).appendingPathComponent(AnswerSink.manifestName)
        let listed = Set(((try? String(contentsOfFile: manifest, encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") })
        var files: [String] = []
        for rel in (fm.enumerator(atPath: root)?.allObjects as? [String]) ?? [] where rel != AnswerSink.manifestName {
            var d: ObjCBool = false
            if fm.fileExists(atPath: (root as NSString).appendingPathComponent(rel), isDirectory: &d), !d.boolValue { files.append(rel) }
        }
        let foreign = files.filter { !listed.contains($0) }.sorted()
        if !foreign.isEmpty {
            let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? " and \(foreign.count - 3) more" : "")
            throw MisqError(.io, "--out \(root) holds \(foreign.count == 1 ? "a file" : "\(foreign.count) files") misq did not write: \(shown)",
                            suggestion: "give a new or empty folder: misq writes only where its answers cannot be mixed with other files",
                            notes: ["misq clears only the answers it wrote there itself (listed in \(AnswerSink.manifestName))"])
        }
        for rel in files.sorted() {
            let path = (root as NSString).appendingPathComponent(rel)
            do { try fm.removeItem(atPath: path) }
            catch { throw MisqError(.io, "cannot remove the earlier answer \(path): \(error.localizedDescription)") }
            console.print("removed \(path) (an answer from an earlier run)")
            // A script's folder (several scripts run) goes when emptied.
            let parent = PathText.folder(of: path)
            if parent != root, (try? fm.contentsOfDirectory(atPath: parent))?.isEmpty == true { try? fm.removeItem(atPath: parent) }
        }
        try? fm.removeItem(atPath: manifest)
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
    /// `¿Cuántos casos?` → `cuantos-casos`: letters (of any script, accents
    /// folded) and digits, at most 50 characters, cut at a word when that
    /// keeps most of them, else cut inside the word, never dropped whole.
    static func slug(_ question: String) -> String {
        let folded = question.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var words: [String] = [], current = ""
        for ch in folded {
            if ch.isLetter || ch.isNumber { current.append(ch) }
            else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        let limit = 50
        var out = ""
        for w in words {
            let next = out.isEmpty ? w : out + "-" + w
            if next.count > limit {
                // A long word after a short start is cut, not lost: the
                // name keeps a trace of what the question asked.
                if out.count < limit * 3 / 5 { out = String(next.prefix(limit)) }
                break
            }
            out = next
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }
}
