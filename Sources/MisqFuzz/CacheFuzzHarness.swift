#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MisqKit

/// What the cache fuzzer (fuzz/targets/cache.swift) and its replay test feed
/// bytes through: a small CSV on disk with a whole cache beside it, one of
/// whose files the input replaces before the queries run again.
/// The first byte chooses the file (metadata or a column) and how:
/// - even: the rest is the whole file, as damage or a forger without the
///   user's key would leave it. The answers must be the CSV's, exactly.
/// - odd: the rest is the file's payload, sealed with the user's key and
///   this build (as only the user could): what the structural checks alone
///   must survive. The answers may differ; there must be no crash or hang.
///   For the metadata the CSV's fingerprint is put first, so the input
///   reaches the row count, header and file list.
public enum CacheFuzzHarness {
    static let queries = ["count rows by outcome with total", "sum days", "count distinct officer_id where suspended",
                          "count rows by year(reported), source", "show rows limit 10"].joined(separator: "\n")

    final class Fixture: @unchecked Sendable {
        let path: String
        let directory: String
        /// The cache's files when whole, by name, in name order.
        let files: [(name: String, bytes: [UInt8])]
        let answer: String

        init?() {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-cache-fuzz-\(getpid())").path
            guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil else { return nil }
            path = dir + "/cases.csv"
            guard (try? AtomicFile.write(FuzzHarness.fixture, to: path)) != nil,
                  let reference = try? CSVFile(path: path, bytes: FuzzHarness.fixture) else { return nil }
            answer = CacheFuzzHarness.run(Dataset(name: "cases", path: path, csv: reference, units: ["rows": .rows]))
            // Twice: the first run builds the cache, the second reads it.
            for _ in 0..<2 { _ = CacheFuzzHarness.run(try? Dataset.bare(name: "cases", path: path)) }
            guard let cache = ColumnCache(csvPath: path), cache.hasReadableMeta,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: cache.directory) else { return nil }
            directory = cache.directory
            files = names.filter { !$0.contains(".tmp-") }.sorted().compactMap { n in (try? CSVFile.read(cache.directory + "/" + n)).map { (n, $0) } }
            guard files.count >= 4 else { return nil }
        }

        func restore() {
            for f in files { try? AtomicFile.write(f.bytes, to: directory + "/" + f.name) }
        }
    }

    nonisolated(unsafe) static var fixture: Fixture?
    static let setUp: Void = { fixture = Fixture() }()

    /// The queries' answers as CSV, errors included.
    static func run(_ ds: Dataset?) -> String {
        guard let ds = ds else { return "(no dataset)" }
        let s = Session()
        do {
            try s.add(ds)
            let events = try ScriptRunner(session: s).run(SourceFile(name: "q", text: queries), mode: .run)
            return events.compactMap { if case .result(let r, _, _, _) = $0 { return Renderer.render(r, as: .csv) } else { return nil } }.joined()
        } catch {
            return DiagnosticRenderer.render(error.misqErrors)
        }
    }

    /// Runs one input; returns what went wrong when a file given whole
    /// changed the answer (the fuzz target aborts on that), else nil.
    @discardableResult
    public static func input(_ bytes: [UInt8]) -> String? {
        _ = setUp
        guard let f = fixture, let first = bytes.first else { return nil }
        f.restore()
        let target = f.files[Int(first >> 1) % f.files.count]
        let rest = Array(bytes.dropFirst())
        if first & 1 == 0 {
            try? AtomicFile.write(rest, to: f.directory + "/" + target.name)
            let got = run(try? Dataset.bare(name: "cases", path: f.path))
            return got == f.answer ? nil : "\(target.name) given \(rest.count) bytes changed the answer:\n\(got)\nnot\n\(f.answer)"
        }
        guard let cache = ColumnCache(csvPath: f.path) else { return nil }
        var payload = rest
        if target.name == "meta" {
            var head = cache.fingerprintWords + [0]  // the CSV now, not racy
            if payload.count < head.count * 8 { payload += [UInt8](repeating: 0, count: head.count * 8 - payload.count) }
            payload.withUnsafeMutableBytes { p in
                for i in head.indices { head[i] = head[i].littleEndian; p.storeBytes(of: head[i], toByteOffset: 8 * i, as: UInt64.self) }
            }
        }
        var w = ColumnCache.Writer()
        w.small = payload
        cache.seal(target.name, w)
        _ = run(try? Dataset.bare(name: "cases", path: f.path))
        return nil
    }

    /// Seed inputs: every file of a whole cache, given whole and as a sealed
    /// payload.
    public static func seeds() -> [[UInt8]] {
        _ = setUp
        guard let f = fixture else { return [] }
        return f.files.indices.flatMap { i -> [[UInt8]] in
            let bytes = f.files[i].bytes
            let payload = Array(bytes[ColumnCache.headerBytes..<(bytes.count - 8)])
            return [[UInt8(2 * i)] + bytes, [UInt8(2 * i + 1)] + payload]
        }
    }
}
