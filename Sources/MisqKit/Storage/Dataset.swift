import Foundation

/// Where a dataset's figures come from, shown in every result's footer.
public struct Provenance: Sendable {
    public var title: String?
    public var description: String?
    public var publisher: String?
    /// An FOI reference (01.FOI.23.029932) or a publication.
    public var reference: String?
    public var retrieved: Int?
    public var retrievedFrom: String?
    public var caveats: [String] = []
    public var sources: [String] = []
    public var licence: String?
    /// Synthetic data says so in every footer.
    public var synthetic = false
    /// For a CSV loaded by path that a `datapackage.json` beside it
    /// describes: which resource of which package gave the rest.
    public var describedBy: String?
    /// What loading the file could not do (a package beside it that could
    /// not be read): in every footer and `describe`.
    public var notes: [String] = []
    /// `misq:suppression`: the rule every table of counts of this dataset
    /// is published under, so a saved FOI file cannot forget it.
    public var suppression: SuppressionRule?
    public init() {}
}


/// A table loaded from a CSV file. A class: its column cache is shared,
/// mutable state, filled as queries first touch each column.
public final class Dataset: @unchecked Sendable {
    public let name: String
    public let path: String
    public var provenance: Provenance
    public var units: [String: UnitDefinition]
    /// The declared period column (`period R`, `by year`).
    public var periodColumn: String?
    public var published: PublishedLayout?
    /// The date `since` and `last` run to: declared, else the latest date
    /// in the period column.
    public var declaredAsOf: Int?
    public var isDefault: Bool
    public let fields: [FieldSchema]
    public let missingValues: Set<String>
    let source: TableSource
    /// The fields a data package declared (nil: a bare CSV's, inferred).
    private let declaredFields: [FieldSchema]?
    /// Each field by its lower-cased name (the first of a name): `schema(k)`
    /// is asked once per column, and a search of `fields` made loading a
    /// 16,000-column sheet quadratic.
    private let fieldByName: [String: Int]
    /// Set when the file changed and could not be read again: every use
    /// of the dataset is this error, until the file changes once more.
    private var refusal: (error: MisqError, file: FileFingerprint?)?
    /// False for a dataset whose file could not be read when it was
    /// opened: there is nothing to read again it from.
    private var reloadable = true

    private var cache: [Int: Column] = [:]
    /// A table made in memory whose columns are made on first use (a join's:
    /// the dataset's own, and the joined dataset's gathered row by row).
    private var provider: (@Sendable (Int) throws -> Column)?
    /// Derived columns (`define rate = …`), numbered after the file's and
    /// kept by their expression over the file's columns, so a query
    /// repeated at the prompt computes them once. Never renumbered.
    private var derived: [Int: (key: String, column: DerivedColumn)] = [:]
    private var nextDerived = 0
    /// The only date column, once worked out (`periodColumnIndex`).
    private var inferredPeriod: Int??
    private let lock = NSLock()
    /// Columns read from the cache on disk, and of those the category
    /// columns whose codes have not been checked against their labels.
    private var fromCache: Set<Int> = []
    private var unchecked: Set<Int> = []
    /// Once a damaged cache has been seen: columns come from the CSV (and
    /// rewrite the cache).
    private var distrustsCache = false
    /// Codes past their labels seen by passes over unchecked codes.
    let codeCheck = CodeCheck()

    /// For a one-shot run with no cache on disk (`misq -e` once, `MISQ_CACHE=off`):
    /// a column a query needs only after its filter (a group key, the
    /// column of a distinct count) is parsed for the selected rows alone,
    /// in a second pass that goes straight to them from the row starts the
    /// first pass kept. A filter that keeps one row in sixteen then spares
    /// fifteen sixteenths of the work of an id column (the costliest to
    /// code). Off where columns are kept for later queries: the prompt,
    /// test runs, scripts.
    public var readsSelectedRowsOnly = false

    /// Whether `column(_:selection:)` may parse column `index` for the
    /// selected rows only; `Checker.prefetch` then leaves it out of the
    /// first pass.
    func defersToSelection(_ index: Int) -> Bool {
        guard index < source.header.count, readsSelectedRowsOnly, source.cache == nil, source.sheetSelection == nil, ColumnBuilder.buildsSelected(schema(index)) else { return false }
        lock.lock(); defer { lock.unlock() }
        return cache[index] == nil
    }

