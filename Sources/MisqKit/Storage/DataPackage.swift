import Foundation

/// Reads `datapackage.json`: a Frictionless Data Package (name, resources
/// with path and schema.fields, sources, licenses) plus misq's own keys,
/// all prefixed `misq:` as the standard allows. docs/datasets.md lists them.
public enum DataPackage {
    public struct Loaded {
        public var datasets: [Dataset]
        /// `.misq` files of `define`s the package ships (`misq:definitions`).
        public var definitionFiles: [String]
    }

    /// The package's text, so every error can point into it.
    struct PackageText {
        let source: SourceFile
        /// An error at the first `"needle"` after `after` (else at the start).
        func error(_ message: String, at needle: String? = nil, after: String? = nil, expected: String? = nil, suggestion: String? = nil) -> MisqError {
            var span = SourceSpan(0, 1)
            let text = source.text
            var from = text.startIndex
            if let a = after, let r = text.range(of: "\"\(a)\"") { from = r.upperBound }
            if let n = needle, let r = text.range(of: "\"\(n)\"", range: from..<text.endIndex) ?? text.range(of: "\"\(n)\"") {
                let start = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
                span = SourceSpan(start, start + text.utf8.distance(from: r.lowerBound, to: r.upperBound))
            }
            return MisqError(.data, message, source: source, span: span, expected: expected, suggestion: suggestion)
        }
    }

    public static func load(directory: String) throws -> Loaded {
        let (root, resources, pkg) = try parse(directory: directory)
        var datasets: [Dataset] = []
        for (k, r) in resources.enumerated() {
            // A CSV that cannot be read leaves its dataset unusable, with
            // its error, and the others usable; a fault in the package
            // itself still stops the load.
            do { datasets.append(try resource(r, index: k, directory: directory, pkg: pkg)) }
            catch let bad as UnreadableFile {
                datasets.append(unusable(r, path: bad.path, error: bad.error))
            }
        }
        let defs = (root["misq:definitions"] as? [String] ?? (root["misq:definitions"] as? String).map { [$0] } ?? [])
            .map { (directory as NSString).appendingPathComponent($0) }
        return Loaded(datasets: datasets, definitionFiles: defs)
    }

    public enum Description {
        /// No package beside the file describes it; the note says why when
        /// one is there but could not be read.
        case none(note: String?)
        /// The dataset of the resource that describes the file.
        case resource(Dataset)
    }

    /// The resource of the `datapackage.json` in `path`'s folder whose path
    /// is the same file (compared after resolving links and `..`), as the
    /// dataset `name`. A package that cannot be read, or is wrong about
    /// this file, gives a note and the file reads as a bare CSV; a CSV
    /// that cannot be read is its error, as for a bare CSV.
    public static func describing(_ path: String, as name: String) throws -> Description {
        let directory = PathText.folder(of: path)
        let packagePath = (directory as NSString).appendingPathComponent("datapackage.json")
        guard FileManager.default.fileExists(atPath: packagePath), let file = resolved(path) else { return .none(note: nil) }
        let fallback = "read as a bare CSV, without the package's title, source, synthetic flag or schema"
        do {
            let (_, resources, pkg) = try parse(directory: directory)
            for (k, r) in resources.enumerated() {
                guard let rel = r["path"] as? String, resolved((directory as NSString).appendingPathComponent(rel)) == file else { continue }
                let ds = try resource(r, index: k, directory: directory, pkg: pkg, as: name, file: path)
                ds.provenance.describedBy = "resource '\(r["name"] as? String ?? rel)' of \(packagePath)"
                return .resource(ds)
            }
            return .none(note: nil)
        } catch let bad as UnreadableFile {
            throw bad.error
        } catch {
            let why = error.misqErrors.first?.message ?? "\(error)"
            return .none(note: "\(packagePath) is beside this file but could not be read (\(why)); \(fallback)")
        }
    }

