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

    /// A device node as the history (what `MISQ_HISTORY=/dev/null` is) is
    /// neither read nor replaced by a plain file, directly or through a
    /// symlink; a FIFO does not block the REPL. Failed before: the node
    /// became a regular file, and `load()` on the FIFO never returned.
    func testADeviceOrFIFOIsNotAHistory() throws {
        let dir = try Fixtures.temporaryDirectory()
        let node = dir.appendingPathComponent("mynull").path
        // makedev(1, 3): the numbers of /dev/null.
        XCTAssertEqual(mknod(node, S_IFCHR | 0o666, dev_t(1 << 8 | 3)), 0, "mknod needs root")
        let link = dir.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "mynull")
        for path in [node, link] {
            let h = HistoryFile(path: path)
            XCTAssertEqual(h.refusal(), "history off: \(node) is not a regular file")
            XCTAssertEqual(h.load(), [])
            XCTAssertThrowsError(try h.append("count cases"))
            var info = stat()
            XCTAssertEqual(lstat(node, &info), 0)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "the node is still a device")
        }
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let h = HistoryFile(path: fifo)
        XCTAssertNotNil(h.refusal())
        XCTAssertEqual(h.load(), [])  // returns: nothing writes to the FIFO
        XCTAssertThrowsError(try h.append("count cases"))
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)
    }

    /// A history over 8 MB is not something misq wrote: left alone, with a note.
    func testAHugeHistoryIsNotRead() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("big").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(truncate(path, off_t(HistoryFile.maxBytes + 1)), 0)
        XCTAssertEqual(HistoryFile(path: path).refusal(), "history off: \(path) is over 8 MB")
        XCTAssertEqual(HistoryFile(path: path).load(), [])
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
