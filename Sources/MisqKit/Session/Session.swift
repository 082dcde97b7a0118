import Foundation

/// A scalar: a count, a sum, a percent.
public struct ScalarValue: Sendable {
    public var value: Double
    public var isPercent: Bool
    /// Decimals as written, for literals (`~` rounds to these).
    public var decimals: Int?
    /// The exact value of arithmetic on counts and literals; nil where it
    /// is the Double itself read as a decimal (see `exactValue`).
    public var exact: ExactNumber?
    /// The queries the value was computed from, with their footers, so a
    /// scalar answer carries its provenance as a table does.
    public var provenance: [FooterPart]
    /// A day number: `max finalised`, or a date literal (`2024-04-30`).
    public var isDate = false
    public init(_ value: Double, isPercent: Bool = false, decimals: Int? = nil, exact: ExactNumber? = nil, provenance: [FooterPart] = []) {
        self.value = value; self.isPercent = isPercent; self.decimals = decimals; self.exact = exact; self.provenance = provenance
    }
    /// Exact when it can be: a count, a literal, arithmetic on them.
    public var exactValue: ExactNumber? { exact ?? ExactNumber(value) }
    /// As the tables print it: "1,636", "0.0241", "28.1%".
    public var text: String {
        isDate ? Day.isoOrMissing(value) : isPercent ? NumberFormat.percent(value) : NumberFormat.figure(value)
    }
}

/// Everything a script or REPL has declared: datasets, defines, params,
/// lets. One session can run a whole test suite with each dataset loaded
/// once.
public final class Session {
    public private(set) var datasets: [Dataset] = []
    public var defines: [String: Definition] = [:]
    /// `define NAME = EXPRESSION`: derived columns, by lowercased name. A
    /// name is a condition or a derived value, never both.
    public var derivations: [String: Derivation] = [:]
    public var params: [String: ParamBinding] = [:]
    public var scalars: [String: ScalarValue] = [:]
    public var subsets: [String: SubsetBinding] = [:]
    /// `let NAME = QUERY by KEY`: each grouped let's query, in the order they
    /// were made, so one whose dataset is read again is computed again.
    public var groupedLets: [GroupedLet] = []
    /// `let n = count …`: how each figure was computed, in the order made.
    public var scalarLets: [ScalarLet] = []
    /// `--param name=value` texts, applied when a script declares the param.
    public var paramOverrides: [String: String] = [:]
    /// Units declared with `unit NAME = …`, per dataset name (lowercased).
    /// Kept here, not on the shared Dataset, so one script's units do not
    /// leak into another's.
    public var declaredUnits: [String: [String: UnitDefinition]] = [:]
    /// Base folder for relative `load` paths.
    public var baseDirectory: String = "."
    /// How a hint names the describe command: `.describe` exists only at
    /// the prompt; under `-e`, `run` and `test` it is `misq describe`.
    public var describeCommand = "misq describe"
    /// The statement whose table is being printed (`ScriptRunner`), as
    /// footers name it; nil when a table is computed but not published
    /// (an assertion's, a let's).
    public var publishing: String?
    /// The tables published so far with suppression, each protected with
    /// the earlier ones over the same records (`Disclosure/LinkedTables.swift`).
    public var published: [PublishedTable] = []
    /// The definitions files the datasets' package ships, as read: `misq
    /// export` writes them beside the tables.
    public internal(set) var definitionFiles: [SourceFile] = []
    /// `--engine`: the live database queries run on, whose catalog the
    /// session's datasets are (`Session+Engine.swift`); nil runs them here.
    public internal(set) var engine: DatabaseEngine?

    public init() {}

    /// A session over a datasets folder: its datapackage.json if present
    /// (with the definitions it ships), else every CSV in it as a bare dataset.
    public static func open(datasetsDirectory dir: String) throws -> Session {
        let s = Session()
        try s.addDatasets(directory: dir)
        return s
    }

