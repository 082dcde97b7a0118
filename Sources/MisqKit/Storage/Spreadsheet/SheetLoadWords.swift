import Foundation

extension SheetSelection {
    /// The words of a `load` that pick this table out again, the sheet
    /// named as found (`sheetName`) when the selection left it to the file.
    func loadTable(sheetName: String?) -> LoadTable {
        var t = LoadTable()
        t.sheet = sheet ?? sheetName
        t.headerRow = request.headerRow.map { $0 + 1 }
        t.range = request.range.map { CellReference.name(row: $0.r0, column: $0.c0) + ":" + CellReference.name(row: $0.r1, column: $0.c1) }
        return t
    }
}

extension Dataset {
    /// A `load` statement that reads this dataset again with `period` as
    /// its period column: a spreadsheet's sheet, header row and range
    /// included, so the suggestion loads the same table (a hint without
    /// the sheet loaded the first sheet instead). `namingSheet`: name the
    /// first sheet when the load left it unnamed, which reads the sheet if
    /// the cache had spared it (describe reads it anyway; a footer should not).
    func loadStatement(period: String, namingSheet: Bool = true) -> String {
        let table = source.sheetSelection.map { $0.loadTable(sheetName: namingSheet ? try? source.sheetTable().sheetName : nil) } ?? LoadTable()
        let statement = Statement(kind: .load(path: path, pathSpan: .none, name: Name(name, .none), period: Name(period, .none), table: table),
                                  span: .none, note: nil)
        return statement.description
    }
}
