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

    public static func load(directory: String) throws -> Loaded {
        let path = (directory as NSString).appendingPathComponent("datapackage.json")
        let bytes = try CSVFile.read(path)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes)) }
        catch {
            let msg = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw MisqError(.data, "\(path) is not valid JSON: \(msg)", expected: "a Frictionless Data Package (JSON)",
                            suggestion: "check commas and quotes; a JSON validator will point at the spot")
        }
        guard let root = json as? [String: Any] else {
            throw MisqError(.data, "\(path): the top level must be a JSON object", expected: "{ \"resources\": [ … ] }")
        }
        guard let resources = root["resources"] as? [[String: Any]] else {
            throw MisqError(.data, "\(path): no \"resources\" list", expected: "\"resources\": [ { \"name\": …, \"path\": … } ]")
        }
        var datasets: [Dataset] = []
        for (k, r) in resources.enumerated() {
            datasets.append(try resource(r, index: k, directory: directory, packagePath: path))
        }
        let defs = (root["misq:definitions"] as? [String] ?? (root["misq:definitions"] as? String).map { [$0] } ?? [])
            .map { (directory as NSString).appendingPathComponent($0) }
        return Loaded(datasets: datasets, definitionFiles: defs)
    }

    static func resource(_ r: [String: Any], index: Int, directory: String, packagePath: String) throws -> Dataset {
        guard let name = r["name"] as? String else {
            throw MisqError(.data, "\(packagePath): resource \(index + 1) has no \"name\"", expected: "\"name\": \"cases\"")
        }
        guard let rel = r["path"] as? String else {
            throw MisqError(.data, "\(packagePath): resource '\(name)' has no \"path\"", expected: "\"path\": \"\(name).csv\"")
        }
        let path = (directory as NSString).appendingPathComponent(rel)
        guard FileManager.default.fileExists(atPath: path) else {
            throw MisqError(.data, "\(packagePath): resource '\(name)' points at \(rel), which does not exist",
                            expected: "a CSV file beside datapackage.json", suggestion: "check the \"path\" of '\(name)'")
        }
        let csv = try CSVFile(path: path)
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
                throw MisqError(.data, "\(packagePath): field '\(name).\(fname)' has type '\(other)', which misq does not read",
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
            throw MisqError(.data, "\(packagePath): resource '\(name)' declares field '\(missing.name)', but \(rel) has no such column",
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
            guard let d = ValueParsing.date(s) else { throw dateError(packagePath, name, "misq:retrieved", s) }
            p.retrieved = d
        }
        var asOf: Int?
        if let s = r["misq:asOf"] as? String {
            guard let d = ValueParsing.date(s) else { throw dateError(packagePath, name, "misq:asOf", s) }
            asOf = d
        }
        var units: [String: UnitDefinition] = [:]
        for (unit, def) in r["misq:units"] as? [String: Any] ?? [:] {
            if let s = def as? String, s == "rows" { units[unit] = .rows }
            else if let s = def as? String, s == "measure" { units[unit] = .measure }
            else if let d = def as? [String: Any], let col = d["distinct"] as? String {
                guard csv.header.contains(where: { $0.lowercased() == col.lowercased() }) else {
                    throw MisqError(.data, "\(packagePath): unit '\(unit)' of '\(name)' counts distinct '\(col)', which \(rel) lacks",
                                    suggestion: Suggestions.didYouMean(col, csv.header))
                }
                units[unit] = .distinct(col)
            } else {
                throw MisqError(.data, "\(packagePath): unit '\(unit)' of '\(name)' is not understood",
                                expected: "\"rows\", \"measure\" or {\"distinct\": \"COLUMN\"}")
            }
        }
        var published: PublishedLayout?
        if let pub = r["misq:published"] as? [String: Any] {
            guard let w = pub["weight"] as? String, let m = pub["measure"] as? String else {
                throw MisqError(.data, "\(packagePath): 'misq:published' of '\(name)' needs \"weight\" and \"measure\" columns")
            }
            for col in [w, m] + [pub["periodStart"] as? String, pub["periodEnd"] as? String].compactMap({ $0 })
            where !csv.header.contains(where: { $0.lowercased() == col.lowercased() }) {
                throw MisqError(.data, "\(packagePath): 'misq:published' of '\(name)' names column '\(col)', which \(rel) lacks",
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
            throw MisqError(.data, "\(packagePath): 'misq:period' of '\(name)' is '\(pc)', which \(rel) lacks",
                            suggestion: Suggestions.didYouMean(pc, csv.header))
        }
        let missing = Set(schema["missingValues"] as? [String] ?? [""])
        let ds = Dataset(name: name, path: path, csv: csv, fields: fields, provenance: p, units: units, periodColumn: period,
                         published: published, asOf: asOf ?? p.retrieved, isDefault: r["misq:default"] as? Bool ?? false,
                         missingValues: missing)
        if published != nil { try ds.addMeasureUnits() }
        return ds
    }

    static func dateError(_ pkg: String, _ name: String, _ key: String, _ value: String) -> MisqError {
        MisqError(.data, "\(pkg): '\(key)' of '\(name)' is '\(value)', not a date", expected: "a date as YYYY-MM-DD")
    }
}

extension Dataset {
    /// A published table counts every unit its measure column names.
    func addMeasureUnits() throws {
        guard let pub = published, case .category(let m)? = try column(named: pub.measure) else { return }
        for label in m.labels where units[label] == nil { units[label] = .measure }
    }
}