    public func addDatasets(directory dir: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw MisqError(.io, "no datasets folder at '\(dir)'", suggestion: "run misq from the project folder, or pass --datasets DIR")
        }
        if fm.fileExists(atPath: (dir as NSString).appendingPathComponent("datapackage.json")) {
            let loaded = try DataPackage.load(directory: dir)
            for d in loaded.datasets { try add(d) }
            for f in loaded.definitionFiles {
                let text = try String(decoding: CSVFile.read(f), as: UTF8.self)
                let file = SourceFile(name: f, text: text)
                _ = try ScriptRunner(session: self).run(file, mode: .declarations)
                definitionFiles.append(file)
            }
        } else {
            // A folder that cannot be listed is an error, not a folder of no datasets.
            let files: [String]
            do { files = try fm.contentsOfDirectory(atPath: dir) } catch {
                throw MisqError(.io, "cannot list the datasets folder '\(dir)': \(error.localizedDescription)",
                                suggestion: "check the folder's permissions, or pass --datasets DIR")
            }
            for f in files.sorted() where f.lowercased().hasSuffix(".csv") {
                let name = Session.datasetName(fromFile: f)
                let path = (dir as NSString).appendingPathComponent(f)
                // One file that cannot be read does not take the folder
                // with it: its dataset is listed, and using it is its error.
                do {
                    try Session.checkRegularFile(path)
                    try add(Dataset.bare(name: name, path: path))
                } catch let error as MisqError where error.kind == .data || error.kind == .io {
                    try add(Dataset.unusable(name: name, path: path, error: error))
                }
            }
        }
    }

    /// A datasets folder holds files: a named pipe, a device or a folder
    /// whose name ends in .csv is not opened (a pipe would wait for a writer).
    static func checkRegularFile(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw MisqError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else {
            let what = kind == S_IFIFO ? "a named pipe" : kind == S_IFDIR ? "a folder" : kind == S_IFSOCK ? "a socket" : "a device"
            throw MisqError(.io, "'\(path)' is \(what), not a CSV file", suggestion: "a datasets folder holds CSV files; give a pipe with --data FILE")
        }
    }

    /// A dataset name from a file name: `exports/2023 cases.csv` → `d_2023_cases`.
    public static func datasetName(fromFile f: String) -> String {
        let base = ((f as NSString).lastPathComponent as NSString).deletingPathExtension
        let cleaned = base.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        var s = String(cleaned)
        if let first = s.first, first.isNumber { s = "d_" + s }
        return s.isEmpty ? "data" : s
    }

    /// Adds a dataset. A name already taken by another file is an error,
    /// not a silent replacement; the same file under the same name (a
    /// script run twice at the prompt) keeps the columns already read if
    /// the file is unchanged, and is read afresh if it changed.
    /// Another table of the same workbook (another sheet, header row or
    /// range) is another dataset: `load` (`replacing`) reads the new
    /// selection in its place, as a load says; two `--data` files of one
    /// name are an error, as two CSVs are (cold test of issue 22: the
    /// second sheet was silently not read).
    public func add(_ d: Dataset, replacingSelection: Bool = false) throws {
        guard let k = datasets.firstIndex(where: { $0.name.lowercased() == d.name.lowercased() }) else {
            datasets.append(d)
            return
        }
        let old = datasets[k]
        guard Session.samePath(old.path, d.path) else {
            throw MisqError(.name, "two datasets would be named '\(d.name)': \(old.path) and \(d.path)",
                            suggestion: "load the second under another name: load \"\(d.path)\" as \(d.name)_2")
        }
        let (was, now) = (old.source.sheetSelection, d.source.sheetSelection)
        if was != now {
            guard replacingSelection else {
                throw MisqError(.name, "two datasets would be named '\(d.name)': \(old.path) \(was?.label ?? "") and \(now?.label ?? "")",
                                suggestion: "load the second under another name: load \"\(d.path)\"\(now?.sheet.map { " sheet \"\($0)\"" } ?? "") as \(d.name)_2")
            }
            datasets[k] = d
            return
        }
        if old.periodColumn == d.periodColumn, old.unusableReason == nil, !old.fileChanged { return }
        datasets[k] = d
    }

    /// Puts a dataset read again from its file in place of the old one.
    public func replace(_ d: Dataset) {
        if let k = datasets.firstIndex(where: { $0.name.lowercased() == d.name.lowercased() }) { datasets[k] = d }
        else { datasets.append(d) }
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        func absolute(_ p: String) -> String {
            ColumnCache.lexicallyStandard(p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p)
        }
        return absolute(a) == absolute(b)
    }

    /// Datasets whose files changed on disk since they were read, each
    /// read again (a prompt's later query must not mix the old file's
    /// columns with the new one's). Returns a note per dataset read again,
    /// and the error of each that could not be: that dataset refuses every
    /// use with it until its file changes again.
    public func reloadChangedDatasets() -> (notes: [String], errors: [MisqError]) {
        var notes: [String] = [], errors: [MisqError] = []
        var reread: Set<String> = []
        for d in datasets where d.fileChanged {
            do {
                let fresh = try d.reloaded()
                replace(fresh)
                notes.append("\(d.path) changed on disk: dataset '\(d.name)' is read again from it")
            } catch {
                var e = error.misqErrors.first ?? MisqError(.data, "\(d.path) changed and could not be read again")
                e.notes.append("dataset '\(d.name)' cannot be used until \(d.path) is fixed")
                d.refuse(e)
                errors.append(e)
            }
            reread.insert(d.name.lowercased())
        }
        // A grouped let holds rows computed from the old file: computed
        // again from its query (in the order made, so one over another
        // sees it fresh), else the old rows would be mixed with the new.
        for g in groupedLets where !g.reads.isDisjoint(with: reread) {
            let from = g.reads.intersection(reread).sorted().map { "'\($0)'" }.joined(separator: ", ")
            do {
                try remake(g)
                notes.append("let \(g.name) is computed again from its query (\(g.source.text(g.query.span))), since \(from) changed")
            } catch {
                var e = error.misqErrors.first ?? MisqError(.data, "let \(g.name) could not be computed again")
                e.notes.append("'\(g.name)' was made from \(from), which changed; it cannot be used until it is made again: let \(g.name) = \(g.source.text(g.query.span))")
                dataset(named: g.name)?.refuse(e)
                errors.append(e)
            }
            reread.insert(g.name.lowercased())
        }
        // A figure let read the old file too: computed again, in the order
        // made, so one computed from another sees it fresh.
        for l in scalarLets where !l.reads.isDisjoint(with: reread) {
            let from = l.reads.intersection(reread).sorted().map { "'\($0)'" }.joined(separator: ", ")
            do {
                let before = scalars[l.name.lowercased()]?.value
                try makeScalar(Name(l.name, l.expr.span), l.expr, source: l.source)
                let after = scalars[l.name.lowercased()]?.value
                let changed = before.map { b in after.map { NumberFormat.figure(b) != NumberFormat.figure($0) } ?? true } ?? true
                notes.append("let \(l.name) is computed again (\(l.source.text(l.expr.span))), since \(from) changed"
                             + (changed ? ": \(before.map(NumberFormat.figure) ?? "?") before, \(after.map(NumberFormat.figure) ?? "?") now" : "; it is unchanged"))
            } catch {
                var e = error.misqErrors.first ?? MisqError(.data, "let \(l.name) could not be computed again")
                e.notes.append("'\(l.name)' was computed from \(from), which changed; it is forgotten until it is made again: let \(l.name) = \(l.source.text(l.expr.span))")
                scalars[l.name.lowercased()] = nil
                errors.append(e)
            }
            reread.insert(l.name.lowercased())
        }
        return (notes, errors)
    }

    public func dataset(named n: String) -> Dataset? {
        datasets.first { $0.name.lowercased() == n.lowercased() }
    }

    /// The dataset a query means when it names none: the declared default,
    /// else the only case-level dataset.
    public var defaultDataset: Dataset? {
        if let d = datasets.first(where: \.isDefault) { return d }
        let caseLevel = datasets.filter { !$0.isPublishedTable && !$0.isMadeByStatement }
        return caseLevel.count == 1 ? caseLevel[0] : nil
    }

    /// A dataset's units: its package's, and those this session declared.
    public func units(of d: any DatasetSchema) -> [String: UnitDefinition] {
        d.units.merging(declaredUnits[d.name.lowercased()] ?? [:]) { _, declared in declared }
    }

    /// Every unit name any dataset declares.
    public var unitNames: [String] {
        Array(Set(schemas.flatMap { units(of: $0).keys })).sorted()
    }
}

