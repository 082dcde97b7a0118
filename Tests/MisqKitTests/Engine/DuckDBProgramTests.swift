import XCTest
@testable import MisqKit

/// The `duckdb` misq starts: pip's python script and pyenv's shim are
/// followed to the program they end in (each start through them cost
/// ~0.5 s, bench/RESULTS.md), by the layouts the two tools document. The
/// layouts here are made by hand in a temporary folder as pip and pyenv
/// make them on this machine (`pip show -f duckdb-cli`, the shim in
/// ~/.pyenv/shims); the program is a stand-in file that is not a script.
final class DuckDBProgramTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try Fixtures.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ path: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// pip's console script for duckdb-cli, and the program beside its package.
    func pipInstall(_ prefix: String) throws -> (script: String, program: String) {
        let script = try write("\(prefix)/bin/duckdb", "#!\(dir.path)/\(prefix)/bin/python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom duckdb_cli.__main__ import main\n")
        let program = try write("\(prefix)/lib/python3.11/site-packages/duckdb_cli/duckdb", "\u{7F}ELF not a script")
        return (script, program)
    }

    func shim(_ root: String) throws -> String {
        try write("\(root)/shims/duckdb", """
            #!/usr/bin/env bash
            set -e
            program="${0##*/}"
            export PYENV_ROOT="\(dir.path)/\(root)"
            exec "\(dir.path)/\(root)/libexec/pyenv" exec "$program" "$@"
            """)
    }

    func testPipScriptIsFollowedToItsProgram() throws {
        let (script, program) = try pipInstall("venv")
        XCTAssertEqual(DuckDBProgram.follow(script, environment: [:], directory: dir.path), program)
        // Found on PATH the same way, and MISQ_DUCKDB is taken as given.
        XCTAssertEqual(DuckDBProgram.find(environment: ["PATH": dir.appendingPathComponent("venv/bin").path], directory: dir.path), program)
        XCTAssertEqual(DuckDBProgram.find(environment: ["PATH": dir.appendingPathComponent("venv/bin").path, "MISQ_DUCKDB": script],
                                          directory: dir.path), script)
    }

    func testProgramIsItself() throws {
        let program = try write("bin/duckdb", "\u{7F}ELF not a script")
        XCTAssertEqual(DuckDBProgram.follow(program, environment: [:], directory: dir.path), program)
    }

    func testPyenvShimFollowsTheVersionPyenvWouldPick() throws {
        let shim = try shim("pyenv")
        let (_, global) = try pipInstall("pyenv/versions/3.11.7")
        let (_, local) = try pipInstall("pyenv/versions/3.12.1")
        try Data("3.11.7\n".utf8).write(to: dir.appendingPathComponent("pyenv/version"))
        let project = dir.appendingPathComponent("project/sub")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        // The global version file, then a .python-version above the folder, then PYENV_VERSION.
        XCTAssertEqual(DuckDBProgram.follow(shim, environment: [:], directory: project.path), global)
        try Data("# pinned\n3.12.1\n".utf8).write(to: dir.appendingPathComponent("project/.python-version"))
        XCTAssertEqual(DuckDBProgram.follow(shim, environment: [:], directory: project.path), local)
        XCTAssertEqual(DuckDBProgram.follow(shim, environment: ["PYENV_VERSION": "3.11.7"], directory: project.path), global)
        // A version without duckdb-cli, or the system's python: the shim runs as it is.
        XCTAssertEqual(DuckDBProgram.follow(shim, environment: ["PYENV_VERSION": "system"], directory: project.path), shim)
        XCTAssertEqual(DuckDBProgram.follow(shim, environment: ["PYENV_VERSION": "3.9.0"], directory: project.path), shim)
    }

    func testScriptMisqCannotFollowRunsAsItIs() throws {
        let other = try write("bin/duckdb", "#!/bin/sh\nexec /opt/duckdb/duckdb \"$@\"\n")
        XCTAssertEqual(DuckDBProgram.follow(other, environment: [:], directory: dir.path), other)
        // pip's script whose package has no program (a development install downloads it): the script.
        let script = try write("dev/bin/duckdb", "#!/usr/bin/python3\nfrom duckdb_cli.__main__ import main\n")
        XCTAssertEqual(DuckDBProgram.follow(script, environment: [:], directory: dir.path), script)
    }
}
