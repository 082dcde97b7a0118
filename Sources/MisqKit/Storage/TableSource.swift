import Foundation
/// Where a dataset's columns come from. The header and row count come from
/// the cache when it matches the CSV, so a warm run never reads the CSV;
/// otherwise the CSV's header is read here and its rows on first need.
final class TableSource: @unchecked Sendable {
    let path: String
    let header: [String]
    let cache: ColumnCache?
    /// Rows, once known: from the cache's metadata or a pass over the CSV.
    private(set) var knownRowCount: Int?
    private var opened: CSVFile?
    /// For a spreadsheet: which table of it, and the table once read.
    let sheetSelection: SheetSelection?
    /// What loading the file left out that every result must say (a
    /// spreadsheet's rows below a blank row); kept in the cache's metadata
    /// so a warm run, which never reads the sheet, says it too.
    private(set) var loadNotes: [String] = []
    /// The sheet read, as the workbook spells it (`Table 3` for `sheet
    /// "table 3"`, the first visible sheet's name when none was named),
    /// for the answer's provenance. A warm run has it from the cache's
    /// metadata notes, after `sheetNameMark`: the metadata format keeps
    /// notes, and a new field would change every cache file's layout.
    private(set) var sheetName: String?
    static let sheetNameMark = "\u{1}sheet:"
    /// Per column, the markers an answer measuring it names; kept in the
    /// cache's metadata notes after `markerMark` as `NAME<tab>NOTE`.
    private(set) var markerNotes: [String: String] = [:]
    static let markerMark = "\u{1}markers:"
    private var sheet: SheetTable?
    private let lock = NSLock()
    /// Made in memory: there is no file to open or to have changed.
    private var inMemory = false
    /// The file as it was when this source was made (before its cache was
    /// looked up), so a change after it shows (`hasChanged`); nil for bytes
    /// in memory.
    let identity: FileFingerprint?

    /// A CSV held in memory (tests, the fuzzer), indexed already: no cache.
    init(csv: CSVFile) {
        path = csv.path; header = csv.header; cache = nil; opened = csv; sheetSelection = nil
        identity = csv.file.identity
        knownRowCount = try? csv.rowCount
    }

    /// A table held in memory (`Dataset.inMemory`): its header and row
    /// count, no CSV behind it (`csv()` is an error), no cache.
    init(memoryHeader header: [String], rows: Int, path: String) {
        self.path = path; self.header = header; cache = nil; identity = nil; sheetSelection = nil
        knownRowCount = rows
        inMemory = true
    }

    /// A file that could not be read: no columns, and every use an error
    /// (`Dataset.unusable`).
    init(unreadable path: String) {
        self.path = path; header = []; cache = nil; sheetSelection = nil
        identity = FileFingerprint.of(path)
    }

    /// A CSV on disk, through its cache when there is a usable one.
    init(path: String) throws {
        self.path = path
        sheetSelection = nil
        identity = FileFingerprint.of(path)
        let cache = ColumnCache(csvPath: path)
        self.cache = cache
        if let meta = cache?.readMeta() {
            header = meta.header; knownRowCount = meta.rowCount
        } else {
            let csv = try CSVFile(path: path)
            header = csv.header; opened = csv
        }
    }

    /// A table of a spreadsheet on disk, through its cache (keyed on the
    /// file and the selection) when there is a usable one; else the sheet
    /// is read now, whole (a sheet's XML is one stream).
    init(path: String, sheet selection: SheetSelection) throws {
        self.path = path
        sheetSelection = selection
        identity = FileFingerprint.of(path)
        let cache = ColumnCache(csvPath: path, variant: selection.cacheKey)
        self.cache = cache
        if let meta = cache?.readMeta() {
            header = meta.header; knownRowCount = meta.rowCount
            loadNotes = meta.notes.filter { !$0.hasPrefix(TableSource.sheetNameMark) && !$0.hasPrefix(TableSource.markerMark) }
            sheetName = meta.notes.first { $0.hasPrefix(TableSource.sheetNameMark) }.map { String($0.dropFirst(TableSource.sheetNameMark.count)) }
            for n in meta.notes where n.hasPrefix(TableSource.markerMark) {
                let pair = n.dropFirst(TableSource.markerMark.count).split(separator: "\t", maxSplits: 1)
                if pair.count == 2 { markerNotes[String(pair[0])] = String(pair[1]) }
            }
        } else {
            let t = try SheetTable.read(path: path, selection: selection)
            header = t.header; knownRowCount = t.rowCount; sheet = t; loadNotes = t.loadNotes; sheetName = t.sheetName; markerNotes = t.markerNotes
            cache?.writeMeta(.init(header: t.header, rowCount: t.rowCount, notes: t.loadNotes + [TableSource.sheetNameMark + t.sheetName]
                                   + t.markerNotes.sorted { $0.key < $1.key }.map { TableSource.markerMark + $0.key + "\t" + $0.value }))
        }
    }