extension Session {
    /// A fresh session sharing this one's datasets and definitions, so each
    /// test file starts clean without loading data again.
    public func fork() -> Session {
        let s = Session()
        s.datasets = datasets
        s.defines = defines
        s.derivations = derivations
        s.declaredUnits = declaredUnits
        s.paramOverrides = paramOverrides
        s.baseDirectory = baseDirectory
        s.describeCommand = describeCommand
        s.definitionFiles = definitionFiles
        s.engine = engine
        return s
    }
}

extension Session {
    /// Runs a checked plan on the dataset it names.
    public func run(_ plan: LogicalPlan) throws -> QueryResult {
        if let engine, dataset(named: plan.dataset) == nil {
            // On the database; suppression is applied to the figures it gives.
            var bare = plan
            bare.suppression = nil; bare.suppressionMeasure = nil; bare.rounding = nil
            var r = try engine.run(bare, catalog: self)
            r.withBars = plan.withBars
            if let rule = plan.suppression { r = try protect(r, plan, rule) { try engine.run($0, catalog: self) } }
            return r
        }
        guard let ds = dataset(named: plan.dataset) else {
            throw MisqError(.name, "dataset '\(plan.dataset)' is no longer loaded")
        }
        guard let join = plan.join else {
            var result = try Executor.run(plan, on: ds)
            result.withBars = plan.withBars
            if let rule = plan.suppression { result = try protect(result, plan, rule) { try Executor.run($0, on: ds) } }
            return result
        }
        guard let right = dataset(named: join.dataset) else {
            throw MisqError(.name, "dataset '\(join.dataset)' is no longer loaded")
        }
        let (joined, fact) = try Join.joined(join, left: ds, right: right)
        var counted = plan
        if let per = plan.per {
            // The counts first, in key order; the rates are ordered and cut (`PerRate`).
            counted.valueName = per.measureName
            counted.order = []; counted.top = nil; counted.topShare = nil; counted.limit = nil; counted.withTotal = false
        }
        var r = try Executor.run(counted, on: joined)
        r.footer.notes.insert(try Join.keptFact(plan, join, joined: joined, whole: fact), at: 0)
        if let per = plan.per {
            // The overall rate's numerator: the rows that found a partner, however grouped.
            var overall = counted
            overall.keys = []; overall.across = nil; overall.withPercent = false; overall.suppression = nil
            if join.kind == .left, let k = join.rightColumns.firstIndex(of: join.rightKey) {
                overall.filter = .and([overall.filter, .not(.missing(column: join.columns[k]))])
            }
            let matched = try Executor.run(overall, on: joined).scalarValue ?? .nan
            r = try PerRate.apply(plan, per, join, r, matched: matched, right: right)
        }
        r.withBars = plan.withBars
        if let rule = plan.suppression { r = try protect(r, plan, rule) { try Executor.run($0, on: joined) } }
        return r
    }

