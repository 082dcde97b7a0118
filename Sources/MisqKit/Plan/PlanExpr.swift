/// A derived column in a logical plan: its name, and its value for each row
/// as a typed expression over columns by name (earlier steps included).
/// Lowering computes it after the scan, before the filter, only for a plan
/// that uses it (`Execution/Derive.swift`).
public struct DeriveStep: Sendable, Equatable {
    public var name: String
    public var expr: PlanExpr
    /// `.number` or `.date`.
    public var type: ColumnType
    /// Read only by later steps, not by the query itself: computed within
    /// them, so a chain of values keeps no column per link.
    public var intermediate = false
}

/// A row expression the checker has typed. Numbers are doubles; dates are
/// day numbers; a missing input gives a missing result.
public indirect enum PlanExpr: Sendable, Equatable {
    public enum Arithmetic: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }
    public enum DatePart: String, Sendable { case year, quarter, month, day }

    case number(Double)
    /// A day, as a day number.
    case day(Int)
    /// A number or date column, or an earlier derive step.
    case column(String)
    /// Division by zero is missing, counted in a note (not DuckDB's inf).
    case arithmetic(Arithmetic, PlanExpr, PlanExpr)
    case negate(PlanExpr)
    /// The exact value, halves away from zero, at `digits` decimals: DuckDB's ROUND on a DOUBLE.
    case round(PlanExpr, digits: Int)
    /// A day from year, month and (else 1) day; no such day is missing.
    case makeDate(PlanExpr, PlanExpr, PlanExpr?)
    /// Days from the first to the second.
    case days(PlanExpr, PlanExpr)
    /// Whole months from the first to the second (DuckDB's date_sub('month', a, b)).
    case months(PlanExpr, PlanExpr)
    case part(DatePart, PlanExpr)

    /// The columns and steps it reads.
    public var columns: [String] {
        switch self {
        case .number, .day: return []
        case .column(let c): return [c]
        case .arithmetic(_, let a, let b), .days(let a, let b), .months(let a, let b): return a.columns + b.columns
        case .negate(let a), .round(let a, _), .part(_, let a): return a.columns
        case .makeDate(let y, let m, let d): return y.columns + m.columns + (d?.columns ?? [])
        }
    }
}

extension PlanExpr: CustomStringConvertible {
    /// As the language writes it, parenthesised where precedence needs it.
    public var description: String { text(0, right: false) }

    func text(_ parent: Int, right: Bool) -> String {
        switch self {
        case .number(let x): return NumberFormat.plain(x)
        case .day(let d): return Day.iso(d)
        case .column(let c): return Identifier.source(c)
        case .arithmetic(let op, let a, let b):
            let p = op == .add || op == .subtract ? 1 : 2
            let s = a.text(p, right: false) + " \(op.rawValue) " + b.text(p, right: true)
            return p < parent || (p == parent && right) ? "(" + s + ")" : s
        case .negate(let a): return "-" + a.text(3, right: false)
        case .round(let a, let d): return "round(\(a), \(d))"
        case .makeDate(let y, let m, let d): return "date(\(y), \(m)" + (d.map { ", \($0)" } ?? "") + ")"
        case .days(let a, let b): return "days(\(a), \(b))"
        case .months(let a, let b): return "months(\(a), \(b))"
        case .part(let p, let a): return "\(p.rawValue)(\(a))"
        }
    }
}
