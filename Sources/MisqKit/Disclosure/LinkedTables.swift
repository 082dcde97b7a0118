/// Tables of one run protected together. An FOI answer publishes several
/// tables over the same records (allegations by force across outcome, and
/// by force across year), and a cell hidden in one can be worked out from
/// another: a force's total in the second minus the cells the first
/// publishes. Statistics Norway's GaussSuppression protects such "linked
/// tables" as one model matrix over the finest cross-classification; so
/// does this.
///
/// Tables are linked when they count from the same records: the same
/// dataset (and join, and derived columns) and the same unit. Then each of
/// their cells is the sum of some of the finest groups (every key of every
/// linked table at once, and, when their filters differ, which of the
/// filters a record passes: `where period FY2022/23` and `where vawg`
/// share the VAWG cases of that year), which are the unknowns of one
/// linear system. The link is checked, not
/// assumed: each inner cell must be exactly the sum of its finest groups
/// (a distinct unit, such as officers, can be in two groups at once, and
/// then it is not), else the table is protected on its own and its footer
/// says why.
///
/// The run is protected in order: a table is protected against every
/// table already published (their figures are known, their hidden cells
/// stay hidden and their primary cells must stay protected), so nothing
/// printed earlier changes.
public struct PublishedTable {
    /// How the footer names it: `line 18 (count requested by year …)`.
    public var label: String
    /// The records it counts from: dataset, join, derived columns and unit
    /// (`Session.link`); its filter is its plan's.
    public var link: String
    /// Its keys (by, then across) as the plan has them, and their identities.
    public var keys: [PlanKey]
    public var keyIdentities: [String]
    public var table: GroupedResult
    public var rule: SuppressionRule
    /// The plan it was counted by, for `misq audit` to count the finest
    /// groups of all the tables linked with it.
    public var plan: LogicalPlan
    /// False when it is linked to nothing (rounded, or not a plain count).
    public var linkable = true
    /// The groups' values added up, as its footer states them (`Fact.overlap`).
    public var statedSum: Double?
    /// The margins it prints (`TableModel.Margins`): only those are published figures.
    var margins = TableModel.Margins.all

    public init(label: String, link: String, keys: [PlanKey], keyIdentities: [String], table: GroupedResult, rule: SuppressionRule, plan: LogicalPlan) {
        self.label = label; self.link = link; self.keys = keys; self.keyIdentities = keyIdentities; self.table = table; self.rule = rule; self.plan = plan
    }
}

/// What `Disclosure.protect` needs to protect a table with the earlier ones.
public struct Linkage {
    public var earlier: [PublishedTable]
    /// The same records counted by every key of the tables (no totals).
    public var atoms: GroupedResult
    /// Per table, earlier ones then the one being protected: where each of
    /// its keys (by, then across) is among the atoms' keys.
    public var positions: [[Int]]
    /// Tables of different filters: per atom, the filters its records pass
    /// (bit i: filter i), and per table, earlier ones then this one, its
    /// filter's number. Nil when every table has the same filter.
    public var atomFilters: [Int]?
    public var tableFilters: [Int]?
    /// Why the tables are protected apart though they count the same records.
    public var apart: String?
    /// The most filters split by: 2^n − 1 runs over the records.
    static let maxFilters = 4
    public init(earlier: [PublishedTable], atoms: GroupedResult, positions: [[Int]]) {
        self.earlier = earlier; self.atoms = atoms; self.positions = positions
    }
}

/// The cells of several tables over their finest groups.
struct LinkedModel {
    var model: TableModel
    /// Each table's cells in `model.cells`, in the order given.
    var ranges: [Range<Int>]
    /// Why the tables could not be linked, when they could not: the first
    /// table (by place) with a cell that is not the sum of its finest groups.
    var refusal: (table: Int, cell: String)?

    /// `tables`: each table with where its keys are among the atoms'.
    /// `filters`: when the tables' filters differ, the filters each atom's
    /// records pass and each table's filter (`Linkage`); a table's cell then
    /// adds up only the atoms of records its filter keeps.
    init(_ tables: [(GroupedResult, [Int], TableModel.Margins)], atoms: GroupedResult, filters: (atoms: [Int], tables: [Int])? = nil) {
        var values = atoms.rows.map { $0.values.first ?? 0 }
        var cells: [TableModel.Cell] = []
        var ranges: [Range<Int>] = []
        refusal = nil
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
        for (t, (g, positions, margins)) in tables.enumerated() {
            let own = TableModel(g, statedSum: nil, margins: margins)
            var byLabels: [[String?]: [Int]] = [:]
            let mine = filters.map { 1 << ($0.tables.indices.contains(t) ? $0.tables[t] : 0) }
            for (a, row) in atoms.rows.enumerated() where positions.allSatisfy({ $0 < row.keys.count }) {
                if let bit = mine, let f = filters, a < f.atoms.count, f.atoms[a] & bit == 0 { continue }
                var labels = positions.map { row.keys[$0] }
                // A missing value is a row key's nil, but an across column's "(missing)" (`GroupKeys`).
                if g.acrossName != nil, let last = labels.indices.last, labels[last] == nil { labels[last] = "(missing)" }
                byLabels[labels, default: []].append(a)
            }
            var innerAtoms: [[Int]] = []
            for i in 0..<own.rows {
                for j in 0..<own.width {
                    var labels = g.rows[i].keys
                    if g.acrossName != nil { labels.append(g.acrossLabels[j]) }
                    var members = byLabels[labels] ?? []
                    let value = own.inner[i * own.width + j]
                    if members.isEmpty && value == 0 {
                        // An empty group the table shows: an unknown of its
                        // own, as a reader does not know it is empty.
                        values.append(0)
                        members = [values.count - 1]
                    } else if !close(members.reduce(0) { $0 + values[$1] }, value) {
                        if refusal == nil { refusal = (t, own.cells[i * own.width + j].label) }
                    }
                    innerAtoms.append(members)
                }
            }
            let start = cells.count
            for c in own.cells {
                let members = c.members.flatMap { innerAtoms[$0] }
                let sum = members.reduce(0) { $0 + values[$1] }
                cells.append(.init(value: c.value, members: members, additive: c.additive && close(sum, c.value), label: c.label, isTotal: c.isTotal,
                              printed: c.printed))
            }
            ranges.append(start..<cells.count)
        }
        model = TableModel(values: values, cells: cells)
        self.ranges = ranges
    }

    /// A published table's status per cell of its own `TableModel`.
    static func statuses(_ p: SuppressionPattern, across: Bool) -> [CellStatus] {
        p.cells + (across ? p.rowTotals + p.columnTotals : []) + [p.grandTotal]
    }
}

