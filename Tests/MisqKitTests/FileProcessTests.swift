import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import MisqKit

/// Files as only a real process meets them: named pipes (which used to
/// hang misq on open), scripts from a pipe (which used to read as empty),
/// a CSV truncated while a query reads it (which used to kill misq with
/// SIGBUS), and the prompt's dataset whose file changes.
final class FileProcessTests: XCTestCase {
    var misqBinary: URL { Fixtures.misqBinary }

    struct Ran {
        var out = "", err = ""
        var code: Int32 = 0
        /// Ended by a signal (a crash), not an exit.
        var signalled = false
        var timedOut = false
    }

    /// Runs `binary` (misq by default) in `directory`, for names relative
    /// to it: its standard output, exit status, and whether it exited
    /// rather than died of a signal.
    func run(in directory: URL, _ args: [String], binary: URL? = nil, environment: [String: String]? = nil) throws -> (out: String, status: Int32, exited: Bool) {
        let p = Process()
        p.executableURL = binary ?? misqBinary
        p.arguments = args
        p.currentDirectoryURL = directory
        if let e = environment { p.environment = e }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (text, p.terminationStatus, p.terminationReason == .exit)
    }

    /// Runs misq, killing it after `timeout` seconds (a hang fails the test
    /// rather than the suite). `during` runs while it does. Spawned and
    /// waited for directly (waitpid), so a killed child is always reaped.
    func run(_ args: [String], stdin: String? = nil, stdinFile: String? = nil, timeout: Double = 30, environment: [String: String] = [:],
             during: (() -> Void)? = nil) throws -> Ran {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq binary not built at \(misqBinary.path)")
        let dir = try Fixtures.temporaryDirectory()
        let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path
        let inPath = dir.appendingPathComponent("in").path
        try (stdin ?? "").write(toFile: inPath, atomically: false, encoding: .utf8)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Standard input is a pipe when given (so /dev/stdin is one), else /dev/null.
        var fds: [Int32] = [0, 0]
        if stdin != nil {
            guard pipe(&fds) == 0 else { throw NSError(domain: "pipe", code: Int(errno)) }
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinFile ?? "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv = [misqBinary.path] + args
        var cArgs = argv.map { strdup($0) } + [nil], cEnv = env.map { strdup($0) } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, misqBinary.path, &actions, nil, &cArgs, &cEnv)
        guard rc == 0 else { throw NSError(domain: "posix_spawn", code: Int(rc)) }
        if let s = stdin {
            close(fds[0])
            _ = s.utf8CString.withUnsafeBufferPointer { write(fds[1], $0.baseAddress, $0.count - 1) }
            close(fds[1])
        }
        during?()
        let deadline = Date().addingTimeInterval(timeout)
        var ran = Ran()
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline { ran.timedOut = true; kill(pid, SIGKILL); waitpid(pid, &status, 0); break }
            usleep(20_000)
        }
        ran.out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        ran.err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        // WIFSIGNALED / WEXITSTATUS, written out (macros Swift does not import).
        ran.signalled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        ran.code = ran.signalled ? status & 0x7F : (status >> 8) & 0xFF
        return ran
    }

    /// Writes `text` to the named pipe `path` from another thread, once
    /// something opens it for reading.
    func feed(_ path: String, _ text: String) {
        Thread.detachNewThread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
            close(fd)
        }
    }

    func testNamedPipeAsACSV() throws {
        let dir = try Fixtures.temporaryDirectory()
        let fifo = dir.appendingPathComponent("pipe.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // Nothing writes to it: an error within seconds, not a hang.
        let alone = try run(["--data", fifo, "-e", "count rows"], timeout: 20)
        XCTAssertFalse(alone.timedOut, "misq hung on a named pipe with no writer")
        XCTAssertEqual(alone.code, 2)
        XCTAssertTrue(alone.err.contains("nothing came from"), alone.err)
        // Something writes to it: read as a stream. 3 rows, by hand.
        feed(fifo, "a,b\n1,2\n3,4\n5,6\n")
        let fed = try run(["--data", fifo, "--format", "csv", "-e", "count rows"], timeout: 20)
        XCTAssertFalse(fed.timedOut)
        XCTAssertEqual(fed.out, "rows\n3\n", fed.err)
        // Piped standard input as the CSV.
        let piped = try run(["--data", "/dev/stdin", "--format", "csv", "-e", "count rows"], stdin: "a\n1\n2\n", timeout: 20)
        XCTAssertEqual(piped.out, "rows\n2\n", piped.err)
        // A device that never ends: refused at its first NUL, not read for ever.
        let zero = try run(["--data", "/dev/zero", "-e", "count rows"], timeout: 20)
        XCTAssertFalse(zero.timedOut)
        XCTAssertEqual(zero.code, 2)
        XCTAssertTrue(zero.err.contains("NUL byte"), zero.err)
    }

    func testNamedPipeInADatasetsFolderIsNotOpened() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "a\n1\n".write(to: dir.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe.csv").path, 0o600), 0)
        let r = try run(["--datasets", dir.path, "--format", "csv", "-e", "count rows from good"], timeout: 20)
        XCTAssertFalse(r.timedOut)
        XCTAssertEqual(r.out, "rows\n1\n", r.err)
    }

    /// `misq run /dev/stdin`, `misq test` of a pipe read an empty script
    /// and exited 0.
    func testScriptsFromAPipe() throws {
        let run1 = try run(["--datasets", Fixtures.small, "run", "/dev/stdin"], stdin: "count cases\n")
        XCTAssertEqual(run1.code, 0, run1.err)
        XCTAssertTrue(run1.out.contains("│    16 │"), run1.out)  // hand count, see EvaluatorTests
        let test1 = try run(["--datasets", Fixtures.small, "test", "/dev/stdin"], stdin: "assert count cases = 1\n")
        XCTAssertEqual(test1.code, 1, test1.out + test1.err)
        XCTAssertTrue(test1.out.contains("actual:     16"), test1.out)
        // A named pipe, as `<(printf …)` gives.
        let dir = try Fixtures.temporaryDirectory()
        let fifo = dir.appendingPathComponent("s.misq").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        feed(fifo, "assert count cases = 16\n")
        let test2 = try run(["--datasets", Fixtures.small, "test", fifo], timeout: 20)
        XCTAssertEqual(test2.code, 0, test2.out + test2.err)
        XCTAssertTrue(test2.out.contains("1 assertion in 1 file: 1 passed"), test2.out)
    }

    /// A named pipe nothing writes to, given as a script, ran as an empty
    /// script: `run` exited 0 with no output, `test` said it held no
    /// assertion. Now the same located error as for `--data` (exit 2); a
    /// device with nothing to give (/dev/null) too.
    func testScriptFromAPipeWithNoWriterIsAnError() throws {
        let dir = try Fixtures.temporaryDirectory()
        let fifo = dir.appendingPathComponent("s.misq").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for command in ["run", "test"] {
            let r = try run(["--datasets", Fixtures.small, command, fifo], timeout: 20)
            XCTAssertFalse(r.timedOut)
            XCTAssertEqual(r.code, 2, command + ": " + r.out + r.err)
            XCTAssertTrue(r.err.contains("nothing came from this pipe or device"), r.err)
            XCTAssertTrue(r.err.contains("--> \(fifo):1:1"), r.err)
        }
        let null = try run(["--datasets", Fixtures.small, "run", "/dev/null"], timeout: 20)
        XCTAssertEqual(null.code, 2, null.err)
    }

    /// `misq run f` (a one-character path) crashed in Foundation's
    /// `deletingLastPathComponent`; the folder is now found by hand.
    func testOneCharacterScriptName() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "count cases\n".write(to: dir.appendingPathComponent("f"), atomically: true, encoding: .utf8)
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path))
        let r = try run(in: dir, ["--datasets", Fixtures.small, "run", "f"])
        XCTAssertTrue(r.exited)
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.contains("│    16 │"), r.out)  // hand count, see EvaluatorTests
        XCTAssertEqual(PathText.folder(of: "f"), ".")
        XCTAssertEqual(PathText.folder(of: "q/f.misq"), "q")
        XCTAssertEqual(PathText.folder(of: "/f"), "/")
    }

    /// The same trap was reached through `--data x` (the data package
    /// looked up beside the file, the cache folder beside it), and a
    /// history file that is a link named by a one-character path.
    func testOneCharacterDataAndHistoryNames() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "a,b\n1,2\n3,4\n".write(to: dir.appendingPathComponent("x"), atomically: true, encoding: .utf8)
        XCTAssertEqual(symlink("h2", dir.appendingPathComponent("h").path), 0)
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path))
        let r = try run(in: dir, ["--data", "x", "--format", "csv", "-e", "count x"], environment: ["MISQ_HISTORY": "h", "HOME": dir.path])
        XCTAssertTrue(r.exited)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.out, "x\n2\n")  // two rows, by hand
    }

    /// Statements piped from a source that never ends were read into
    /// memory without bound; now to the script limit, then an error.
    func testEndlessStandardInputIsBounded() throws {
        let r = try run(["--datasets", Fixtures.small], stdinFile: "/dev/zero", timeout: 30)
        XCTAssertFalse(r.timedOut)
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("'<stdin>' is a pipe or device giving more than 64 MB"), r.err)
    }

    /// A CSV truncated while a query reads it: the right answer or the
    /// located "changed while it was being read", never a crash (SIGBUS
    /// killed misq in 3 of 5 runs).
    func testTruncatedWhileAQueryReadsIt() throws {
        let dir = try Fixtures.temporaryDirectory()
        let source = dir.appendingPathComponent("source.csv").path
        // 1,500,000 rows, about 30 MB; outcome k % 3 on row k, so 500,000 of each.
        var block = ""
        for k in 0..<15_000 { block += "\(k),\(["alpha", "bravo", "charlie"][k % 3]),2022-01-01\n" }
        let h = try FileHandle(forWritingTo: { FileManager.default.createFile(atPath: source, contents: nil); return URL(fileURLWithPath: source) }())
        h.write(Data("id,outcome,day\n".utf8))
        for _ in 0..<100 { h.write(Data(block.utf8)) }
        try h.close()
        let right = "outcome,rows\nalpha,500000\nbravo,500000\ncharlie,500000\n"
        // Cut after the block's first 3,000 rows (a row boundary): a run
        // that opens the file only after the cut counts those, 1,000 each.
        let cut = off_t(("id,outcome,day\n" + block.split(separator: "\n").prefix(3_000).map { $0 + "\n" }.joined()).utf8.count)
        let short = "outcome,rows\nalpha,1000\nbravo,1000\ncharlie,1000\n"
        let target = dir.appendingPathComponent("t.csv").path
        var changed = 0
        for delay in [0, 20_000, 60_000, 120_000, 250_000, 400_000] {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
            let r = try run(["--data", target, "--format", "csv", "-e", "count rows by outcome"], environment: ["MISQ_CACHE": "off"]) {
                usleep(useconds_t(delay))
                XCTAssertEqual(truncate(target, cut), 0)
            }
            XCTAssertFalse(r.signalled, "misq died of signal \(r.code) with the file truncated after \(delay) µs")
            XCTAssertFalse(r.timedOut)
            if r.code == 0 { XCTAssertTrue(r.out == right || r.out == short, r.out) } else {
                XCTAssertEqual(r.code, 2)
                XCTAssertTrue(r.err.contains("t.csv changed while it was being read"), r.err)
                // At the statement, or at the `--data` option when the
                // cut lands while the file is being opened.
                XCTAssertTrue(r.err.contains("--> <command line>:1:1"), r.err)
                changed += 1
            }
        }
        XCTAssertGreaterThan(changed, 0, "no run saw the truncation: the test did not test it")

        // Rewritten in place while read, every alpha made bravo (same
        // size): the old answer, the new one (bravo 1,000,000, by the same
        // count), or the change reported; never a mix of the two files,
        // which the old code printed with exit 0.
        let rewritten = Array(try String(contentsOfFile: source, encoding: .utf8).replacingOccurrences(of: "alpha", with: "bravo").utf8)
        let new = "outcome,rows\nbravo,1000000\ncharlie,500000\n"
        for delay in [20_000, 60_000, 120_000, 250_000] {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
            let r = try run(["--data", target, "--format", "csv", "-e", "count rows by outcome"], environment: ["MISQ_CACHE": "off"]) {
                usleep(useconds_t(delay))
                let fd = open(target, O_WRONLY)
                _ = rewritten.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                close(fd)
            }
            XCTAssertFalse(r.signalled)
            if r.code == 0 { XCTAssertTrue(r.out == right || r.out == new, "a mix of two files:\n\(r.out)") } else {
                XCTAssertEqual(r.code, 2)
                XCTAssertTrue(r.err.contains("t.csv changed while it was being read"), r.err)
            }
        }
    }

    /// At the prompt: a query, the file rewritten, a query naming another
    /// column. That query used to mix the old file's column with the new
    /// one's; now the dataset is read again, with a note.
    func testPromptReadsAChangedFileAgain() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq not built")
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("t.csv").path
        try "a,b\nx,1\nx,1\ny,2\n".write(toFile: path, atomically: false, encoding: .utf8)
        let t = try ReplPTYTests.Terminal(binary: misqBinary, arguments: ["--data", path, "--format", "csv"],
                                          environment: ["TERM": "xterm", "MISQ_HISTORY": dir.appendingPathComponent("h").path,
                                                        "HOME": dir.path, "PATH": "/usr/bin:/bin", "MISQ_CACHE": "off"])
        XCTAssertTrue(t.waitFor("misq> "), t.screen)
        XCTAssertTrue(t.enter(".mode csv\r", expect: "output: csv"), t.screen)
        XCTAssertTrue(t.enter("count rows by a\r", expect: "y,1"), t.screen)
        // Same size, other values: a = y on 2 rows and z on 1, b = 3 on all (by hand).
        try "a,b\ny,3\ny,3\nz,3\n".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertTrue(t.enter("count rows by a, b\r", expect: "z,3,1"), t.screen)
        XCTAssertTrue(t.screen.contains("changed on disk: dataset 't' is read again from it"), t.screen)
        XCTAssertTrue(t.screen.contains("y,3,2"), t.screen)
        XCTAssertFalse(t.screen.contains("x,3"), "a mix of the two files:\n\(t.screen)")
        t.type(".quit\r")
        XCTAssertEqual(t.waitForExit(), 0, t.screen)
    }

    /// `.datasets` at the prompt lists what loads and shows the bad file's
    /// error, rather than only the error.
    func testPromptListsDatasetsBesideABadFile() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: misqBinary.path), "misq not built")
        let dir = try Fixtures.temporaryDirectory()
        try "a,b\n1,2\n3,4\n".write(to: dir.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        try "a,b\n1,2\n3\n".write(to: dir.appendingPathComponent("broken.csv"), atomically: true, encoding: .utf8)
        let t = try ReplPTYTests.Terminal(binary: misqBinary, arguments: ["--datasets", dir.path],
                                          environment: ["TERM": "xterm", "MISQ_HISTORY": dir.appendingPathComponent("h").path,
                                                        "HOME": dir.path, "PATH": "/usr/bin:/bin", "MISQ_CACHE": "off"])
        XCTAssertTrue(t.waitFor("misq> "), t.screen)
        XCTAssertTrue(t.enter(".datasets\r", expect: "broken.csv:3:2"), t.screen)
        XCTAssertTrue(t.screen.contains("good: 2 rows"), t.screen)
        t.type(".quit\r")
        XCTAssertEqual(t.waitForExit(), 0, t.screen)
    }

    /// misq-synth took a bad `--rows` or `--seed` as its default without a
    /// word (a mistyped `--rows` wrote the calibrated dataset instead), and
    /// had no `--help`.
    func testSynthRefusesBadValuesAndHasHelp() throws {
        let synth = misqBinary.deletingLastPathComponent().appendingPathComponent("misq-synth")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: synth.path), "misq-synth not built")
        let dir = try Fixtures.temporaryDirectory()
        let out = dir.appendingPathComponent("s.csv").path
        XCTAssertEqual(try run(in: dir, ["--help"], binary: synth).status, 0)
        for bad in [["--rows", "abc", "--out", out], ["--rows", "0", "--out", out], ["--seed", "x", "--out", out], ["--rows"], ["--bogus"]] {
            XCTAssertEqual(try run(in: dir, bad, binary: synth).status, 2, "\(bad)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a refused run wrote a file")
    }
}
