import Foundation

/// A dataset as the checker sees it (`Plan/Catalog.swift`): types and
/// labels, which a bare CSV learns by parsing a column once (then kept in
/// memory and in the column cache), never the rows themselves.
extension Dataset: DatasetSchema {
    public var suppressionRule: SuppressionRule? { provenance.suppression }
    public func columnType(_ index: Int) throws -> ColumnType {
        try column(index, checkedCodes: false).type
    }

    public func labelSet(_ index: Int) throws -> LabelSet? {
        guard case .category(let c) = try column(index, checkedCodes: false) else { return nil }
        return LabelSet(labels: c.labels, foldedMatches: { c.codes(normalized: $0).map(Int.init) })
    }

    public func declaredValues(_ index: Int) -> [String]? { schema(index).enumValues }

    public var sourcePath: String {
        let p = DataPackage.resolved(path) ?? path
        return ColumnCache.lexicallyStandard(p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p)
    }

    public func rowCounts(ofLabels wantedLabels: [String], column index: Int) throws -> [String: Int] {
        guard case .category(let col) = try column(index) else { return [:] }
        let labels = col.labels
        let wanted = Set(wantedLabels)
        var isWanted = [Bool](repeating: false, count: col.labelCount)
        for (k, l) in labels.enumerated() where k < isWanted.count && wanted.contains(l) { isWanted[k] = true }
        var counts: [String: Int] = [:]
        let all = col.codes
        for r in 0..<all.count {
            let x = Int(all[r])
            if x < isWanted.count, isWanted[x] { counts[labels[x], default: 0] += 1 }
        }
        return counts
    }

    public func duplicateKey(column index: Int) throws -> (label: String, rows: Int)? {
        let c = try column(index)
        // A category column's labels are distinct, one per code: counting
        // codes finds the same first repeat with no string hashed (a join on
        // 250,000 officer ids spent a seventh of its time hashing them here).
        if case .category(let cat) = c {
            var count = [Int32](repeating: 0, count: cat.labelCount)
            var first: Int?
            for r in 0..<cat.codes.count {
                let k = cat.codes[r]
                guard k != CategoryColumn.missing, Int(k) < count.count else { continue }
                count[Int(k)] += 1
                if count[Int(k)] == 2, first == nil { first = Int(k) }
            }
            return first.map { ("'\(cat.labels[$0])'", Int(count[$0])) }
        }
        var seen: [String: Int] = [:]
        var first: String?
        for r in 0..<c.count {
            guard let v = c.text(r) else { continue }
            let n = seen[v, default: 0] + 1
            seen[v] = n
            if n == 2, first == nil { first = v }
        }
        return first.map { ("'\($0)'", seen[$0] ?? 2) }
    }

    /// With a filter, a late column the dataset may parse for the selected
    /// rows alone waits for the selection (`column(_:selection:)`).
    public func prepare(early: Set<String>, late: Set<String>, filtered: Bool) throws {
        var deferred = false
        let wanted = columnNames.indices.filter { k in
            let name = columnNames[k].lowercased()
            if early.contains(name) { return true }
            guard late.contains(name) else { return false }
            if filtered && defersToSelection(k) { deferred = true; return false }
            return true
        }
        try load(columns: wanted, keepRowStarts: deferred)
    }
}
