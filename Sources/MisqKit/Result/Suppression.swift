/// A table of counts as it may be published: which cells are hidden, and
/// why. The figures themselves stay in the result (an `assert` checks the
/// data, not the publication), and every presenter asks `published(…)`
/// for what it may show, so a hidden cell is a value of its own, never a
/// number that a format forgot to blank.
public enum CellStatus: UInt8, Sendable, Equatable {
    case published
    /// Sensitive under the rule (primary suppression).
    case primary
    /// Not sensitive, hidden so that no primary cell can be worked out
    /// from the published cells and totals (secondary suppression).
    case secondary

    public var isHidden: Bool { self != .published }
}

/// A cell as published: its figure, or confidential (`[c]`).
public enum PublishedValue: Sendable, Equatable {
    case figure(Double)
    case confidential(CellStatus)
}

/// Where a grouped result's cells are hidden. Cells are in the order of
/// `GroupedResult.rows`, `width` a row (one, or one per across column).
public struct SuppressionPattern: Sendable {
    public var rule: SuppressionRule
    public var width: Int
    public var cells: [CellStatus]
    /// One per row with `across` (empty without: a row's cell is its total).
    public var rowTotals: [CellStatus]
    /// One per column: the Total row's cells.
    public var columnTotals: [CellStatus]
    public var grandTotal: CellStatus
    /// The secondary method used, for the footer; nil when none ran.
    public var secondaryMethod: String? = nil
    /// `rounding 5`: every published figure rounded to this base (totals
    /// from the unrounded figures), in place of secondary suppression.
    public var rounding: Rounding? = nil
    /// What an attacker can infer about each hidden cell (`Disclosure/Audit.swift`).
    public var audit: SuppressionAudit? = nil

    public init(rule: SuppressionRule, width: Int, cells: [CellStatus], rowTotals: [CellStatus], columnTotals: [CellStatus], grandTotal: CellStatus) {
        self.rule = rule; self.width = width; self.cells = cells; self.rowTotals = rowTotals; self.columnTotals = columnTotals; self.grandTotal = grandTotal
    }

    public func cell(_ row: Int, _ column: Int) -> CellStatus { cells[row * width + column] }
    public func rowTotal(_ row: Int) -> CellStatus { rowTotals.isEmpty ? cells[row * width] : rowTotals[row] }
    public func columnTotal(_ column: Int) -> CellStatus { columnTotals.isEmpty ? grandTotal : columnTotals[column] }

    public var all: [CellStatus] { cells + rowTotals + columnTotals + [grandTotal] }
    public var primaryCount: Int { all.filter { $0 == .primary }.count }
    public var secondaryCount: Int { all.filter { $0 == .secondary }.count }
}

/// For each hidden cell, the narrowest interval its value can be shown to
/// lie in from what was published (a linear programme over the published
/// cells and totals), and the width a primary cell's interval must reach.
public struct SuppressionAudit: Sendable, Equatable {
    public struct Interval: Sendable, Equatable {
        /// Where the cell is: `force=Kent, outcome=dismissed`, `Total`.
        public var cell: String
        public var status: CellStatus
        public var value: Double
        public var low: Double
        public var high: Double
        /// The width this cell's interval must reach (its rule's protection
        /// interval; for a cell not hidden by the rule, reported only).
        public var required: Double = 1
        /// The cell's place in the model audited (`Disclosure/TableModel`).
        var index: Int = -1
        public var width: Double { high - low }
        public init(cell: String, status: CellStatus, value: Double, low: Double, high: Double) {
            self.cell = cell; self.status = status; self.value = value; self.low = low; self.high = high
        }
    }
    public var intervals: [Interval]
    /// A primary cell's interval must be at least this wide.
    public var requiredWidth: Double
    /// The rule's requirement in words when it is not one width for all
    /// (`protect 20%`), for the footer.
    public var requirement: String? = nil
    /// The table was published rounded to this base: the intervals are
    /// from rounded figures and the rule (`Disclosure/RoundedAudit.swift`).
    public var roundedTo: Int? = nil
    public init(intervals: [Interval], requiredWidth: Double) { self.intervals = intervals; self.requiredWidth = requiredWidth }
    /// The primary cells whose interval is narrower than required.
    public var failures: [Interval] { intervals.filter { $0.status == .primary && $0.width < $0.required } }
    public var passed: Bool { failures.isEmpty }
    /// The primary cell with the narrowest interval.
    public var narrowest: Interval? { intervals.filter { $0.status == .primary }.min { $0.width < $1.width } }
}

extension GroupedResult {
    /// A value cell as it may be published.
    public func published(row: Int, column: Int) -> PublishedValue {
        let v = rows[row].values[column]
        guard let s = suppression?.cell(row, column), s.isHidden else { return .figure(v) }
        return .confidential(s)
    }
}
