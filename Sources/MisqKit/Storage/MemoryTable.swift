import Foundation

/// Columns made in memory rather than read from a CSV: a grouped result
/// kept as a dataset (`let per_officer = count allegations by officer_id`)
/// and two datasets joined. Such a table has no file, no cache and nothing
/// to read again; every column is there from the start.
extension Dataset {
    /// A dataset of these columns, all of `rows` rows. `path` names where it
    /// came from (`let per_officer`), for messages; no file is read at it.
    static func inMemory(name: String, path: String, columns: [(name: String, column: Column)], rows: Int,
                         provenance: Provenance, units: [String: UnitDefinition], periodColumn: String? = nil,
                         asOf: Int? = nil) -> Dataset {
        let source = TableSource(memoryHeader: columns.map(\.name), rows: rows, path: path)
        let d = Dataset(name: name, path: path, source: source, fields: columns.map { FieldSchema(name: $0.name) },
                        provenance: provenance, units: units, periodColumn: periodColumn, asOf: asOf)
        for (k, c) in columns.enumerated() { d.keep(c.column, at: k) }
        return d
    }

    /// A dataset whose columns are made by `make` when a query first needs them.
    static func inMemory(name: String, path: String, header: [String], rows: Int, provenance: Provenance,
                         units: [String: UnitDefinition], periodColumn: String?, asOf: Int?,
                         make: @escaping @Sendable (Int) throws -> Column) -> Dataset {
        let d = Dataset(name: name, path: path, source: TableSource(memoryHeader: header, rows: rows, path: path),
                        fields: header.map { FieldSchema(name: $0) }, provenance: provenance, units: units, periodColumn: periodColumn, asOf: asOf)
        d.provide(make)
        return d
    }
}

extension Column {
    /// A category column of these labels (nil: missing), coded in order of
    /// first appearance, as the CSV reader codes them.
    static func categories(_ values: [String?], declaredOrder: [String]? = nil) -> Column {
        var codeOf: [String: UInt32] = [:]
        var labels: [String] = []
        var codes = [UInt32](repeating: CategoryColumn.missing, count: values.count)
        for (r, v) in values.enumerated() {
            guard let v else { continue }
            if let c = codeOf[v] { codes[r] = c; continue }
            let c = UInt32(labels.count)
            codeOf[v] = c
            labels.append(v)
            codes[r] = c
        }
        let packed: CategoryCodes
        switch CategoryCodes.width(labels: labels.count) {
        case 1: packed = .u8(ColumnValues(codes.map { $0 == CategoryColumn.missing ? UInt8.max : UInt8($0) }))
        case 2: packed = .u16(ColumnValues(codes.map { $0 == CategoryColumn.missing ? UInt16.max : UInt16($0) }))
        default: packed = .u32(ColumnValues(codes))
        }
        return .category(CategoryColumn(codes: packed, labels: labels, declaredOrder: declaredOrder))
    }

    /// A number column; NaN is missing.
    static func numbers(_ values: [Double]) -> Column {
        .number(NumberColumn(values: ColumnValues(values), allIntegers: values.allSatisfy { $0.isNaN || $0.rounded() == $0 }))
    }

    /// A date column of day numbers; nil is missing.
    static func dates(_ days: [Int?]) -> Column {
        .date(DateColumn(days: ColumnValues(days.map { $0.map { Int32($0) } ?? DateColumn.missing })))
    }

    /// A yes/no column; nil is missing.
    static func booleans(_ values: [Bool?]) -> Column {
        var value = Bitmap(count: values.count), known = Bitmap(count: values.count)
        for (r, v) in values.enumerated() {
            guard let v else { continue }
            known.words[r >> 6] |= 1 &<< UInt64(r & 63)
            if v { value.words[r >> 6] |= 1 &<< UInt64(r & 63) }
        }
        return .boolean(BoolColumn(value: PackedBits(value), known: PackedBits(known)))
    }

    /// The rows `rows` of this column, in that order; -1 gives a missing
    /// value (a row of a left join that found no partner).
    func gathered(_ rows: [Int]) -> Column {
        switch self {
        case .category(let c):
            let codes: CategoryCodes
            switch c.codes {
            case .u8(let v): codes = .u8(ColumnValues(rows.map { $0 < 0 ? UInt8.max : v[$0] }))
            case .u16(let v): codes = .u16(ColumnValues(rows.map { $0 < 0 ? UInt16.max : v[$0] }))
            case .u32(let v): codes = .u32(ColumnValues(rows.map { $0 < 0 ? CategoryColumn.missing : v[$0] }))
            }
            return .category(CategoryColumn(codes: codes, labels: c.labels, declaredOrder: c.declaredOrder))
        case .number(let n):
            return .number(NumberColumn(values: ColumnValues(rows.map { $0 < 0 ? .nan : n.values[$0] }), allIntegers: n.allIntegers))
        case .date(let d):
            return .date(DateColumn(days: ColumnValues(rows.map { $0 < 0 ? DateColumn.missing : d.days[$0] })))
        case .boolean(let b):
            return Column.booleans(rows.map { $0 < 0 || !b.known[$0] ? nil : b.value[$0] })
        }
    }
}
