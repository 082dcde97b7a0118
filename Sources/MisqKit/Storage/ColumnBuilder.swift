import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the data package says of a field (all optional for a bare CSV).
public struct FieldSchema: Sendable {
    public var name: String
    public var declaredType: ColumnType?
    public var description: String?
    /// Frictionless `constraints.enum`: the allowed values, in display order.
    public var enumValues: [String]?
    public var trueValues: [String]?
    public var falseValues: [String]?
    public var dateOrder: ValueParsing.DateOrder = .dayFirst
    public init(name: String) { self.name = name }
}

/// Parses CSV columns into typed columns, all the columns a query needs in
/// one pass over the file. The file's chunks are parsed on all cores, each
/// into its own byte dictionary per column; the chunk dictionaries are then
/// merged in order, so codes follow first appearance, and one more parallel
/// pass writes each column's final values through a per-chunk table.
package enum ColumnBuilder {
    /// `columns` must be distinct; the result is in the same order.
    /// `keepRowStarts`: the pass keeps each row's start for a later pass
    /// over the selected rows (`buildSelected`).
    package static func build(_ csv: CSVFile, columns: [Int], schemas: [FieldSchema], missingValues: Set<String>, keepRowStarts: Bool = false) throws -> [Column] {
        guard !columns.isEmpty else { return [] }
        var (chunks, parts) = try csv.scan(columns: columns, keepRowStarts: keepRowStarts)
        try Cancellation.check()
        let rows = chunks.last.map { $0.firstRow + $0.rows } ?? 0
        var result: [Column] = []
        for k in columns.indices {
            // Chunk codes → merged codes, in first-appearance order.
            let (remaps, labels) = DictionaryMerge.merge(parts.map { $0.dicts[k] })
            for c in parts.indices { parts[c].dicts[k] = ByteDictionary() }
            let codes = LocalCodes(chunks: chunks, parts: parts, slot: k, width: columns.count, rows: rows, remaps: remaps)
            result.append(try typed(csv: csv, column: columns[k], schema: schemas[k], codes: codes, labels: labels, missingValues: missingValues))
            try Cancellation.check()
        }
        return result
    }

    /// A category column holding only the rows `selection` holds (the rest
    /// missing), from one pass that parses only those rows; nil when that
    /// cannot stand for the whole column: the rows were not indexed yet,
    /// the package constrains or types the field otherwise, or the selected
    /// values do not settle its type as category (which every value then
    /// would: a superset of values that are not all yes/no, numbers or
    /// dates is not either).
    static func buildSelected(_ csv: CSVFile, column: Int, schema: FieldSchema, missingValues: Set<String>, selection: Bitmap) throws -> Column? {
        guard buildsSelected(schema), let scanned = try csv.scan(columns: [column], selection: selection) else { return nil }
        let chunks = scanned.chunks
        var parts = scanned.parts
        let rows = chunks.last.map { $0.firstRow + $0.rows } ?? 0
        let (remaps, labels) = DictionaryMerge.merge(parts.map { $0.dicts[0] })
        for c in parts.indices { parts[c].dicts[0] = ByteDictionary() }
        let markers = missingValues.filter { !$0.isEmpty }
        guard labels.contains(where: { !$0.isEmpty && !markers.contains($0) }) else { return nil }
        let codes = LocalCodes(chunks: chunks, parts: parts, slot: 0, width: 1, rows: rows, remaps: remaps)
        let built = try typed(csv: csv, column: column, schema: schema, codes: codes, labels: labels, missingValues: missingValues)
        guard case .category = built else { return nil }
        return built
    }

    /// Whether a field may be built for selected rows: no allowed-values
    /// list to check every row against, and no type but category declared.
    static func buildsSelected(_ schema: FieldSchema) -> Bool {
        schema.enumValues == nil && (schema.declaredType == nil || schema.declaredType == .category)
    }

    /// A column's codes as the scan left them: per chunk, into that chunk's
    /// dictionary, with the table from each chunk's codes to the merged ones.
    struct LocalCodes {
        let chunks: [CSVFile.Chunk]
        let parts: [ChunkScan.Part]
        let slot: Int
        let width: Int
        let rows: Int
        let remaps: [[UInt32]]

        /// The first row holding merged code `code` (for error messages).
        func firstRow(withCode code: Int) -> Int {
            for (c, chunk) in chunks.enumerated() {
                let part = parts[c], map = remaps[c]
                for r in 0..<chunk.rows where Int(map[Int(part.code(r * width + slot))]) == code { return chunk.firstRow + r }
            }
            return 0
        }

        /// Each row's value through `table` (indexed by merged code), on all cores.
        func map<T: BitwiseCopyable>(_ table: [T]) -> ColumnValues<T> {
            ColumnValues(count: rows) { base in
                DispatchQueue.concurrentPerform(iterations: chunks.count) { c in
                    let chunk = chunks[c]
                    let t = remaps[c].map { table[Int($0)] }
                    let dst = base + chunk.firstRow
                    t.withUnsafeBufferPointer { t in
                        func fill<C: FixedWidthInteger>(_ local: UnsafeBufferPointer<C>) {
                            var at = slot
                            for r in 0..<chunk.rows { (dst + r).initialize(to: t[Int(local[at])]); at &+= width }
                        }
                        parts[c].withCodes { small, narrow, wide in
                            if let s = small { fill(s) } else if let n = narrow { fill(n) } else if let w = wide { fill(w) }
                        }
                    }
                }
            }
        }
    }

    /// The first label holding a NUL byte. A memchr over each label's
    /// bytes, on all cores: an id column has a label per few rows, and a
    /// generic search of each `utf8` view was the one serial step left
    /// between the scan and the answer.
    static func firstLabelWithNul(_ labels: [String]) -> Int? {
        func hasNul(_ label: String) -> Bool {
            var label = label
            return label.withUTF8 { b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false }
        }
        return Parallel.perSlice(labels.count, grain: 1 << 14, initial: nil) { range in
            range.first { hasNul(labels[$0]) }
        }.lazy.compactMap { $0 }.first
    }

    /// Whether every present label reads as a number exactly, and grouping
    /// commas merge no two of them (`ValueParsing.groupingMerges`). The
    /// common value (`.exact` from the fast path) has no comma, so the
    /// grouping pass runs only when some value took the careful path.
    static func allExactNumbers(_ labels: [String], _ present: [Int]) -> Bool {
        var careful = false
        let all = present.allSatisfy { k in
            switch ValueParsing.plainNumber(labels[k]) {
            case .exact: return true
            case .loses: return false
            case .undecided: careful = true; return ValueParsing.exactNumber(labels[k]) != nil
            }
        }
        return all && (!careful || ValueParsing.groupingMerges(present.lazy.map { labels[$0] }) == nil)
    }

    /// Settle the type from the distinct labels (or the declared type), then
    /// convert codes to the typed column.
    static func typed(csv: CSVFile, column: Int, schema: FieldSchema, codes: LocalCodes, labels: [String],
                      missingValues: Set<String>) throws -> Column {
        // Blank is always missing; hash a label only if other markers are set
        // (an id column has millions of labels).
        if let k = firstLabelWithNul(labels) {
            throw csv.nulError(row: codes.firstRow(withCode: k), column: column)
        }
        let markers = missingValues.filter { !$0.isEmpty }
        let isMissing = labels.map { $0.isEmpty || (!markers.isEmpty && markers.contains($0)) }
        let present = labels.indices.filter { !isMissing[$0] }
        func bad(_ code: Int, _ message: String, _ expected: String, _ suggestion: String?) -> MisqError {
            csv.fieldError(row: codes.firstRow(withCode: code), column: column, message, expected: expected, suggestion: suggestion)
        }

        var type = schema.declaredType
        if type == nil {
            if !present.isEmpty, present.allSatisfy({ ValueParsing.boolean(labels[$0], allowDigits: false) != nil }) { type = .boolean }
            // A number only when every value reads as one exactly: an id
            // column with `007` or 19-digit ids stays text (`describe` says why).
            else if !present.isEmpty, allExactNumbers(labels, present) { type = .number }
            else if !present.isEmpty, present.allSatisfy({ ValueParsing.looksLikeDate(labels[$0]) }) { type = .date }
            else { type = .category }
        }
        let n = codes.rows
        switch type ?? .category {
        case .category:
            var kept: [String] = []
            var remap = [UInt32](repeating: CategoryColumn.missing, count: labels.count)
            for k in present { remap[k] = UInt32(kept.count); kept.append(labels[k]) }
            if let allowed = schema.enumValues {
                let ok = Set(allowed.map(Suggestions.normalize))
                if let k = present.first(where: { !ok.contains(Suggestions.normalize(labels[$0])) }) {
                    throw bad(k, "'\(labels[k])' is not one of the values the data package allows for '\(schema.name)'",
                              "one of: " + allowed.joined(separator: ", "), Suggestions.didYouMean(labels[k], allowed))
                }
            }
            // Stored at the narrowest width the labels allow; the width's
            // largest value means missing.
            let narrow: CategoryCodes
            switch CategoryCodes.width(labels: kept.count) {
            case 1: narrow = .u8(codes.map(remap.map { $0 == CategoryColumn.missing ? UInt8.max : UInt8(truncatingIfNeeded: $0) }))
            case 2: narrow = .u16(codes.map(remap.map { $0 == CategoryColumn.missing ? UInt16.max : UInt16(truncatingIfNeeded: $0) }))
            default: narrow = .u32(codes.map(remap))
            }
            return .category(CategoryColumn(codes: narrow, labels: kept, declaredOrder: schema.enumValues))
        case .number:
            var values = [Double](repeating: .nan, count: labels.count)
            for k in present {
                guard let v = ValueParsing.anyNumber(labels[k]) else {
                    throw bad(k, "'\(labels[k])' is not a number, but '\(schema.name)' holds numbers", "a number such as 12, 3.5 or 1,131",
                              "fix the value, or leave it blank for missing")
                }
                values[k] = v
            }
            let out = codes.map(values)
            let allInt = present.allSatisfy { values[$0].rounded() == values[$0] }
            return .number(NumberColumn(values: out, allIntegers: allInt))
        case .date:
            var days = [Int32](repeating: DateColumn.missing, count: labels.count)
            for k in present {
                guard let d = ValueParsing.date(labels[k], order: schema.dateOrder) else {
                    let shaped = ValueParsing.looksLikeDate(labels[k])
                    throw bad(k, shaped ? "'\(labels[k])' is not a real date" : "'\(labels[k])' is not a date, but '\(schema.name)' holds dates",
                              schema.dateOrder == .dayFirst ? "a date as YYYY-MM-DD or DD/MM/YYYY" : "a date as YYYY-MM-DD or MM/DD/YYYY",
                              shaped ? "check the day and month (dates with '/' are read \(schema.dateOrder == .dayFirst ? "day first, as in the UK" : "month first"))" : "fix the value, or leave it blank for missing")
                }
                days[k] = Int32(d)
            }
            return .date(DateColumn(days: codes.map(days)))
        case .boolean:
            let trues = Set((schema.trueValues ?? []).map { $0.lowercased() })
            let falses = Set((schema.falseValues ?? []).map { $0.lowercased() })
            var table = [UInt8](repeating: 2, count: labels.count)  // 0 false, 1 true, 2 missing
            for k in present {
                let l = labels[k].lowercased()
                var v: Bool? = trues.contains(l) ? true : (falses.contains(l) ? false : nil)
                if v == nil { v = ValueParsing.boolean(l, allowDigits: true) }
                guard let b = v else {
                    throw bad(k, "'\(labels[k])' is not yes or no, but '\(schema.name)' holds yes/no values",
                              "yes, no, y, n, true, false, 1 or 0", "fix the value, or leave it blank for missing")
                }
                table[k] = b ? 1 : 0
            }
            let states = codes.map(table)
            let words = (n + 63) / 64
            // Sixty-four rows a word, words on all cores, no branch a row.
            func pack(_ bit: @escaping (UInt8) -> Bool) -> ColumnValues<UInt64> {
                ColumnValues(count: words) { out in
                    states.withUnsafeBufferPointer { st in
                        Parallel.slices(words, grain: 1 << 12) { _, range in
                            for k in range {
                                var word: UInt64 = 0
                                let base = k << 6
                                for j in 0..<Swift.min(64, n &- base) { word |= UInt64(bit(st[base &+ j]) ? 1 : 0) &<< UInt64(j) }
                                (out + k).initialize(to: word)
                            }
                        }
                    }
                }
            }
            let value = PackedBits(words: pack { $0 == 1 }, count: n), known = PackedBits(words: pack { $0 != 2 }, count: n)
            return .boolean(BoolColumn(value: value, known: known))
        }
    }
}