    public convenience init(name: String, path: String, csv: CSVFile, fields: [FieldSchema]? = nil, provenance: Provenance = Provenance(),
                            units: [String: UnitDefinition] = [:], periodColumn: String? = nil, published: PublishedLayout? = nil,
                            asOf: Int? = nil, isDefault: Bool = false, missingValues: Set<String> = []) {
        self.init(name: name, path: path, source: TableSource(csv: csv), fields: fields, provenance: provenance, units: units,
                  periodColumn: periodColumn, published: published, asOf: asOf, isDefault: isDefault, missingValues: missingValues)
    }

    init(name: String, path: String, source: TableSource, fields: [FieldSchema]? = nil, provenance: Provenance = Provenance(),
         units: [String: UnitDefinition] = [:], periodColumn: String? = nil, published: PublishedLayout? = nil,
         asOf: Int? = nil, isDefault: Bool = false, missingValues: Set<String> = []) {
        self.name = name
        self.path = path
        self.source = source
        self.declaredFields = fields
        self.fields = fields ?? source.header.map { FieldSchema(name: $0) }
        var byName: [String: Int] = [:]
        for (i, f) in self.fields.enumerated() where byName[f.name.lowercased()] == nil { byName[f.name.lowercased()] = i }
        self.fieldByName = byName
        self.provenance = provenance
        self.units = units
        self.periodColumn = periodColumn
        self.published = published
        self.declaredAsOf = asOf
        self.isDefault = isDefault
        self.missingValues = missingValues
    }

    /// A bare CSV: inferred types, one unit (`rows`, also under the
    /// dataset's own name). Its period column is `periodColumn` when given
    /// (`load … period COL`), else its only date column (`periodColumnIndex`).
    /// A CSV that a `datapackage.json` in its folder describes as a resource
    /// is that resource under `name` (title, source, synthetic flag,
    /// caveats, schema, units, period column), whatever path named it:
    /// the same file read by path must not drop `[SYNTHETIC DATA]`.
    /// A spreadsheet (by its extension, or when `sheet` is given) is the
    /// table `sheet` picks out of it (`SheetSelection`).
    public static func bare(name: String, path: String, periodColumn: String? = nil, sheet: SheetSelection? = nil) throws -> Dataset {
        let ds: Dataset
        // `sheet`, `header row` or `range` on a CSV: the words do not
        // apply, and reading the CSV as a workbook to fail said only that
        // it was text, not a workbook (cold test of issue 22).
        let lower = path.lowercased()
        if let given = sheet, [".csv", ".tsv", ".txt"].contains(where: { lower.hasSuffix($0) }) {
            let words = [given.sheet.map { "sheet \(SheetTable.written($0))" }, given.request.headerRow.map { "header row \($0 + 1)" },
                         given.request.range.map { _ in "range" }].compactMap { $0 }
            throw MisqError(.value, "\(words.first ?? "sheet") applies only to spreadsheets (.xlsx, .xlsm, .ods): '\(path)' is read as CSV",
                            suggestion: "leave out \(words.isEmpty ? "`sheet`" : words.map { "`\($0)`" }.joined(separator: " and ")) to load the CSV")
        }
        if sheet != nil || SheetTable.isSpreadsheet(path) {
            let selection = try sheet ?? SheetSelection()
            ds = Dataset(name: name, path: path, source: try TableSource(path: path, sheet: selection), units: ["rows": .rows])
            // The sheet read, named or not, as the workbook spells it: which
            // sheet the figures came from is part of where they came from.
            ds.provenance.title = path + ((ds.source.sheetName ?? selection.sheet).map { ", sheet '\($0)'" } ?? "")
            ds.provenance.notes += ds.source.loadNotes
            return try ds.withPeriod(periodColumn)
        }
        switch try DataPackage.describing(path, as: name) {
        case .resource(let described):
            ds = described
        case .none(let note):
            ds = Dataset(name: name, path: path, source: try TableSource(path: path), units: ["rows": .rows])
            ds.provenance.title = path
            if let n = note { ds.provenance.notes.append(n) }
        }
        return try ds.withPeriod(periodColumn)
    }

    /// This dataset with `periodColumn` (`load … period COL`) checked and set.
    private func withPeriod(_ periodColumn: String?) throws -> Dataset {
        let ds = self, path = self.path
        if let p = periodColumn {
            guard let k = ds.columnIndex(p) else {
                throw MisqError(.name, "'\(p)' is not a column of \(path)", expected: "a date column to be the period column",
                                suggestion: Suggestions.didYouMean(p, ds.columnNames))
            }
            // Checked here, not at the first `period` query: the mistake is
            // in this statement. Parses the one column (kept for the queries).
            let type = try ds.column(k, checkedCodes: false).type
            guard type == .date else {
                let dates = try ds.dateColumns()
                throw MisqError(.type, "'\(ds.columnNames[k])' holds \(type.rawValue) values, not dates, so it cannot be the period column of \(path)",
                                expected: "a date column to be the period column",
                                suggestion: dates.isEmpty ? "\(path) has no date column; leave out 'period'"
                                    : "date columns: " + dates.map(Identifier.source).joined(separator: ", "))
            }
            ds.periodColumn = ds.columnNames[k]
        }
        return ds
    }

