import Dispatch

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

/// Parses one CSV column into a typed column. Rows are split into chunks
/// parsed on all cores, each into its own byte dictionary; the chunk
/// dictionaries are then merged in order, so codes follow first appearance.
enum ColumnBuilder {
    static let chunkRows = 1 << 16

    static func build(_ csv: CSVFile, column: Int, schema: FieldSchema, missingValues: Set<String>) throws -> Column {
        let rows = csv.rowCount
        let chunkCount = max(1, (rows + chunkRows - 1) / chunkRows)
        var codes = [UInt32](repeating: 0, count: rows)
        var dicts = [ByteDictionary](repeating: ByteDictionary(), count: chunkCount)
        let sep = csv.separator
        csv.bytes.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            codes.withUnsafeMutableBufferPointer { out in
                dicts.withUnsafeMutableBufferPointer { dictBuf in
                    let starts = csv.rowStarts
                    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                        var dict = ByteDictionary(capacity: 256)
                        var scratch: [UInt8] = []
                        let lo = chunk * chunkRows, hi = min(rows, lo + chunkRows)
                        for r in lo..<hi {
                            let (s, e, quoted) = CSVFile.field(p, rowStart: starts[r], rowEnd: starts[r + 1], column: column, separator: sep)
                            if quoted, memchrQuote(p + s, e - s) {
                                scratch = CSVFile.unescape(Array(UnsafeBufferPointer(start: p + s, count: e - s)))
                                out[r] = dict.code(scratch)
                            } else {
                                out[r] = dict.code(p + s, e - s)
                            }
                        }
                        dictBuf[chunk] = dict
                    }
                }
            }
        }
        try Cancellation.check()
        // One chunk's dictionary is already the column's. Several are merged
        // in order, and each chunk's codes remapped to the merged ones.
        var global = dicts[0]
        if chunkCount > 1 {
            global = ByteDictionary(capacity: dicts[0].count)
            var remaps: [[UInt32]] = []
            for d in dicts {
                var map = [UInt32](repeating: 0, count: d.count)
                for k in 0..<d.count { map[k] = global.code(Array(d.bytes(k))) }
                remaps.append(map)
            }
            codes.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    let map = remaps[chunk]
                    let lo = chunk * chunkRows, hi = min(rows, lo + chunkRows)
                    for r in lo..<hi { out[r] = map[Int(out[r])] }
                }
            }
        }
        let labels = (0..<global.count).map { global.string($0) }
        return try typed(csv: csv, column: column, schema: schema, codes: codes, labels: labels, missingValues: missingValues)
    }

    @inline(__always) static func memchrQuote(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for k in 0..<n where p[k] == UInt8(ascii: "\"") { return true }
        return false
    }

    /// Settle the type from the distinct labels (or the declared type), then
    /// convert codes to the typed column.
    static func typed(csv: CSVFile, column: Int, schema: FieldSchema, codes: [UInt32], labels: [String],
                      missingValues: Set<String>) throws -> Column {
        let isMissing = labels.map { $0.isEmpty || missingValues.contains($0) }
        let present = labels.indices.filter { !isMissing[$0] }
        func firstRow(withCode code: Int) -> Int { codes.firstIndex(of: UInt32(code)) ?? 0 }
        func bad(_ code: Int, _ message: String, _ expected: String, _ suggestion: String?) -> MisqError {
            csv.fieldError(row: firstRow(withCode: code), column: column, message, expected: expected, suggestion: suggestion)
        }

        var type = schema.declaredType
        if type == nil {
            if !present.isEmpty, present.allSatisfy({ ValueParsing.boolean(labels[$0], allowDigits: false) != nil }) { type = .boolean }
            else if !present.isEmpty, present.allSatisfy({ ValueParsing.number(labels[$0]) != nil }) { type = .number }
            else if !present.isEmpty, present.allSatisfy({ ValueParsing.looksLikeDate(labels[$0]) }) { type = .date }
            else { type = .category }
        }
        let n = codes.count
        switch type ?? .category {
        case .category:
            var mapped = codes
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
            for r in 0..<n { mapped[r] = remap[Int(codes[r])] }
            return .category(CategoryColumn(codes: mapped, labels: kept, declaredOrder: schema.enumValues))
        case .number:
            var values = [Double](repeating: .nan, count: labels.count)
            for k in present {
                guard let v = ValueParsing.number(labels[k]) else {
                    throw bad(k, "'\(labels[k])' is not a number, but '\(schema.name)' holds numbers", "a number such as 12, 3.5 or 1,131",
                              "fix the value, or leave it blank for missing")
                }
                values[k] = v
            }
            var out = [Double](repeating: .nan, count: n)
            for r in 0..<n { out[r] = values[Int(codes[r])] }
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
            var out = [Int32](repeating: DateColumn.missing, count: n)
            for r in 0..<n { out[r] = days[Int(codes[r])] }
            return .date(DateColumn(days: out))
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
            var value = Bitmap(count: n), known = Bitmap(count: n)
            for r in 0..<n {
                let t = table[Int(codes[r])]
                if t != 2 { known[r] = true; if t == 1 { value[r] = true } }
            }
            return .boolean(BoolColumn(value: value, known: known))
        }
    }
}
