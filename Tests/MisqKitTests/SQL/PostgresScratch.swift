import Foundation
import XCTest
@testable import MisqKit

/// A database of its own for one test, made on the server MISQ_POSTGRES_URL
/// names (`.ci/run` starts a throwaway cluster and sets it) and dropped
/// after. Without that variable a test that needs one is skipped, unless
/// MISQ_REQUIRE_POSTGRES=1 (as `.ci/run` sets), when it fails.
struct PostgresScratch {
    /// The new database's URL (with the server's password).
    let url: String
    let name: String
    private let admin: String

    static func serverURL() throws -> String {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["MISQ_POSTGRES_URL"], !url.isEmpty else {
            if env["MISQ_REQUIRE_POSTGRES"] == "1" { throw MisqError(.runtime, "MISQ_REQUIRE_POSTGRES=1, and MISQ_POSTGRES_URL is not set") }
            throw XCTSkip("no PostgreSQL to run on: set MISQ_POSTGRES_URL (.ci/postgres.sh starts one)")
        }
        return url
    }

    init() throws {
        admin = try Self.serverURL()
        name = "misq_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try PostgresConnection(url: admin).execute("CREATE DATABASE \(name)")
        guard var parts = URLComponents(string: admin) else { throw MisqError(.runtime, "MISQ_POSTGRES_URL is not a URL") }
        parts.path = "/" + name
        guard let u = parts.string else { throw MisqError(.runtime, "MISQ_POSTGRES_URL is not a URL") }
        url = u
    }

    func drop() {
        try? PostgresConnection(url: admin).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The server's password, which no output may hold.
    static func password(of url: String) -> String? {
        URLComponents(string: url)?.password.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// psql, PostgreSQL's own client, as the independent reader: its
    /// unaligned output, one line per row, `|` between values.
    static func psql(_ url: String, _ sql: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw MisqError(.runtime, "psql exited \(p.terminationStatus): \(errors)") }
        return Array(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(text.hasSuffix("\n") ? 1 : 0))
    }
}
