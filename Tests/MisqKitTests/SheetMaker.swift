import Foundation
@testable import MisqKit

/// Small XLSX workbooks built from rows of cell text for layout tests: a
/// text that reads as a number is written as a number, nil is no cell,
/// `merges` are written as the workbook's mergeCells (the anchor keeps the
/// value, the other cells are absent, as openpyxl and Excel write them).
enum SheetMaker {
    static func xlsx(_ rows: [[String?]], merges: [String] = [], sheetName: String = "Data", name: String) throws -> String {
        var xml = ""
        for (i, row) in rows.enumerated() where row.contains(where: { $0 != nil }) {
            xml += "<row r=\"\(i + 1)\">"
            for (k, v) in row.enumerated() {
                guard let v = v else { continue }
                let ref = CellReference.name(row: i, column: k)
                let escaped = v.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                xml += Double(v) != nil ? "<c r=\"\(ref)\"><v>\(v)</v></c>" : "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(escaped)</t></is></c>"
            }
            xml += "</row>"
        }
        let mergeXML = merges.isEmpty ? "" : "<mergeCells count=\"\(merges.count)\">" + merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        let sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(xml)</sheetData>\(mergeXML)</worksheet>"
        let book = SpreadsheetHostileTests.workbook.replacingOccurrences(of: "name=\"Data\"", with: "name=\"\(sheetName)\"")
        let zip = try SpreadsheetHostileTests.zip([("xl/workbook.xml", book), ("xl/worksheets/sheet1.xml", sheet)])
        let path = try Fixtures.temporaryDirectory().appendingPathComponent(name).path
        try zip.write(to: URL(fileURLWithPath: path))
        return path
    }
}