    /// What naming the columns changed from the CSV's header line.
    public var headerNotes: [String] { source.headerNotes }

    /// The period column (`period R`, `by year`, `since`) and whether it
    /// was inferred: the declared one (a published table's period start),
    /// else the only date column, else nil. Inferring parses the columns
    /// to learn their types, so it is done only when a query needs it.
    public func periodColumnIndex() throws -> (index: Int, inferred: Bool)? {
        if let p = periodColumn ?? published?.periodStart, let k = columnIndex(p) { return (k, false) }
        if periodColumn != nil || published != nil { return nil }
        lock.lock()
        let known = inferredPeriod
        lock.unlock()
        if let k = known { return k.map { ($0, true) } }
        let dates = try dateColumns()
        let k = dates.count == 1 ? columnIndex(dates[0]) : nil
        lock.lock(); inferredPeriod = .some(k); lock.unlock()
        return k.map { ($0, true) }
    }

    /// The period column inferred so far (nil if none was, or none is):
    /// the footer names it when a query used it, without parsing anything.
    public var inferredPeriodColumn: Int? {
        lock.lock(); defer { lock.unlock() }
        return periodColumn == nil && published == nil ? inferredPeriod ?? nil : nil
    }

    /// Rows whose every field is missing (blank, or a missing-value marker):
    /// a spreadsheet export's trailing `,,,` rows. Parses every column.
    public func blankRows() throws -> Int { try blankRows(among: Bitmap(count: try rowCount, filled: true)) }

    /// How many of `selection`'s rows are blank. Columns already read are
    /// tried first and the search stops once no candidate is left, so a
    /// query that tested a column with no gaps reads nothing more, and one
    /// that tested none reads one column (the period column, where there is
    /// one) when the data has no blank row.
    func blankRows(among selection: Bitmap) throws -> Int {
        var blank = selection
        lock.lock()
        let loaded = Set(cache.keys)
        lock.unlock()
        // Then the period column: days parse far faster than an id column
        // of millions of distinct labels.
        let period = (try? periodColumnIndex())??.index
        let first = columnNames.indices.filter { loaded.contains($0) } + (period.map { loaded.contains($0) ? [] : [$0] } ?? [])
        let order = first + columnNames.indices.filter { !first.contains($0) }
        for k in order {
            guard blank.popCount > 0 else { break }
            let c = try column(k)
            var still = Bitmap(count: blank.count)
            blank.forEachSet { r in if c.isMissing(r) { still.words[r >> 6] |= 1 &<< UInt64(r & 63) } }
            blank = still
        }
        return blank.popCount
    }

    /// A dataset whose file could not be read (one bad CSV in a datasets
    /// folder): listed, with `error` for every use, so the others work.
    public static func unusable(name: String, path: String, error: MisqError, units: [String: UnitDefinition] = ["rows": .rows],
                                provenance: Provenance = Provenance(), isDefault: Bool = false) -> Dataset {
        let d = Dataset(name: name, path: path, source: TableSource(unreadable: path), fields: [], provenance: provenance,
                        units: units, isDefault: isDefault)
        d.refusal = (error, FileFingerprint.of(path))
        d.reloadable = false
        return d
    }

    /// The error every use of this dataset gives, if its file could not be read.
    public var unusableReason: MisqError? {
        lock.lock(); defer { lock.unlock() }
        return refusal?.error
    }

    /// Rows loaded; the first use of a CSV not in the cache checks all its rows.
    public var rowCount: Int { get throws { try checkUsable(); return try source.rowCount } }
    public var columnNames: [String] { source.header }

    public func columnIndex(_ name: String) -> Int? {
        if let k = source.header.firstIndex(of: name) { return k }
        let l = name.lowercased()
        return source.header.firstIndex { $0.lowercased() == l }
    }

    public func schema(_ index: Int) -> FieldSchema {
        fieldByName[source.header[index].lowercased()].map { fields[$0] } ?? FieldSchema(name: source.header[index])
    }

