import ArgumentParser
import MisqKit

/// `misq audit FILE.misq`: runs the file as `misq run` would, prints none of
/// its answers, and reports for every hidden cell of every table it
/// publishes with suppression the interval a reader can work out from
/// everything the run publishes (`RunAudit`). Exit 1 when a cell a rule hid
/// is narrower than the rule requires, as a failed assertion is. A CSV
/// table published elsewhere is audited from its own figures (`RunAudit.csv`).
struct AuditCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "audit",
                                                    abstract: "Run saved query files and audit every table they publish with suppression against all of them.")

    @Argument(help: "The .misq files to audit (each a run of its own), or published tables as CSV (.csv) with [c] for each hidden cell.")
    var files: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption

    mutating func execute(_ console: Console) -> Int32 {
        do {
            // Published tables: audited from their own figures, no data needed.
            if !files.isEmpty, files.allSatisfy({ $0.lowercased().hasSuffix(".csv") }) {
                var code: Int32 = 0
                for f in files {
                    let audit = try RunAudit.csv(f)
                    if files.count > 1 { console.print("== \(f)") }
                    console.print(audit.text, terminator: "")
                    if !audit.passed { code = 1 }
                }
                return code
            }
            if let csv = files.first(where: { $0.lowercased().hasSuffix(".csv") }) {
                throw MisqError(.usage, "misq audit takes .misq files or published .csv tables, not both: \(csv)",
                                suggestion: "misq audit \(csv) on its own")
            }
            let session = try dataOptions.choice(param: params.param).session()
            let programs = try files.map { try session.parse(SourceFile.read(script: $0)) }
            try ScriptOutput.checkOverrides(programs, session.paramOverrides)
            var code: Int32 = 0
            for (f, program) in zip(files, programs) {
                let s = files.count > 1 ? session.fork() : session
                s.baseDirectory = PathText.folder(of: f)
                try ScriptOutput.dryRun([Script(program: program, session: s, file: f)])
                var failed = 0
                try ScriptRunner(session: s).run(program, mode: .run) { e in
                    if case .assertion(let a) = e, !a.passed { failed += 1 }
                }
                // The file's assertions are not the audit's, but a failed one is not kept quiet.
                if failed > 0 {
                    console.error("note: \(Plural.count(failed, "assertion")) in \(f) failed (misq test \(f) shows \(failed == 1 ? "it" : "them")); the audit is of the tables it publishes")
                    code = 1
                }
                let audit = try RunAudit.run(s)
                if files.count > 1 { console.print("== \(f)") }
                if audit.tables.isEmpty {
                    console.print("audit: \(f) publishes no table with suppression: nothing to audit")
                    continue
                }
                console.print(audit.text, terminator: "")
                if !audit.passed { code = 1 }
            }
            return code
        } catch {
            console.report(error)
            return 2
        }
    }
}
