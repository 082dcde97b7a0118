import Foundation

/// A program run to its end with bytes on its standard input, its output
/// and errors read whole (each on its own thread, so neither pipe fills
/// and stalls the other): DuckDB's CLI for `--engine duckdb:`.
enum Subprocess {
    /// The program's path: `override` from the environment if set, else
    /// the first `name` on PATH.
    static func find(_ name: String, override variable: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env[variable], !p.isEmpty { return p }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], input: Data) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stderr
        do { try p.run() } catch {
            throw MisqError(.io, "cannot run \(executable): \(error.localizedDescription)")
        }
        let group = DispatchGroup()
        let box = Box()
        DispatchQueue.global().async(group: group) { box.err = stderr.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, out, box.err)
    }

    private final class Box: @unchecked Sendable { var err = Data() }
}
