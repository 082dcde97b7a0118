import Foundation
import XCTest
@testable import MisqKit

enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let small = testsDirectory.appendingPathComponent("Fixtures/small").path
    static let golden = testsDirectory.appendingPathComponent("Golden").path

    /// A session over the 20-row fixture, shared: datasets load once.
    static let smallSession: Session = {
        do { return try Session.open(datasetsDirectory: small) } catch { return Session() }
    }()

    /// Runs statements against a fork of the fixture session.
    static func results(_ text: String, session: Session? = nil) throws -> [QueryResult] {
        let s = session ?? smallSession.fork()
        let events = try ScriptRunner(session: s).run(SourceFile(name: "test", text: text), mode: .run)
        return events.compactMap { if case .result(let r, _, _, _) = $0 { return r } else { return nil } }
    }

    static func scalar(_ text: String) throws -> Double {
        guard let v = try results(text).last?.scalarValue else { throw MisqError(.runtime, "not a scalar: \(text)") }
        return v
    }

    /// Grouped result as "key=value" strings, in display order.
    static func groups(_ text: String) throws -> [String] {
        guard case .groups(let g)? = try results(text).last?.body else { throw MisqError(.runtime, "not grouped: \(text)") }
        return g.rows.map { $0.keys.map { $0 ?? "(missing)" }.joined(separator: "/") + "=" + $0.values.map(NumberFormat.plain).joined(separator: ",") }
    }

    /// The built `misq` binary, beside the test bundle in .build/<config>/
    /// (on Linux the bundle is itself an executable in that folder); the
    /// first candidate when none is built, so a test's own check says so.
    static var misqBinary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle(for: ProcessTests.self).bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("misq") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// The binary when it is built, for `XCTUnwrap`.
    static var builtMisqBinary: URL? {
        FileManager.default.isExecutableFile(atPath: misqBinary.path) ? misqBinary : nil
    }

    /// The JSON a script in Differential/ prints for `input` given as JSON
    /// on its standard input: the independent attackers (scipy's LP,
    /// tau-argus) the disclosure tests hold misq to. Skipped when python3
    /// cannot import `module`, unless `variable` is 1 (CI), which fails.
    static func python(_ script: String, importing module: String, install: String, requiredBy variable: String, input: Any) throws -> Data {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import \(module)"]
        probe.standardError = FileHandle.nullDevice
        try probe.run(); probe.waitUntilExit()
        if probe.terminationStatus != 0 {
            let why = "python3 cannot import \(module) (pip install \(install))"
            if ProcessInfo.processInfo.environment[variable] == "1" { throw MisqError(.runtime, "\(variable)=1, and " + why) }
            throw XCTSkip(why)
        }
        let path = testsDirectory.appendingPathComponent("Differential/\(script)").path
        let tmp = try temporaryDirectory()
        let inFile = tmp.appendingPathComponent("in.json"), outFile = tmp.appendingPathComponent("out.json")
        try JSONSerialization.data(withJSONObject: input).write(to: inFile)
        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/bin/sh")
        run.arguments = ["-c", "python3 \"$0\" < \"$1\" > \"$2\"", path, inFile.path, outFile.path]
        try run.run(); run.waitUntilExit()
        guard run.terminationStatus == 0 else { throw MisqError(.runtime, "\(script) failed (exit \(run.terminationStatus))") }
        return try Data(contentsOf: outFile)
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