    /// The column: from memory, else the cache on disk, else parsed from
    /// the CSV (and then written to the cache). A category column from the
    /// cache has its codes checked against its labels on first use; if one
    /// is past them the cache is damaged, and the column comes from the CSV.
    public func column(_ index: Int) throws -> Column {
        let c = try column(index, checkedCodes: false)
        lock.lock()
        let needsCheck = unchecked.contains(index)
        lock.unlock()
        guard needsCheck else { return c }
        if case .category(let cat) = c, !cat.codes.fit(labels: cat.labelCount) {
            distrustCache()
            return try column(index, checkedCodes: false)
        }
        lock.lock(); unchecked.remove(index); lock.unlock()
        return c
    }

    /// The column, its codes unchecked when `checkedCodes` is false: for a
    /// pass that checks each code it reads and reports one past the labels
    /// to `codeCheck`, and for binding a query, which reads only a column's
    /// type and labels.
    func column(_ index: Int, checkedCodes: Bool) throws -> Column {
        if checkedCodes { return try column(index) }
        lock.lock()
        if let c = cache[index] { lock.unlock(); return c }
        if index >= source.header.count {
            defer { lock.unlock() }
            guard let d = derived[index] else { throw MisqError(.data, "derived column \(index + 1) of \(path) is gone", suggestion: "run the query again") }
            return d.column.column
        }
        lock.unlock()
        try load(columns: [index])
        lock.lock(); defer { lock.unlock() }
        guard let column = cache[index] else { throw MisqError(.data, "column \(index + 1) of \(path) could not be loaded") }
        return column
    }

    /// After a code past its labels: the columns read from the cache are
    /// dropped, and from now on columns are parsed from the CSV, which
    /// writes the cache anew.
    /// Whether a cache file this dataset reads was truncated under a read.
    var cacheFaulted: Bool { source.cache?.faulted ?? false }

    func distrustCache() {
        lock.lock(); defer { lock.unlock() }
        distrustsCache = true
        derived = [:]
        for k in fromCache { cache[k] = nil }
        fromCache = []
        unchecked = []
    }

    /// Loads the given columns that are not in memory yet: each from the
    /// cache on disk if it is there, the rest parsed together in one pass
    /// over the CSV (and then written to the cache).
    /// `keepRowStarts`: a later column will be parsed for selected rows only.
    public func load(columns: [Int], keepRowStarts: Bool = false) throws {
        try checkUsable()
        lock.lock()
        let missing = Array(Set(columns.filter { $0 >= 0 && $0 < source.header.count && cache[$0] == nil })).sorted()
        lock.unlock()
        if let make = provider {
            for k in missing {
                let c = try make(k)
                lock.lock(); cache[k] = c; lock.unlock()
            }
            return
        }
        var toParse: [(Int, FieldSchema, String?)] = []
        for k in missing {
            let schema = schema(k)
            let fileName = source.cache?.columnName(k, schema, missingValues)
            // Cached columns are only read once the row count is known
            // (from the cache's metadata): a cold run would otherwise pay
            // a pass over the CSV just to count rows.
            lock.lock(); let trusted = !distrustsCache; lock.unlock()
            if trusted, let name = fileName, let rows = source.knownRowCount, let cached = source.cache?.readColumn(name, rows: rows) {
                lock.lock()
                cache[k] = cached
                fromCache.insert(k)
                if case .category = cached { unchecked.insert(k) }
                lock.unlock()
            } else {
                toParse.append((k, schema, fileName))
            }
        }
        guard !toParse.isEmpty else { return }
        if source.sheetSelection != nil {
            // A spreadsheet's columns were all typed when its sheet was read.
            let table = try source.sheetTable()
            if table.columns.count <= SheetTable.cachedColumns {
                source.cache?.writeColumns(toParse.compactMap { k, schema, fileName in fileName.map { ($0, table.columns[k], schema.enumValues) } })
            }
            lock.lock()
            for (k, _, _) in toParse { cache[k] = table.columns[k] }
            lock.unlock()
            return
        }
        let csv = try source.csv()
        let built = try ColumnBuilder.build(csv, columns: toParse.map(\.0), schemas: toParse.map(\.1), missingValues: missingValues,
                                            keepRowStarts: keepRowStarts)
        try source.settle(csv)
        source.cache?.writeColumns(zip(toParse, built).compactMap { p, column in p.2.map { ($0, column, p.1.enumValues) } })
        lock.lock()
        for ((k, _, _), column) in zip(toParse, built) { cache[k] = column }
        lock.unlock()
    }

    /// Puts a column made in memory at `index` (`Dataset.inMemory`).
    func keep(_ column: Column, at index: Int) {
        lock.lock(); cache[index] = column; lock.unlock()
    }

    /// Makes the columns of a table in memory on first use (`Dataset.inMemory`).
    func provide(_ make: @escaping @Sendable (Int) throws -> Column) {
        lock.lock(); provider = make; lock.unlock()
    }

