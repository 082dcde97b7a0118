import XCTest
import MisqCLI
@testable import MisqKit

/// The REPL's files: where history goes and how it is kept, and the paths
/// Tab offers after `load "` and `.run`.
final class HistoryAndPathTests: XCTestCase {
    func testHistoryFollowsHOME() {
        XCTAssertEqual(HistoryFile.defaultPath(environment: ["HOME": "/elsewhere"]), "/elsewhere/.misq_history")
        XCTAssertEqual(HistoryFile.defaultPath(environment: ["HOME": "/elsewhere", "MISQ_HISTORY": "/h/x"]), "/h/x")
    }

    /// Two sessions share the file: each entry is merged with what the other
    /// saved, in the order typed, never overwriting it.
    func testTwoSessionsMerge() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("history").path
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        let a = HistoryFile(path: path), b = HistoryFile(path: path)
        XCTAssertEqual(a.load(), ["old"]); XCTAssertEqual(b.load(), ["old"])
        try a.append("count cases")
        try b.append("count allegations\nwhere vawg")
        try a.append("old")  // typed again: moves to the end, kept once
        XCTAssertEqual(HistoryFile(path: path).load(), ["count cases", "count allegations\nwhere vawg", "old"])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "count cases\ncount allegations\\nwhere vawg\nold\n")
    }

    func testNewHistoryIs0600AndAnExistingModeIsKept() throws {
        let dir = try Fixtures.temporaryDirectory()
        let fresh = dir.appendingPathComponent("fresh").path
        try HistoryFile(path: fresh).append("count cases")
        XCTAssertEqual(try mode(fresh), 0o600)
        let kept = dir.appendingPathComponent("kept").path
        try "x\n".write(toFile: kept, atomically: true, encoding: .utf8)
        chmod(kept, 0o600)
        try HistoryFile(path: kept).append("count cases")
        XCTAssertEqual(try mode(kept), 0o600)
    }

    func testASymlinkedHistoryStaysALink() throws {
        let dir = try Fixtures.temporaryDirectory()
        let target = dir.appendingPathComponent("dotfiles/misq_history").path
        try FileManager.default.createDirectory(atPath: dir.appendingPathComponent("dotfiles").path, withIntermediateDirectories: true)
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent(".misq_history").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "dotfiles/misq_history")
        try HistoryFile(path: link).append("count cases")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "dotfiles/misq_history")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old\ncount cases\n")
        // Nothing left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("dotfiles").path), ["misq_history"])
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    /// `.run queries/⇥` lists the folder's files (it offered the folder itself).
    func testPathsInsideAFolder() throws {
        let dir = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.appendingPathComponent("queries/old").path, withIntermediateDirectories: true)
        for f in ["queries/a.misq", "queries/b.misq", "queries/.hidden", "exports.csv"] {
            try "".write(toFile: dir.appendingPathComponent(f).path, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(Completer.files(matching: "queries/", in: dir.path), ["queries/a.misq", "queries/b.misq", "queries/old/"])
        XCTAssertEqual(Completer.files(matching: "queries/a", in: dir.path).filter { $0.hasPrefix("queries/a") }, ["queries/a.misq"])
        XCTAssertEqual(Completer.files(matching: "", in: dir.path), ["exports.csv", "queries/"])
        XCTAssertEqual(Completer.files(matching: "queries/.h", in: dir.path).filter { $0.hasPrefix("queries/.h") }, ["queries/.hidden"])
        XCTAssertEqual(Completer.files(matching: dir.path + "/q", in: "/nonexistent").filter { $0.hasPrefix(dir.path + "/q") }, [dir.path + "/queries/"])
    }

    /// After a folder nothing is added (the next Tab goes on); after a file
    /// inside `load "…` the string is closed; elsewhere a space.
    func testWhatFollowsACompletion() {
        XCTAssertNil(Completer.appended(after: ["exports/data/"], context: "load \""))
        XCTAssertEqual(Completer.appended(after: ["exports/x.csv"], context: "load \""), "\"")
        XCTAssertEqual(Completer.appended(after: ["queries/a.misq"], context: ".run "), " ")
        XCTAssertNil(Completer.appended(after: ["percent("], context: ""))
        XCTAssertEqual(Completer.appended(after: ["count"], context: ""), " ")
    }
}