    /// `with suppression`: with a rule on a unit (`under 5 individuals`),
    /// the same table counted in that unit first, to say which cells are
    /// sensitive.
    func protect(_ r: QueryResult, _ plan: LogicalPlan, _ rule: SuppressionRule, run: (LogicalPlan) throws -> QueryResult) throws -> QueryResult {
        let link = plan.rounding == nil && plan.per == nil && plan.table == nil ? Session.link(plan) : nil
        let keys = plan.keys + (plan.across.map { [$0] } ?? [])
        let identities = keys.map { "\($0)" }
        var linkage: Linkage?
        if let link, publishing != nil {
            let earlier = published.filter { $0.link == link && $0.linkable }
            if !earlier.isEmpty { linkage = try Session.linkage(earlier, keys: keys, identities: identities, plan: plan, run: run) }
        }
        var out: QueryResult
        if let m = plan.suppressionMeasure {
            var counted = plan
            counted.measure = m
            counted.valueName = rule.unit?.text ?? plan.valueName
            counted.unitName = counted.valueName
            counted.withPercent = false
            counted.order = []
            counted.suppression = nil
            counted.suppressionMeasure = nil
            out = try Disclosure.protect(r, rule: rule, sensitivity: try run(counted), rounding: plan.rounding, linkage: linkage)
        } else {
            out = try Disclosure.protect(r, rule: rule, rounding: plan.rounding, linkage: linkage)
        }
        if let label = publishing, case .groups(let g) = out.body, g.suppression != nil {
            var t = PublishedTable(label: label, link: link ?? "alone: " + label, keys: keys, keyIdentities: identities, table: g, rule: rule, plan: plan)
            t.linkable = link != nil
            t.margins = TableModel.Margins(g, footerTotal: r.footer.total != nil)
            for case .overlap(_, _, let sum, _) in r.footer.notes { t.statedSum = sum }
            published.append(t)
        }
        return out
    }

