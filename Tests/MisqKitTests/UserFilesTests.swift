import XCTest
@testable import MisqKit

/// The command line reads scripts and CSVs through the library's own entry
/// points (`SourceFile.read(script:)`, `Session.addCSV`, `Session.loadCSV`,
/// `Session.readSelectedRowsOnly`) and names nothing from `Storage`.
final class UserFilesTests: XCTestCase {
    /// Every type `Sources/MisqKit/Storage` declares, and the one flag the
    /// command line used to set on a dataset, is absent from the code (not
    /// the comments) of `Sources/MisqCLI`.
    func testTheCommandLineNamesNothingFromStorage() throws {
        let sources = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let fm = FileManager.default
        func files(_ folder: String) throws -> [URL] {
            let dir = sources.appendingPathComponent(folder)
            return try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }.map { dir.appendingPathComponent($0) }
        }
        let declaration = try NSRegularExpression(pattern: #"^\s*(?:public |package |final |@usableFromInline |indirect )*(?:struct|class|enum|protocol|actor) ([A-Z][A-Za-z0-9]*)"#,
                                                  options: .anchorsMatchLines)
        var storageNames: Set<String> = ["readsSelectedRowsOnly"]
        for f in try files("MisqKit/Storage") {
            let text = try String(contentsOf: f, encoding: .utf8)
            for m in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let r = Range(m.range(at: 1), in: text) { storageNames.insert(String(text[r])) }
            }
        }
        XCTAssertTrue(storageNames.isSuperset(of: ["CSVFile", "Dataset", "FileBytes"]), "\(storageNames.sorted())")
        var found: [String] = []
        for f in try files("MisqCLI") {
            let lines = try String(contentsOf: f, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() {
                let code = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line[...]
                let words = Set(code.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
                for name in words.intersection(storageNames).sorted() { found.append("\(f.lastPathComponent):\(i + 1): \(name)") }
            }
        }
        XCTAssertEqual(found, [], "the command line reaches into Storage")
    }

    func testLoadCSVReadsEveryRowBeforeAdding() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("forces.csv").path
        try Data("force,cases\nMet,12\n東京,3\nKent,7\n".utf8).write(to: URL(fileURLWithPath: good))
        let s = Session()
        XCTAssertEqual(try s.loadCSV(good), 3)  // three data lines, counted by hand
        XCTAssertNotNil(s.dataset(named: "forces"))
        XCTAssertEqual(try s.loadCSV(good, as: "again"), 3)
        XCTAssertEqual(s.datasetNames.map(\.name).sorted(), ["again", "forces"])
        XCTAssertEqual(s.datasetNames.map(\.synthetic), [false, false])
        // A bad row further down is found before the file is added.
        let ragged = Fixtures.testsDirectory.appendingPathComponent("Malformed/ragged_many.csv").path
        XCTAssertThrowsError(try s.loadCSV(ragged)) { e in
            XCTAssertTrue((e as? MisqError)?.message.contains("more than the 2 fields") ?? false, "\(e)")
        }
        XCTAssertNil(s.dataset(named: "ragged_many"))
    }

    func testReadSelectedRowsOnlyMarksTheDatasetsLoaded() throws {
        let s = Session()
        try s.addCSV(Fixtures.testsDirectory.appendingPathComponent("Malformed/mixed_types.csv").path)
        XCTAssertEqual(s.datasets.map(\.readsSelectedRowsOnly), [false])
        s.readSelectedRowsOnly()
        XCTAssertEqual(s.datasets.map(\.readsSelectedRowsOnly), [true])
    }

    func testScriptReadingKeepsTheScriptLimit() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("q.misq").path
        try Data("count cases\n".utf8).write(to: URL(fileURLWithPath: path))
        let script = try SourceFile.read(script: path)
        XCTAssertEqual(script.name, path)
        XCTAssertEqual(script.text, "count cases\n")
        let saved = CSVFile.scriptLimit
        CSVFile.scriptLimit = 4
        defer { CSVFile.scriptLimit = saved }
        XCTAssertThrowsError(try SourceFile.read(script: path)) { e in
            XCTAssertTrue((e as? MisqError)?.message.contains("misq reads scripts of at most 4 bytes") ?? false, "\(e)")
        }
    }
}
