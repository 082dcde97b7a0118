import ArgumentParser
import Foundation
import MisqKit

/// `misq report FILE… [-o report.html]`: runs saved query files as `misq
/// run` does and writes one self-contained HTML file of their answers —
/// tables, charts, provenance — with a header saying how and when it was
/// made (`MisqKit/Report`). Exit codes as for `run`: 1 when an assertion in
/// the files fails (the report is still written, and shows the failure).
struct ReportCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "report",
                                                    abstract: "Run saved query files and write one self-contained HTML report: tables, charts, provenance.")

    @Argument(help: "The .misq files to report on.")
    var files: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the report to this file (default: standard output).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Also write each chart's Vega-Lite spec to this folder (chart1.vl.json, …), to restyle it elsewhere.", valueName: "dir"))
    var vega: String?

    mutating func execute(_ console: Console) -> Int32 {
        do {
            // Before anything runs: a bad SOURCE_DATE_EPOCH stops the report.
            let made = try ReportCommand.madeAt()
            let session = try dataOptions.choice(param: params.param).session()
            let programs = try files.map { try session.parse(SourceFile.read(script: $0)) }
            for (f, p) in zip(files, programs) where p.statements.isEmpty {
                console.error("note: \(f) holds no statement: nothing to report")
            }
            let scripts = zip(files, programs).map { f, program in
                let s = files.count > 1 ? session.fork() : session
                s.baseDirectory = PathText.folder(of: f)
                return Script(program: program, session: s, file: f)
            }
            // As `run`: a misspelt --param or a name that does not bind
            // stops the report before anything runs.
            try ScriptOutput.checkOverrides(scripts.map(\.program), session.paramOverrides)
            try ScriptOutput.dryRun(scripts)
            var code: Int32 = 0
            var reported: [ReportFile] = []
            for script in scripts {
                var items: [ReportItem] = []
                try ScriptRunner(session: script.session).run(script.program, mode: .run) { event in
                    switch event {
                    case .result(let r, let note, let statement, let location):
                        items.append(.answer(ReportAnswer(question: note, statement: statement, line: location.line, result: r)))
                    case .assertion(let a):
                        // A failure is said here too, not only inside the file.
                        if !a.passed { code = 1; console.error(AssertionReport.line(a)) }
                        items.append(.check(ReportCheck.from(a)))
                    case .declared:
                        break
                    }
                }
                reported.append(ReportFile(path: script.file, introduction: ReportCommand.introduction(script.program),
                                           params: ReportCommand.params(script.program, overrides: script.session.paramOverrides), items: items))
            }
            let title = "misq report: " + files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            var doc = ReportDocument(title: title, command: commandLine, generated: made, files: reported)
            doc.vegaFolder = vega
            if let dir = vega { try writeSpecs(VegaLite.specs(doc), to: dir, console) }
            let html = HTMLReport.render(doc)
            if let path = output {
                try AtomicFile.write(Array(html.utf8), to: path)
                let checks = reported.flatMap(\.items).compactMap { if case .check(let c) = $0 { return c } else { return nil } }
                let failed = checks.filter { !$0.passed }.count
                console.print("wrote \(path): \(Plural.count(doc.answers.count, "answer")) from \(Plural.count(files.count, "file"))"
                              + (checks.isEmpty ? "" : "; \(Plural.count(checks.count, "assertion")), \(NumberFormat.count(failed)) failed"))
            } else {
                console.print(html, terminator: "")
            }
            return code
        } catch {
            console.report(error)
            return 2
        }
    }

    /// The command as the header states it, from what was parsed (so it
    /// is the same whichever order the options were typed in).
    var commandLine: String {
        var words = ["misq", "report"] + files
        for d in dataOptions.datasets.map({ [$0] }) ?? [] { words += ["--datasets", d] }
        for d in dataOptions.data { words += ["--data", d] }
        for p in params.param { words += ["--param", p] }
        if let o = output { words += ["-o", o] }
        if let v = vega { words += ["--vega", v] }
        return words.map(ShellWord.quote).joined(separator: " ")
    }

    /// The specs, into a folder that holds nothing else: a new or empty
    /// one, or one holding only the specs of an earlier report (removed
    /// first, and said), so no stale chart stands beside the new ones.
    func writeSpecs(_ specs: [(name: String, json: String)], to dir: String, _ console: Console) throws {
        // With the HTML on standard output, what was written is said on standard error.
        let say: (String) -> Void = { [output] line in if output == nil { console.error("note: " + line) } else { console.print(line) } }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw MisqError(.io, "--vega \(dir) is a file, not a folder", suggestion: "give a folder, new or empty") }
            let present = try fm.contentsOfDirectory(atPath: dir).sorted()
            let foreign = present.filter { !ReportCommand.isSpecName($0) }
            if !foreign.isEmpty {
                throw MisqError(.io, "--vega \(dir) holds files misq did not write: " + foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? " and \(foreign.count - 3) more" : ""),
                                suggestion: "give a new or empty folder")
            }
            for f in present {
                try fm.removeItem(atPath: (dir as NSString).appendingPathComponent(f))
            }
            if !present.isEmpty { say("removed \(Plural.count(present.count, "spec")) of an earlier report from \(dir)") }
        } else {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            catch { throw MisqError(.io, "cannot create the folder \(dir) for --vega: \(error.localizedDescription)") }
        }
        for s in specs { try AtomicFile.write(Array(s.json.utf8), to: (dir as NSString).appendingPathComponent(s.name)) }
        say("wrote \(Plural.count(specs.count, "Vega-Lite spec")) to \(dir)")
    }

    /// `chart12.vl.json`: a name `--vega` writes.
    static func isSpecName(_ f: String) -> Bool {
        guard f.hasPrefix("chart"), f.hasSuffix(".vl.json") else { return false }
        let digits = f.dropFirst(5).dropLast(8)
        return !digits.isEmpty && digits.allSatisfy(\.isNumber)
    }

    /// When the report was made, in UTC; `SOURCE_DATE_EPOCH` (the
    /// reproducible-builds convention) fixes it, for identical reports
    /// from identical inputs. A value that is not a whole number of
    /// seconds is an error: ignored, it would stamp the time of the run on
    /// a report meant to be reproducible.
    static func madeAt(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        var date = Date()
        if let s = environment["SOURCE_DATE_EPOCH"], !s.isEmpty {
            guard let seconds = Int64(s.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds < 253_402_300_800 else {
                throw MisqError(.usage, "SOURCE_DATE_EPOCH is '\(s)', not a number of seconds since 1970-01-01 UTC",
                                suggestion: "e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it for the time of the run")
            }
            date = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }

    /// The comment block a file opens with, unless it heads the first
    /// query directly (then it is that query's question).
    static func introduction(_ program: Program) -> [String] {
        let source = program.source
        let text = source.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var lines: [String] = []
        var line = 1
        while line <= text.count, text[line - 1].hasPrefix("--") {
            lines.append(String(text[line - 1].dropFirst(2)))
            line += 1
        }
        if let first = program.statements.first, source.line(of: first.span.start) == line {
            switch first.kind {
            case .query, .expression, .assertion: return []
            default: break
            }
        }
        return lines
    }

    /// Each param the file declares, with the value it ran with.
    static func params(_ program: Program, overrides: [String: String]) -> [ReportParam] {
        program.statements.compactMap { st in
            guard case .param(let name, _) = st.kind else { return nil }
            if let o = overrides[name.text.lowercased()] { return ReportParam(name: name.text, value: o, overridden: true) }
            let text = program.source.text(st.span)
            let value = text.firstIndex(of: "=").map { String(text[text.index(after: $0)...]).trimmingCharacters(in: .whitespacesAndNewlines) } ?? text
            return ReportParam(name: name.text, value: value, overridden: false)
        }
    }
}

extension ReportCheck {
    static func from(_ a: AssertionOutcome) -> ReportCheck {
        var details: [String] = []
        if !a.passed {
            details = ["expected:   \(a.expected)", "actual:     \(a.actual)"] + (a.difference.map { ["difference: \($0)"] } ?? []) + a.details
        }
        return ReportCheck(passed: a.passed, location: "\(a.location.file):\(a.location.line)", statement: a.statementText, details: details, source: a.note)
    }
}

/// A word as a POSIX shell reads it back: bare when it is safe, else in
/// single quotes (a quote inside written '\'').
enum ShellWord {
    static func quote(_ s: String) -> String {
        let safe = !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0) }
        return safe ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