    /// The canonical path of an existing file: links and `..` resolved.
    static func resolved(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The package's JSON: the root object and its resources.
    static func parse(directory: String) throws -> (root: [String: Any], resources: [[String: Any]], pkg: PackageText) {
        let path = (directory as NSString).appendingPathComponent("datapackage.json")
        let bytes = try CSVFile.read(path)
        let pkg = PackageText(source: SourceFile(name: path, text: String(decoding: bytes, as: UTF8.self)))
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes)) }
        catch {
            let msg = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            // Foundation says "around character N"; point there.
            var offset = bytes.count
            if let r = msg.range(of: "character "), let n = Int(msg[r.upperBound...].prefix { $0.isNumber }) {
                offset = pkg.source.text.utf8.distance(from: pkg.source.text.startIndex,
                                                       to: pkg.source.text.index(pkg.source.text.startIndex, offsetBy: min(n, pkg.source.text.count)))
            }
            throw MisqError(.data, "datapackage.json is not valid JSON: \(msg)", source: pkg.source, span: SourceSpan(max(0, offset - (offset == bytes.count ? 1 : 0)), offset + 1),
                            expected: "a Frictionless Data Package (JSON)",
                            suggestion: "check commas, quotes and brackets around here")
        }
        guard let root = json as? [String: Any] else {
            throw pkg.error("the top level of datapackage.json must be a JSON object", expected: "{ \"resources\": [ … ] }")
        }
        guard let resources = root["resources"] as? [[String: Any]] else {
            throw pkg.error("datapackage.json has no \"resources\" list", at: "resources", expected: "\"resources\": [ { \"name\": …, \"path\": … } ]")
        }
        return (root, resources, pkg)
    }

    /// A resource's dataset, under its own name, or under `datasetName` for
    /// a file loaded by path (then never the package's default).
    static func resource(_ r: [String: Any], index: Int, directory: String, pkg: PackageText, as datasetName: String? = nil,
                         file: String? = nil) throws -> Dataset {
        guard let name = r["name"] as? String else {
            throw pkg.error("resource \(index + 1) has no \"name\"", at: "resources", expected: "\"name\": \"cases\"")
        }
        guard let rel = r["path"] as? String else {
            throw pkg.error("resource '\(name)' has no \"path\"", at: name, expected: "\"path\": \"\(name).csv\"")
        }
        // A file loaded by path keeps the path it was named by (the same
        // file: `describing` resolved both).
        let path = file ?? (directory as NSString).appendingPathComponent(rel)
        guard FileManager.default.fileExists(atPath: path) else {
            throw pkg.error("resource '\(name)' points at \(rel), which does not exist", at: rel, after: name,
                            expected: "a CSV file beside datapackage.json", suggestion: "check the \"path\" of '\(name)'")
        }
        let csv: TableSource
        do { csv = try TableSource(path: path) } catch { throw UnreadableFile(path: path, error: error) }
        let schema = r["schema"] as? [String: Any] ?? [:]
        var fields: [FieldSchema] = []
        for f in schema["fields"] as? [[String: Any]] ?? [] {
            guard let fname = f["name"] as? String else { continue }
            var fs = FieldSchema(name: fname)
            switch (f["type"] as? String)?.lowercased() {
            case "string": fs.declaredType = .category
            case "integer", "number", "year": fs.declaredType = .number
            case "boolean": fs.declaredType = .boolean
            case "date", "datetime": fs.declaredType = .date
            case nil, "any": break
            case let other?:
                throw pkg.error("field '\(name).\(fname)' has type '\(other)', which misq does not read", at: other, after: fname,
                                expected: "string, integer, number, boolean, date, datetime or year")
            }
            fs.description = f["description"] as? String
            fs.enumValues = (f["constraints"] as? [String: Any])?["enum"] as? [String]
            fs.trueValues = f["trueValues"] as? [String]
            fs.falseValues = f["falseValues"] as? [String]
            if let fmt = f["format"] as? String, fmt.hasPrefix("%m/%d") { fs.dateOrder = .monthFirst }
            fields.append(fs)
        }
        // Every declared field must be in the CSV, and the other way round.
        let header = Set(csv.header.map { $0.lowercased() })
        if let missing = fields.first(where: { !header.contains($0.name.lowercased()) }) {
            throw pkg.error("resource '\(name)' declares field '\(missing.name)', but \(rel) has no such column", at: missing.name, after: name,
                            expected: "one of: " + csv.header.joined(separator: ", "),
                            suggestion: Suggestions.didYouMean(missing.name, csv.header))
        }
        var p = Provenance()
        p.title = r["title"] as? String
        p.description = r["description"] as? String
        p.publisher = r["misq:publisher"] as? String
        p.reference = r["misq:reference"] as? String
        p.retrievedFrom = r["misq:retrievedFrom"] as? String
        p.caveats = r["misq:caveats"] as? [String] ?? []
        p.synthetic = r["misq:synthetic"] as? Bool ?? false
        p.sources = (r["sources"] as? [[String: Any]] ?? []).compactMap { s in
            [s["title"] as? String, s["path"] as? String].compactMap { $0 }.joined(separator: ", ")
        }
        p.licence = ((r["licenses"] as? [[String: Any]])?.first).flatMap { $0["title"] as? String ?? $0["name"] as? String }
        if let s = r["misq:retrieved"] as? String {
            guard let d = ValueParsing.date(s) else { throw pkg.error("'misq:retrieved' of '\(name)' is '\(s)', not a date", at: s, after: name, expected: "a date as YYYY-MM-DD") }
            p.retrieved = d
        }
        if let rule = r["misq:suppression"] {
            guard let text = rule as? String, let parsed = SuppressionRule.parse(text, setBy: name) else {
                throw pkg.error("'misq:suppression' of '\(name)' is not a suppression rule", at: "misq:suppression", after: name,
                                expected: "a rule as a query writes it after 'with suppression': \"under 5\", \"1-4\", \"under 5 individuals\"")
            }
            if let u = parsed.unit, !(r["misq:units"] as? [String: Any] ?? [:]).keys.contains(where: { $0.lowercased() == u.text.lowercased() }) {
                throw pkg.error("'misq:suppression' of '\(name)' counts '\(u.text)', which is not one of its misq:units", at: "misq:suppression", after: name,
                                expected: "a unit the resource declares, counted once each")
            }
            p.suppression = parsed
        }
        var asOf: Int?
        if let s = r["misq:asOf"] as? String {
            guard let d = ValueParsing.date(s) else { throw pkg.error("'misq:asOf' of '\(name)' is '\(s)', not a date", at: s, after: name, expected: "a date as YYYY-MM-DD") }
            asOf = d
        }
        var units: [String: UnitDefinition] = [:]
        for (unit, def) in r["misq:units"] as? [String: Any] ?? [:] {
            if let s = def as? String, s == "rows" { units[unit] = .rows }
            else if let s = def as? String, s == "measure" { units[unit] = .measure }
            else if let d = def as? [String: Any], let col = d["distinct"] as? String {
                guard csv.header.contains(where: { $0.lowercased() == col.lowercased() }) else {
                    throw pkg.error("unit '\(unit)' of '\(name)' counts distinct '\(col)', which \(rel) lacks", at: col, after: unit,
                                    suggestion: Suggestions.didYouMean(col, csv.header))
                }
                units[unit] = .distinct(col)
            } else {
                throw pkg.error("unit '\(unit)' of '\(name)' is not understood", at: unit, after: name,
                                expected: "\"rows\", \"measure\" or {\"distinct\": \"COLUMN\"}")
            }
        }
        var published: PublishedLayout?
        if let pub = r["misq:published"] as? [String: Any] {
            guard let w = pub["weight"] as? String, let m = pub["measure"] as? String else {
                throw pkg.error("'misq:published' of '\(name)' needs \"weight\" and \"measure\" columns", at: "misq:published", after: name)
            }
            for col in [w, m] + [pub["periodStart"] as? String, pub["periodEnd"] as? String].compactMap({ $0 })
            where !csv.header.contains(where: { $0.lowercased() == col.lowercased() }) {
                throw pkg.error("'misq:published' of '\(name)' names column '\(col)', which \(rel) lacks", at: col, after: "misq:published",
                                suggestion: Suggestions.didYouMean(col, csv.header))
            }
            published = PublishedLayout(weight: w, measure: m, periodStart: pub["periodStart"] as? String, periodEnd: pub["periodEnd"] as? String)
            var wf = fields.first { $0.name == w } ?? FieldSchema(name: w)
            wf.declaredType = .number
            fields.removeAll { $0.name == w }
            fields.append(wf)
        }
        if units.isEmpty && published == nil { units["rows"] = .rows }
        let period = r["misq:period"] as? String
        if let pc = period, !csv.header.contains(where: { $0.lowercased() == pc.lowercased() }) {
            throw pkg.error("'misq:period' of '\(name)' is '\(pc)', which \(rel) lacks", at: pc, after: name,
                            suggestion: Suggestions.didYouMean(pc, csv.header))
        }
        let missing = Set(schema["missingValues"] as? [String] ?? [""])
        let ds = Dataset(name: datasetName ?? name, path: path, source: csv, fields: fields, provenance: p, units: units, periodColumn: period,
                         published: published, asOf: asOf ?? p.retrieved, isDefault: datasetName == nil && r["misq:default"] as? Bool ?? false,
                         missingValues: missing)
        if published != nil {
            do { try ds.addMeasureUnits() } catch { throw UnreadableFile(path: path, error: error) }
        }
        return ds
    }

    /// A resource's CSV could not be read.
    struct UnreadableFile: Error {
        var path: String
        var error: Error
    }

    /// The dataset of a resource whose CSV could not be read: its name,
    /// title and units as declared (so `count cases` on it gives its
    /// error, not "unknown unit"), and `error` for every use.
    static func unusable(_ r: [String: Any], path: String, error: Error) -> Dataset {
        var units: [String: UnitDefinition] = [:]
        for (unit, def) in r["misq:units"] as? [String: Any] ?? [:] {
            if let d = def as? [String: Any], let col = d["distinct"] as? String { units[unit] = .distinct(col) } else { units[unit] = .rows }
        }
        if units.isEmpty { units["rows"] = .rows }
        var p = Provenance()
        p.title = r["title"] as? String
        p.synthetic = r["misq:synthetic"] as? Bool ?? false
        return Dataset.unusable(name: r["name"] as? String ?? path, path: path,
                                error: error.misqErrors.first ?? MisqError(.io, "\(path) could not be read"),
                                units: units, provenance: p, isDefault: r["misq:default"] as? Bool ?? false)
    }

}

extension Dataset {
    /// A published table counts every unit its measure column names.
    func addMeasureUnits() throws {
        guard let pub = published, case .category(let m)? = try column(named: pub.measure) else { return }
        for label in m.labels where units[label] == nil { units[label] = .measure }
    }
}
