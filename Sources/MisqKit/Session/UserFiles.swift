/// The files a user names — scripts to run or test, CSVs to query — read
/// through the library, so the command line and the prompt need nothing
/// from storage and every way in gives the same limits and errors.
extension SourceFile {
    /// A script or package file (`misq run`, `misq test`, `.run`): at most
    /// `CSVFile.scriptLimit` bytes; a pipe or device is read to its end.
    public static func read(script path: String) throws -> SourceFile {
        SourceFile(name: path, text: String(decoding: try CSVFile.read(path), as: UTF8.self))
    }

    /// Standard input as a script (`misq < queries.misq`), to the same limit.
    public static func readStandardInput() throws -> SourceFile {
        SourceFile(name: "<stdin>", text: String(decoding: try CSVFile.readStandardInput(), as: UTF8.self))
    }
}

extension Session {
    /// A CSV the user named (`--data FILE`) as a dataset, named for its file
    /// unless `name` is given, with types inferred, or as the resource a
    /// `datapackage.json` beside it describes. Its rows are read by the
    /// first query that needs them.
    /// A spreadsheet is its first sheet, or the one `FILE#SHEET` names.
    public func addCSV(_ path: String, as name: String? = nil) throws {
        let (file, sheet) = SheetSelection.split(path)
        try add(Dataset.bare(name: name ?? Session.datasetName(fromFile: file), path: file, sheet: sheet))
    }

    /// `.load FILE [as NAME]`: as `addCSV`, but every row is read and checked
    /// first, so a bad file is reported and not added. Returns its rows.
    public func loadCSV(_ path: String, as name: String? = nil) throws -> Int {
        let (file, sheet) = SheetSelection.split(path)
        let d = try Dataset.bare(name: name ?? Session.datasetName(fromFile: file), path: file, sheet: sheet)
        let rows = try d.rowCount
        try add(d)
        return rows
    }

    /// For a session that answers one statement and ends (`misq -e` with a
    /// single statement): nothing parsed is kept for a later query, so a
    /// column needed only for the selected rows is parsed for those rows
    /// alone. Applies to the datasets loaded so far.
    public func readSelectedRowsOnly() {
        for ds in datasets { ds.readsSelectedRowsOnly = true }
    }

    /// The loaded datasets by name, each with whether its data is synthetic
    /// (for the prompt's greeting).
    public var datasetNames: [(name: String, synthetic: Bool)] {
        datasets.map { ($0.name, $0.provenance.synthetic) }
    }
}