    /// The column as a query with this selection needs it: parsed for the
    /// selected rows only when it defers to the selection (and then not
    /// kept: another query may select other rows), else the whole column.
    func column(_ index: Int, selection: Bitmap, checkedCodes: Bool = true) throws -> Column {
        if defersToSelection(index),
           let built = try ColumnBuilder.buildSelected(try source.csv(), column: index, schema: schema(index), missingValues: missingValues, selection: selection) {
            return built
        }
        return try column(index, checkedCodes: checkedCodes)
    }

    /// The column number of a derived column, computed by `make` unless
    /// one with the same `key` (its expression over this file's columns)
    /// is kept. At most `derivedKept` are kept; those of `keep` (the
    /// query's others) are not dropped for a new one.
    func derivedColumn(key: String, keep: Set<String>, make: () throws -> DerivedColumn) throws -> (index: Int, column: DerivedColumn) {
        lock.lock()
        if let (k, d) = derived.first(where: { $0.value.key == key }) { lock.unlock(); return (k, d.column) }
        lock.unlock()
        let made = try make()
        lock.lock(); defer { lock.unlock() }
        if let (k, d) = derived.first(where: { $0.value.key == key }) { return (k, d.column) }
        if derived.count >= Dataset.derivedKept {
            for (k, d) in derived where !keep.contains(d.key) { derived[k] = nil }
        }
        let k = source.header.count + nextDerived
        nextDerived += 1
        derived[k] = (key, made)
        return (k, made)
    }

    static let derivedKept = 8

    public func column(named name: String) throws -> Column? {
        guard let k = columnIndex(name) else { return nil }
        return try column(k)
    }

    // MARK: a file that changes

    /// Whether the file changed on disk since this dataset read it (or,
    /// once refused, since the refusal).
    public var fileChanged: Bool {
        lock.lock(); let refused = refusal, canReload = reloadable; lock.unlock()
        guard canReload else { return false }
        if let r = refused { return FileFingerprint.of(path) != r.file }
        return source.hasChanged
    }

    /// The dataset read again from its file as it is now, with everything
    /// declared about it; an error if the file no longer has a column the
    /// declarations name.
    public func reloaded() throws -> Dataset {
        let fresh = try source.reopened()
        var named = (declaredFields ?? []).map(\.name) + [periodColumn].compactMap { $0 }
        for case .distinct(let c) in units.values { named.append(c) }
        if let p = published { named += [p.weight, p.measure, p.periodStart, p.periodEnd].compactMap { $0 } }
        let header = Set(fresh.header.map { $0.lowercased() })
        if let lost = named.first(where: { !header.contains($0.lowercased()) }) {
            throw MisqError(.data, "\(path) changed: it no longer has the column '\(lost)' that dataset '\(name)' declares",
                            expected: "one of its columns now: " + fresh.header.joined(separator: ", "),
                            suggestion: "put the column back, or restart misq once the data package matches the file")
        }
        let d = Dataset(name: name, path: path, source: fresh, fields: declaredFields, provenance: provenance, units: units,
                        periodColumn: periodColumn, published: published, asOf: declaredAsOf, isDefault: isDefault, missingValues: missingValues)
        d.readsSelectedRowsOnly = readsSelectedRowsOnly
        if published != nil { try d.addMeasureUnits() }
        return d
    }

    /// Refuses every later use with `error` (the file changed and could not
    /// be read again), dropping the columns read from the old file.
    public func refuse(_ error: MisqError) {
        lock.lock(); defer { lock.unlock() }
        refusal = (error, FileFingerprint.of(path))
        cache = [:]
        derived = [:]
        fromCache = []
        unchecked = []
    }

    public func checkUsable() throws {
        lock.lock(); let refused = refusal; lock.unlock()
        if let r = refused { throw r.error }
    }

    /// Columns whose type is date, parsing them to find out.
    public func dateColumns() throws -> [String] {
        // In one pass: a column at a time read the file once per column.
        try load(columns: Array(source.header.indices))
        return try source.header.indices.filter { try column($0, checkedCodes: false).type == .date }.map { source.header[$0] }
    }

    /// As-of: the declared retrieval/as-of date, else the latest day in the
    /// period column; nil if neither exists.
    public func asOf() throws -> (day: Int, declared: Bool)? {
        if let d = declaredAsOf { return (d, true) }
        if let (k, _) = try periodColumnIndex(), case .date(let c) = try column(k) {
            return c.range.map { (Int($0.upperBound), false) }
        }
        return nil
    }
}