    /// The finest groups of `earlier` and a table of `keys` (the same
    /// records by every key of all of them), and where each table's keys
    /// are among them. Tables whose filters differ count overlapping
    /// records: the finest groups are then also split by which of the
    /// filters a record passes (the cross-classification by every key and
    /// every filter), one run per combination of filters that some table
    /// counts, so a cell of each table is the sum of the groups of the
    /// combinations its own filter is in.
    static func linkage(_ earlier: [PublishedTable], keys: [PlanKey], identities: [String], plan: LogicalPlan,
                        run: (LogicalPlan) throws -> QueryResult) throws -> Linkage? {
        var union: [PlanKey] = [], unionIds: [String] = []
        for t in earlier.map({ ($0.keys, $0.keyIdentities) }) + [(keys, identities)] {
            for (k, id) in zip(t.0, t.1) where !unionIds.contains(id) { union.append(k); unionIds.append(id) }
        }
        var atoms = plan
        atoms.keys = union; atoms.across = nil
        atoms.withTotal = false; atoms.withPercent = false; atoms.withBars = false
        atoms.order = []; atoms.top = nil; atoms.topShare = nil; atoms.limit = nil
        atoms.suppression = nil; atoms.suppressionMeasure = nil; atoms.rounding = nil
        let positions = (earlier.map(\.keyIdentities) + [identities]).map { ids in ids.compactMap { unionIds.firstIndex(of: $0) } }
        // The filters, each once, as the plans resolved them.
        var filters: [Predicate] = [], names: [String] = []
        let tableFilter = (earlier.map(\.plan.filter) + [plan.filter]).map { f -> Int in
            let name = "\(f)"
            if let i = names.firstIndex(of: name) { return i }
            filters.append(f); names.append(name)
            return filters.count - 1
        }
        guard filters.count > 1 else {
            guard case .groups(let g) = try run(atoms).body else { return nil }
            return Linkage(earlier: earlier, atoms: g, positions: positions)
        }
        guard filters.count <= Linkage.maxFilters else {
            var l = Linkage(earlier: earlier, atoms: GroupedResult(keyNames: [], acrossName: nil, acrossLabels: [], rows: [], totals: nil, grandTotal: 0,
                                                                  withTotal: false, withPercent: false, percentBase: [], groupsBeforeTop: 0), positions: positions)
            l.apart = "they count records of \(filters.count) different filters, more than the \(Linkage.maxFilters) misq splits the records by to protect tables together"
            return l
        }
        var merged: GroupedResult?
        var sets: [Int] = []
        for mask in 1..<(1 << filters.count) {
            atoms.filter = .and(filters.indices.map { mask & (1 << $0) != 0 ? filters[$0] : .not(filters[$0]) })
            guard case .groups(let g) = try run(atoms).body else { return nil }
            sets += Array(repeating: mask, count: g.rows.count)
            if merged == nil { merged = g } else { merged?.rows += g.rows }
        }
        guard let all = merged else { return nil }
        var l = Linkage(earlier: earlier, atoms: all, positions: positions)
        l.atomFilters = sets
        l.tableFilters = tableFilter
        return l
    }

    /// The records a table counts from, for linking tables
    /// (`LinkedTables.swift`): dataset, join, derived columns and unit, as
    /// the plan resolved them, so two queries over them are linked however
    /// they were written. The filter is not part of it: tables over other
    /// filters of the same records share the records both pass, and are
    /// linked over the filters' cross-classification (`linkage`).
    static func link(_ plan: LogicalPlan) -> String? {
        switch plan.measure {
        case .rows, .distinct, .weighted: break
        case .aggregate, .show: return nil
        }
        return "\(plan.dataset)|\(String(describing: plan.join))|\(plan.derive)|\(plan.measure)"
    }

}
