import ArgumentParser
import Foundation
import MisqKit

struct TestCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "test",
                                                    abstract: "Run every assertion in query files; exit 1 if any fails.")

    @Argument(help: "Files or folders of .misq files (default: queries/).")
    var paths: [String] = []

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption
    @OptionGroup var engineOption: EngineOption

    @Option(name: .long, help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Flag(name: .shortAndLong, help: "List passing assertions too.")
    var verbose = false

    @Flag(name: .long, help: "Pass a run in which no assertion ran (by default that fails, as a suite that checks nothing must).")
    var allowEmpty = false

    mutating func execute(_ console: Console) -> Int32 {
        let base: Session
        var choice = dataOptions.choice(param: params.param)
        choice.engine = engineOption.engine
        do { base = try choice.session() } catch { console.report(error); return 2 }
        let files: [String]
        do { files = try TestCommand.collect(paths.isEmpty ? ["queries"] : paths) } catch { console.report(error); return 2 }
        // Each file read and parsed once, first, so that a --param no file
        // declares is an error before any assertion runs.
        let parsed: [Result<Program, Error>] = files.map { f in
            Result { try base.parse(SourceFile.read(script: f)) }
        }
        do { try ScriptOutput.checkOverrides(parsed.compactMap { try? $0.get() }, base.paramOverrides) }
        catch { console.report(error); return 2 }
        var suites: [JUnit.Suite] = []
        var passed = 0, failed = 0, errors = 0, notRun = 0, erroredAssertions = 0
        var empty: [String] = []
        for (f, program) in zip(files, parsed) {
            var suite = JUnit.Suite(name: f)
            let session = base.fork()
            session.baseDirectory = PathText.folder(of: f)
            do {
                try ScriptRunner(session: session).run(try program.get(), mode: .test) { event in
                    guard case .assertion(let a) = event else { return }
                    suite.cases.append(.init(outcome: a))
                    if a.passed { passed += 1; if verbose { console.print(AssertionReport.line(a)) } }
                    else { failed += 1; console.print(AssertionReport.line(a)) }
                }
                if suite.cases.isEmpty { empty.append(f) }
            } catch {
                errors += 1
                console.report(error)
                let stopped = JUnit.Stop(error: error, file: f, program: try? program.get())
                suite.error = stopped
                notRun += stopped.notRun.count
                if stopped.isAssertion { erroredAssertions += 1 }
                if !stopped.notRun.isEmpty {
                    console.print("note: \(stopped.notRun.count) assertion\(stopped.notRun.count == 1 ? "" : "s") in \(f) \(stopped.reason)")
                }
            }
            suites.append(suite)
        }
        let total = passed + failed + erroredAssertions + notRun
        // Files that asserted nothing are named: a suite's count of files
        // includes them, and nothing about them may pass unseen.
        if total > 0 { for f in empty { console.print("note: no assertions in \(f)") } }
        console.print("\(total) assertion\(total == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s"): \(passed) passed, \(failed) failed"
                      + (erroredAssertions > 0 ? ", \(erroredAssertions) errored" : "")
                      + (notRun > 0 ? ", \(notRun) not run" : "")
                      + (errors > 0 ? ", \(errors) file\(errors == 1 ? "" : "s") with errors" : ""))
        if let path = junit {
            do { try JUnit.write(suites, to: path) } catch { console.report(error); return 2 }
            console.print("JUnit report: \(path)")
        }
        if errors > 0 { return 2 }
        if total == 0 && !allowEmpty {
            let searched = (paths.isEmpty ? ["queries"] : paths).joined(separator: ", ")
            console.report(MisqError(.assertion, files.isEmpty ? "no assertions ran: no .misq files in \(searched)"
                                        : "no assertions ran: " + (files.count == 1 ? "\(files[0]) holds no assertion" : "none of the \(files.count) files holds an assertion"),
                                     suggestion: "a test run that checks nothing fails; pass --allow-empty if that is what you mean"))
            return 1
        }
        return failed > 0 ? 1 : 0
    }

    /// .misq files under the paths, sorted, each once.
    static func collect(_ paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw MisqError(.usage, "no such file or folder: \(p)", suggestion: "misq test takes .misq files or folders of them")
            }
            if isDir.boolValue {
                let all = (fm.enumerator(atPath: p)?.allObjects as? [String]) ?? []
                out += all.filter { $0.hasSuffix(".misq") }.sorted().map { (p as NSString).appendingPathComponent($0) }
            } else { out.append(p) }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }
}