    /// A table in memory (tests, the fuzzer): no cache.
    init(sheet table: SheetTable, selection: SheetSelection) {
        path = table.path; header = table.header; cache = nil; sheetSelection = selection
        identity = FileFingerprint.of(table.path)
        knownRowCount = table.rowCount; sheet = table; loadNotes = table.loadNotes; sheetName = table.sheetName; markerNotes = table.markerNotes
    }

    /// The same table read again from the file as it is now.
    func reopened() throws -> TableSource {
        if let s = sheetSelection { return try TableSource(path: path, sheet: s) }
        return try TableSource(path: path)
    }

    /// The spreadsheet's table, read on first need: the same header as
    /// the cache's, or the file changed.
    func sheetTable() throws -> SheetTable {
        lock.lock(); defer { lock.unlock() }
        if let t = sheet { return t }
        guard let s = sheetSelection else { throw MisqError(.data, "\(path) is not a spreadsheet") }
        guard FileFingerprint.of(path) == identity else { throw CSVFile.changedError(path) }
        let t = try SheetTable.read(path: path, selection: s)
        guard t.header == header, t.rowCount == knownRowCount else { throw CSVFile.changedError(path) }
        sheet = t
        return t
    }

    /// What naming the columns changed from the header as written
    /// (`CSVFile.headerNotes`). A warm run has the names from the cache and
    /// reads the header line again only when asked (by `describe`).
    var headerNotes: [String] {
        if sheetSelection != nil { return (try? sheetTable().notes) ?? [] }
        lock.lock()
        let c = opened, memory = inMemory
        lock.unlock()
        if let c = c { return c.headerNotes }
        // A file that could not be read (no header) is not opened again.
        if header.isEmpty || memory { return [] }
        return (try? CSVFile(path: path).headerNotes) ?? []
    }

    /// Whether the CSV has been opened (a warm run never opens it).
    var isIndexed: Bool { lock.lock(); defer { lock.unlock() }; return opened != nil }

    /// Rows in the CSV: checks and indexes it if nothing has yet.
    var rowCount: Int {
        get throws {
            lock.lock()
            if let n = knownRowCount { lock.unlock(); return n }
            lock.unlock()
            return try settle(try csv())
        }
    }

    /// Records the row count of a CSV that has been scanned, checking it
    /// against the cache's metadata, and writes the metadata if new.
    @discardableResult
    func settle(_ c: CSVFile) throws -> Int {
        let n = try c.rowCount
        lock.lock(); defer { lock.unlock() }
        if let known = knownRowCount {
            guard known == n else { throw CSVFile.changedError(path) }
            return n
        }
        knownRowCount = n
        cache?.writeMeta(.init(header: header, rowCount: n))
        return n
    }

    /// The CSV, opened on first need: the same file as when the header or
    /// the cache was read, or an error.
    func csv() throws -> CSVFile {
        lock.lock(); defer { lock.unlock() }
        if let c = opened { return c }
        if inMemory { throw MisqError(.data, "'\(path)' is held in memory: it has no file to read") }
        let c = try CSVFile(path: path)
        guard c.header == header, c.file.isStream || c.file.identity == identity else { throw CSVFile.changedError(path) }
        opened = c
        return c
    }

    /// Whether the file on disk is no longer the one this source read: its
    /// path now names another file, or it was written, or a read found it
    /// changing. A pipe or device read once never changes.
    var hasChanged: Bool {
        lock.lock(); let c = opened, memory = inMemory; lock.unlock()
        if memory { return false }
        if let c = c {
            if c.file.isStream || c.file.identity == nil { return false }
            if c.file.changed { return true }
        }
        return FileFingerprint.of(path) != identity
    }
}
