import Foundation
import MisqKit
import ZIPFoundation

/// Spreadsheet bytes through the XLSX and ODS readers, as FuzzHarness.csv
/// does for CSV. The first byte chooses the shape: raw bytes as a whole
/// workbook (the ZIP reader's inputs), or the rest as one XML part inside
/// a valid workbook around it (a sheet, shared strings, styles, the
/// workbook part, or an ODS's content.xml), so the fuzzer reaches the XML
/// readers without first having to write a ZIP. Any MisqError is a correct
/// answer; a crash, hang or sanitizer report is not.
public enum SheetFuzzHarness {
    static let workbook = #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    static let sheet = #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>n</t></is></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>45000</v></c></row></sheetData></worksheet>"#
    static let strings = #"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>force</t></si><si><t>Kent</t></si></sst>"#
    static let styles = #"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>"#

    public static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let rest = Data(bytes.dropFirst())
        var parts: [(String, Data)] = [("xl/workbook.xml", Data(workbook.utf8)), ("xl/worksheets/sheet1.xml", Data(sheet.utf8)),
                                       ("xl/sharedStrings.xml", Data(strings.utf8)), ("xl/styles.xml", Data(styles.utf8))]
        let workbookBytes: [UInt8]
        switch first % 6 {
        case 0: workbookBytes = Array(rest)
        case 5: workbookBytes = zip([("mimetype", Data("application/vnd.oasis.opendocument.spreadsheet".utf8)), ("content.xml", rest)])
        default:
            parts[Int(first % 6) - 1].1 = rest
            workbookBytes = zip(parts)
        }
        guard let ds = try? Dataset.spreadsheet(name: "d", path: "fuzz.xlsx", bytes: workbookBytes) else { return }
        FuzzHarness.typeAndDescribe(ds)
    }

    static func zip(_ entries: [(String, Data)]) -> [UInt8] {
        guard let archive = try? Archive(data: Data(), accessMode: .create) else { return [] }
        for (path, data) in entries {
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
        return Array(archive.data ?? Data())
    }
}