/// JUnit XML for CI: a suite per file, a case per assertion.
enum JUnit {
    struct Case {
        var outcome: AssertionOutcome
    }
    /// An error that stopped a file: where it stopped (the statement, when
    /// the error points into one), its text, and the assertions after it
    /// that could not run.
    struct Stop {
        var name: String
        var message: String
        var text: String
        var notRun: [String] = []
        var reason: String
        var isAssertion = false

        init(error: Error, file: String, program: Program?) {
            let errs = error.misqErrors
            let first = errs.first
            message = first?.message ?? String(describing: error)
            text = DiagnosticRenderer.render(errs)
            name = "load"
            reason = "did not run: an error stopped \(file)"
            guard let program, let e = first, e.source?.name == program.source.name else { return }
            let src = program.source
            // The statement holding the error's place; the last one starting
            // at or before it.
            guard let k = program.statements.lastIndex(where: { $0.span.start <= e.span.start }) else { return }
            func label(_ st: Statement) -> String {
                "line \(src.line(of: st.span.start)): " + AssertionReport.firstLine(src.text(st.span))
            }
            name = label(program.statements[k])
            if case .assertion = program.statements[k].kind { isAssertion = true }
            reason = "did not run: the error at \(file):\(src.line(of: program.statements[k].span.start)) stopped the file"
            notRun = program.statements[(k + 1)...].compactMap { st in
                if case .assertion = st.kind { return label(st) } else { return nil }
            }
        }
    }
    struct Suite {
        var name: String
        var cases: [Case] = []
        var error: Stop?
        var tests: Int { cases.count + (error.map { 1 + $0.notRun.count } ?? 0) }
    }

    static func xml(_ suites: [Suite]) -> String {
        func esc(_ s: String) -> String {
            var o = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": o += "&amp;"
                case "<": o += "&lt;"
                case ">": o += "&gt;"
                case "\"": o += "&quot;"
                default: if ch.value < 0x20 && ch != "\n" && ch != "\t" { o += " " } else { o.unicodeScalars.append(ch) }
                }
            }
            return o
        }
        // A file that could not run is one test, errored, and each assertion
        // it did not reach one test, skipped: CI counts them all.
        let tests = suites.reduce(0) { $0 + $1.tests }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { !$0.outcome.passed }.count }
        let errs = suites.filter { $0.error != nil }.count
        let skipped = suites.reduce(0) { $0 + ($1.error?.notRun.count ?? 0) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"misq\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errs)\" skipped=\"\(skipped)\">\n"
        for s in suites {
            let f = s.cases.filter { !$0.outcome.passed }.count
            out += "  <testsuite name=\"\(esc(s.name))\" tests=\"\(s.tests)\" failures=\"\(f)\" errors=\"\(s.error == nil ? 0 : 1)\" skipped=\"\(s.error?.notRun.count ?? 0)\">\n"
            for c in s.cases {
                let a = c.outcome
                out += "    <testcase classname=\"\(esc(s.name))\" name=\"line \(a.location.line): \(esc(AssertionReport.firstLine(a.statementText)))\""
                if a.passed { out += "/>\n"; continue }
                out += ">\n      <failure message=\"expected \(esc(a.expected)), actual \(esc(a.actual))\">\(esc(AssertionReport.line(a)))</failure>\n    </testcase>\n"
            }
            if let e = s.error {
                out += "    <testcase classname=\"\(esc(s.name))\" name=\"\(esc(e.name))\">\n      <error message=\"\(esc(e.message))\">\(esc(e.text))</error>\n    </testcase>\n"
                for n in e.notRun {
                    out += "    <testcase classname=\"\(esc(s.name))\" name=\"\(esc(n))\">\n      <skipped message=\"\(esc(e.reason))\"/>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func write(_ suites: [Suite], to path: String) throws {
        try AtomicFile.write(xml(suites), to: path)
    }
}
