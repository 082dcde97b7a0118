import Foundation
/// Every node prints itself back as source, in a canonical form: parsing
/// the printed text gives the same tree. Conditions are fully
/// parenthesised where they nest, so the printed form shows how the parser
/// grouped them.
extension Statement: CustomStringConvertible {
    public var description: String {
        switch kind {
        case .query(let q): return q.description
        case .letBinding(let n, .subset(let s)): return "let \(n.id) = \(s)"
        case .letBinding(let n, .scalar(let e)): return "let \(n.id) = \(e)"
        case .letBinding(let n, .grouped(let q)): return "let \(n.id) = \(q)"
        case .define(let n, let c, _): return "define \(n.id) = \(c)"
        case .derive(let n, let e, _): return "define \(n.id) = \(e)"
        case .param(let n, .period(let p)): return "param \(n.id) = \(p)"
        case .param(let n, .value(let v)): return "param \(n.id) = \(v)"
        case .load(let path, _, let n, let p, let t):
            let where_ = (t.sheet.map { " sheet \(quoted($0))" } ?? "") + (t.headerRow.map { " header row \($0)" } ?? "") + (t.range.map { " range \($0)" } ?? "")
            return "load \(quoted(path))\(where_) as \(n.id)" + (p.map { " period \($0.id)" } ?? "")
        case .assertion(let a): return a.description
        case .expression(let e): return e.description
        case .unit(let n, let d, let f): return "unit \(n.id) = " + (d.map { "distinct \($0.id)" } ?? "rows") + (f.map { " from \($0.id)" } ?? "")
        }
    }
}

extension Subset: CustomStringConvertible {
    public var description: String {
        var s = source.id
        if let f = from { s += " from \(f.id)" }
        if let c = filter { s += " where \(c)" }
        return s
    }
}

extension Query: CustomStringConvertible {
    public var description: String {
        var s: String
        switch verb {
        case .count(let n): s = "count \(n.id)"
        case .countDistinct(let n): s = "count distinct \(n.id)"
        case .aggregate(let a, let n): s = "\(a.text) " + (argument?.description ?? n.id)
        case .show(let ns): s = "show" + (ns.isEmpty ? "" : " " + ns.map(\.id).joined(separator: ", "))
        }
        if let cs = columns { s = cs.map(\.description).joined(separator: ", ") }
        if let f = from { s += " from \(f.id)" }
        if let j = join {
            s += (j.kind == .left ? " left join " : " join ") + j.dataset.id + " on " + j.leftKey.id + (j.rightKey.map { " = " + $0.id } ?? "")
        }
        if let c = filter { s += " where \(c)" }
        if !keys.isEmpty { s += " by " + keys.map(\.description).joined(separator: ", ") }
        if let a = across { s += " across \(a)" }
        if !order.isEmpty { s += " order by " + order.map { ($0.name.text.lowercased() == "count" ? $0.name.text : $0.name.id) + ($0.descending ? " desc" : "") }.joined(separator: ", ") }
        if let t = top { s += " top \(t)" }
        if let t = topShare { s += " top \(t.text)" }
        if let l = limit { s += " limit \(l)" }
        if let p = per { s += " per \(p.multiplierText) \(p.column.id)" }
        var with: [String] = (withPercent ? ["percent"] : []) + (withTotal ? ["total"] : []) + (withBars ? ["bars"] : [])
        if let r = suppression { with.append("suppression " + r.text) }
        if let r = rounding { with.append("rounding \(r.base)") }
        if !with.isEmpty { s += " with " + with.joined(separator: ", ") }
        return s
    }
}

extension GroupKey: CustomStringConvertible {
    public var description: String {
        switch self {
        case .column(let n): return n.id
        case .time(let b, let c, _): return c.map { "\(b.rawValue)(\($0.id))" } ?? b.rawValue
        case .periods(let c, let ps, _): return "\(c?.id ?? "period") in (" + ps.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

extension Condition: CustomStringConvertible {
    public var description: String {
        switch self {
        case .flag(let n): return n.id
        case .compare(let n, let op, let v): return "\(n.id) \(op.rawValue) \(v)"
        case .inList(let n, let vs, let neg, _): return "\(n.id) \(neg ? "not in" : "in") (" + vs.map(\.description).joined(separator: ", ") + ")"
        case .inPeriod(let n, let p): return "\(n.id) in \(p)"
        case .isMissing(let n, let neg): return "\(n.id) is \(neg ? "not " : "")missing"
        case .textMatch(let n, let kind, let v, let neg, _): return "\(n.id) \(neg ? "not " : "")\(kind.rawValue) \(v)"
        case .period(let p, _):
            switch p {
            case .since, .last: return p.description
            default: return "period \(p)"
            }
        case .not(let c, _): return "not \(c.nested)"
        case .and(let parts): return parts.map(\.nested).joined(separator: " and ")
        case .or(let parts): return parts.map(\.nested).joined(separator: " or ")
        }
    }

    var nested: String {
        switch self {
        case .and, .or: return "(\(description))"
        default: return description
        }
    }
}

extension Value: CustomStringConvertible {
    public var description: String {
        switch self {
        case .word(let w, _): return Identifier.source(w)
        case .string(let s, _): return quoted(s)
        case .number(let v, _): return NumberFormat.plain(v)
        case .period(let p, _): return p.description
        }
    }
}

extension PeriodExpr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .literal(let l, _): return l.description
        case .range(let a, let b, let inclusive, _): return inclusive ? "\(a) through \(b)" : "\(a)..\(b)"
        case .since(let a, _): return "since \(a)"
        case .last(let n, let u, _): return "last \(n) \(u.rawValue)"
        case .param(let n): return n.id
        }
    }
}

extension Expr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let v, let d, let p, _): return NumberFormat.fixed(v, decimals: d) + (p ? "%" : "")
        case .query(let q): return q.description
        case .name(let n): return n.id
        case .date(let d, _): return Day.iso(d)
        case .percentOf(let a, let b, _): return "percent(\(a), \(b))"
        case .binary(let op, let a, let b): return "(\(a) \(op) \(b))"
        case .negate(let e, _): return "-\(e)"
        }
    }
}

extension Assertion: CustomStringConvertible {
    public var description: String {
        var s = "assert \(actual) \(comparison.rawValue) "
        switch expected {
        case .scalar(let e): s += e.description
        case .table(let t):
            s += "\n| " + t.header.map(\.text).joined(separator: " | ") + " |"
            for r in t.rows { s += "\n| " + r.map(\.text).joined(separator: " | ") + " |" }
        }
        switch tolerance {
        case .absolute(let v)?: s += " within \(NumberFormat.plain(v))"
        case .relativePercent(let v)?: s += " within \(NumberFormat.plain(v))%"
        case nil: break
        }
        return s
    }
}

func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

extension Name {
    /// The name as it must be written to parse back to itself.
    var id: String { Identifier.source(text) }
}
