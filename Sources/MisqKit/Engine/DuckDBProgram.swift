import Foundation

/// Which program `--engine duckdb:` and `misq export --to duckdb:` start.
///
/// PyPI's `duckdb-cli` (what `.ci/run` installs) puts a python script on
/// PATH that starts python, which then starts the real program shipped
/// beside it in the package; under pyenv a shell script (the shim) runs
/// pyenv first to find that python script. Each start of misq paid for
/// both, about 0.5 s on the bench machine against 0.05 s for the program
/// itself (bench/RESULTS.md), more than DuckDB takes to answer most
/// queries. So the scripts are followed to the program they end in, by
/// the layouts pip and pyenv document, without running either; a script
/// misq cannot follow is run as it is (slower, same answers).
/// `MISQ_DUCKDB` is used exactly as given.
enum DuckDBProgram {
    static func find(environment env: [String: String] = ProcessInfo.processInfo.environment,
                     directory: String = FileManager.default.currentDirectoryPath) -> String? {
        if let p = env["MISQ_DUCKDB"], !p.isEmpty { return p }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/duckdb"
            if FileManager.default.isExecutableFile(atPath: path) { return follow(path, environment: env, directory: directory) }
        }
        return nil
    }

    /// The program a `duckdb` on PATH ends in: itself if it is not a
    /// script; the package's program for pip's script; the pip script of
    /// the python version pyenv would pick for a pyenv shim.
    static func follow(_ path: String, environment env: [String: String], directory: String, depth: Int = 0) -> String {
        guard depth < 3, let head = scriptText(path) else { return path }
        if let root = pyenvRoot(shim: head) {
            for version in pyenvVersions(root: root, environment: env, directory: directory) where version != "system" {
                let candidate = "\(root)/versions/\(version)/bin/duckdb"
                if FileManager.default.isExecutableFile(atPath: candidate) {
                    return follow(candidate, environment: env, directory: directory, depth: depth + 1)
                }
            }
            return path
        }
        if head.contains("duckdb_cli") {
            // pip's script lives in PREFIX/bin; the package in PREFIX/lib/pythonX.Y/site-packages.
            let prefix = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            let lib = prefix + "/lib"
            let pythons = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).filter { $0.hasPrefix("python") }.sorted()
            for p in pythons {
                let program = "\(lib)/\(p)/site-packages/duckdb_cli/duckdb"
                if FileManager.default.isExecutableFile(atPath: program), scriptText(program) == nil { return program }
            }
        }
        return path
    }

    /// The start of a file that is a script (`#!`), nil for a program.
    static func scriptText(_ path: String) -> String? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        let data = (try? h.read(upToCount: 4096)) ?? Data()
        guard data.starts(with: Data("#!".utf8)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// PYENV_ROOT as a pyenv shim sets it (`export PYENV_ROOT="…"`, then `exec …/libexec/pyenv exec`).
    static func pyenvRoot(shim text: String) -> String? {
        guard text.contains("pyenv\" exec") || text.contains("pyenv exec") else { return nil }
        for line in text.split(separator: "\n") {
            let l = line.trimmingCharacters(in: .whitespaces)
            guard l.hasPrefix("export PYENV_ROOT=") else { continue }
            let value = l.dropFirst("export PYENV_ROOT=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The versions pyenv would use, in its documented order: PYENV_VERSION,
    /// else the nearest `.python-version` from the current folder up, else
    /// PYENV_ROOT/version, else the system's python.
    static func pyenvVersions(root: String, environment env: [String: String], directory: String) -> [String] {
        // Versions separated by spaces, colons or lines; a line starting with # is a comment.
        func parse(_ text: String) -> [String] {
            text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "\t" }).map(String.init) }
        }
        if let v = env["PYENV_VERSION"], !v.isEmpty { return parse(v) }
        var dir = directory
        while true {
            if let text = try? String(contentsOfFile: dir + "/.python-version", encoding: .utf8) { return parse(text) }
            let up = (dir as NSString).deletingLastPathComponent
            if up == dir || up.isEmpty { break }
            dir = up
        }
        if let text = try? String(contentsOfFile: root + "/version", encoding: .utf8) { return parse(text) }
        return ["system"]
    }
}
