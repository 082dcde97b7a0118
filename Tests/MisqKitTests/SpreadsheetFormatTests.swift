import XCTest
@testable import MisqKit

/// Files that are not workbooks misq reads, each named for what it is with
/// what to do (Fixtures/sheets/format, written by
/// Tests/Spreadsheets/make_format_fixtures.py: LibreOffice's .xls, an
/// .xlsx encrypted by msoffcrypto-tool, an ODS whose manifest declares its
/// content encrypted, HTML under an .xls name). python-calamine raises
/// PasswordError ("Workbook is password protected") for both locked files
/// and reads old.xls as the sheets 'Cover sheet' and 'Table 3'; misq reads
/// none, and says which it is rather than "its ZIP directory is damaged".
final class SpreadsheetFormatTests: XCTestCase {
    static let dir = Fixtures.testsDirectory.appendingPathComponent("Fixtures/sheets/format").path

    func loadError(_ statement: String) throws -> MisqError {
        let s = Session()
        s.baseDirectory = Self.dir
        do {
            _ = try ScriptRunner(session: s).run(SourceFile(name: "t.misq", text: statement), mode: .run)
        } catch {
            return try XCTUnwrap(error.misqErrors.first)
        }
        throw MisqError(.runtime, "loaded: \(statement)")
    }

    func testEachIsNamedForWhatItIsAtTheFileName() throws {
        for (file, says, suggests) in [
            ("old.xls", "is an Excel 97–2003 workbook (.xls, the old binary format), which misq does not read", "save it as .xlsx or .ods"),
            ("locked.xlsx", "is a password-protected (encrypted) workbook", "save a copy as .xlsx or .ods with no password"),
            ("locked.ods", "is a password-protected (encrypted) OpenDocument spreadsheet", "save a copy as .ods or .xlsx with no password"),
            ("export.xls", "is text (HTML or XML), not a workbook", "save it as .xlsx or .ods"),
        ] {
            let statement = "load \"\(file)\" as t"
            let e = try loadError(statement)
            XCTAssertTrue(e.message.contains(says), "\(file): \(e.message)")
            XCTAssertTrue(e.suggestion?.contains(suggests) == true, "\(file): \(e.suggestion ?? "no suggestion")")
            XCTAssertFalse(e.message.contains("ZIP"), "\(file): \(e.message)")
            XCTAssertEqual(e.source.map { $0.text(e.span) }, "\"\(file)\"", file)
        }
    }

    /// The `#sheet` form and `--data` reach the same check.
    func testTheCommandLineFormSaysTheSame() throws {
        let s = Session()
        XCTAssertThrowsError(try s.addCSV(Self.dir + "/old.xls#Table 3")) { e in
            XCTAssertTrue((e.misqErrors.first?.message ?? "").contains("Excel 97–2003 workbook"), "\(e)")
        }
    }
}
