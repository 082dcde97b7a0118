/// `with suppression under 5`: which cells of a table of counts are too
/// small to publish (primary suppression), as the query or the data
/// package states it. A count `c` is sensitive when `1 <= c < below`, or
/// `0 <= c < below` with `zeros` (a zero says no one in that group, which
/// can itself identify). `individuals`: the rule is applied to the distinct
/// individuals behind each cell, not the figure shown.
public struct SuppressionRule: Sendable, Equatable {
    public var below: Int
    public var zeros: Bool
    public var individuals: Bool = false
    /// `under 5 individuals`: the unit (a distinct count) the rule counts
    /// in each cell, whatever the table counts.
    public var unit: Name? = nil
    /// As written (`under 5`, `1-4`), for the footer.
    public var text: String
    /// The dataset whose data package set the rule (`misq:suppression`);
    /// nil when the query wrote it.
    public var setBy: String? = nil
    /// `protect 3`, `protect 20%`: how wide the interval a reader can work
    /// out for a hidden small count must be; nil: more than one value.
    public var protection: Protection? = nil
    public var span: SourceSpan

    public init(below: Int, zeros: Bool, individuals: Bool = false, text: String, span: SourceSpan) {
        self.below = below; self.zeros = zeros; self.individuals = individuals; self.text = text; self.span = span
    }

    /// The width a hidden cell's interval must reach (the protection
    /// interval of the disclosure-control literature): `protect N`, or
    /// N% of the cell's figure, and at least 1, so that the cell cannot be
    /// worked out to one value.
    public func requiredWidth(_ value: Double) -> Double {
        switch protection {
        case nil: return 1
        case .width(let w): return Double(max(1, w))
        case .percent(let p): return max(1, abs(value) * Double(p) / 100)
        }
    }

    /// The requirement in words, for footers: `1`, `3`, `20% of the cell's figure (at least 1)`.
    public var requirement: String {
        switch protection {
        case nil: return "1"
        case .width(let w): return "\(w)"
        case .percent(let p): return "\(p)% of the cell's figure (at least 1)"
        }
    }

    /// Whether a count is sensitive under this rule.
    public func isSensitive(_ count: Double) -> Bool {
        guard count.isFinite else { return false }
        return count < Double(below) && (count > 0 || zeros && count == 0)
    }

    /// The counts it hides, in words: `counts from 1 to 4`.
    public var hides: String {
        let low = zeros ? 0 : 1
        let top = below - 1
        let range = top <= low ? "counts of \(low)" : "counts from \(low) to \(top)"
        guard let u = unit else { return range }
        return "cells of " + (top <= low ? "\(low)" : "\(low) to \(top)") + " \(u.text)"
    }
}

/// `protect 3`: a hidden small count's interval at least 3 wide;
/// `protect 20%`: at least a fifth of its figure either way in total.
public enum Protection: Sendable, Equatable {
    case width(Int)
    case percent(Int)
}

/// `rounding 5`: every published figure to the nearest multiple of `base`
/// (totals from the unrounded figures, then rounded).
public struct Rounding: Sendable, Equatable {
    public var base: Int
    public var span: SourceSpan
    public init(base: Int, span: SourceSpan) { self.base = base; self.span = span }

    /// Halves away from zero, as the GSS rounds.
    public func apply(_ v: Double) -> Double {
        guard v.isFinite else { return v }
        let b = Double(base)
        return (v / b).rounded(.toNearestOrAwayFromZero) * b
    }
}

extension SuppressionRule {
    /// Why this rule hides less than `other` (a data package's), or nil
    /// when it hides at least as much. A count of distinct units is at most
    /// the figure, so a rule on units is at least as strict as the same
    /// rule on the figures, not the other way round.
    func weaker(than other: SuppressionRule) -> String? {
        if below < other.below { return "it publishes counts of \(below) to \(other.below - 1), which that rule hides" }
        if other.zeros && !zeros { return "it publishes zeros, which that rule hides" }
        if let u = other.unit, unit?.text.lowercased() != u.text.lowercased() {
            return unit == nil ? "that rule counts \(u.text) in each cell, and this one the figures shown (more than the \(u.text) behind them)"
                               : "that rule counts \(u.text) in each cell, and this one \(unit?.text ?? "")"
        }
        if requiredWidth(100) < other.requiredWidth(100) || requiredWidth(1) < other.requiredWidth(1) {
            return "its protection interval (\(requirement)) is narrower than that rule's (\(other.requirement))"
        }
        return nil
    }

    /// This rule raised to at least `other` in each part, written out so
    /// that it parses as the words after `with suppression`.
    func strengthened(by other: SuppressionRule) -> SuppressionRule {
        let below = max(self.below, other.below)
        let zeros = self.zeros || other.zeros
        let unit = other.unit ?? self.unit
        var protection = protection
        if other.requiredWidth(100) > requiredWidth(100) || other.requiredWidth(1) > requiredWidth(1) { protection = other.protection }
        var text = zeros ? "0-\(below - 1)" : "under \(below)"
        if let u = unit { text += " " + u.text }
        switch protection {
        case nil: break
        case .width(let w): text += " protect \(w)"
        case .percent(let p): text += " protect \(p)%"
        }
        var r = SuppressionRule(below: below, zeros: zeros, individuals: unit != nil, text: text, span: span)
        r.unit = unit
        r.protection = protection
        return r
    }

    /// A rule as a data package gives it (`"under 5 individuals"`): the
    /// words a query writes after `with suppression`. Nil when it is not one.
    public static func parse(_ text: String, setBy dataset: String) -> SuppressionRule? {
        let source = SourceFile(name: "misq:suppression", text: text)
        guard let (tokens, _) = try? Lexer.tokenize(source) else { return nil }
        let limit = tokens.firstIndex { $0.kind == .eof || $0.kind == .end } ?? tokens.count
        var p = Parser(source: source, tokens: tokens, pos: 0, limit: limit)
        guard var rule = try? p.suppressionRule(start: tokens.first?.span ?? .none), p.atEnd else { return nil }
        rule.setBy = dataset
        rule.span = .none
        return rule
    }
}

extension Parser {
    /// `protect`, a word of the rule only (a column may be called protect).
    var isProtect: Bool { current.isWord("protect") }

    /// After `with … suppression`: `under N [UNIT]` or a preset
    /// range `1-4`, `0-4` (zeros too: a zero can identify as well). The lowest threshold is
    /// 2 (hiding ones): below that nothing would be hidden.
    mutating func suppressionRule(start: SourceSpan) throws -> SuppressionRule {
        let example = "e.g. with suppression under 5, or with suppression 1-4"
        let first = current
        var below: Int
        var zeros = false
        if accept("under") != nil {
            let t = current
            guard case .number(let v, let d) = t.kind, d == 0, v >= 2, v <= 1_000 else {
                if case .number = t.kind {
                    throw MisqError(.value, "'suppression under \(source.text(t.span))' is not a threshold", source: source, span: t.span,
                                    expected: "a whole number from 2 to 1000", suggestion: example)
                }
                throw unexpected("a whole number after 'under' (the smallest count that may be published)", suggestion: example)
            }
            pos += 1
            below = Int(v)
        } else if case .number(let lo, let d) = first.kind {
            pos += 1
            guard d == 0, lo == 0 || lo == 1, acceptSymbol("-") != nil else {
                throw MisqError(.value, "a suppression range starts at 1 (or 0 to hide zeros too) and names its top: 1-4", source: source,
                                span: first.span.to(current.span), expected: "1-N or 0-N", suggestion: example)
            }
            let t = current
            guard case .number(let hi, let d2) = t.kind, d2 == 0, hi >= 1, hi < 1_000 else {
                throw unexpected("the largest count hidden after '\(Int(lo))-', e.g. \(Int(lo))-4", suggestion: example)
            }
            pos += 1
            below = Int(hi) + 1
            zeros = lo == 0
        } else {
            throw unexpected("'under N' or a range such as 1-4 after 'suppression'", suggestion: example)
        }
        // `under 5 individuals`: a unit's name, not a clause word or the next option.
        var unit: Name?
        if current.nameText != nil, !current.isKeyword, !isProtect { unit = try name("a unit counted once each, e.g. individuals") }
        var protection: Protection?
        if isProtect {
            let word = current
            // The rule as written so far, so the suggestion parses in its place.
            let written = source.text(first.span.to(tokens[max(pos - 1, 0)].span))
            pos += 1
            let t = current
            let protectExample = "with suppression \(written) protect 3"
            switch t.kind {
            case .number(let v, let d) where d == 0 && v >= 1 && v <= 1_000: protection = .width(Int(v))
            case .percent(let v, let d) where d == 0 && v >= 1 && v <= 100: protection = .percent(Int(v))
            case .number, .percent:
                throw MisqError(.value, "'protect \(source.text(t.span))' is not a protection interval", source: source, span: t.span,
                                expected: "a whole width from 1 to 1000, or a whole percentage from 1% to 100%", suggestion: protectExample)
            default:
                throw MisqError(.syntax, "expected a width after '\(source.text(word.span))', found \(Parser.describe(t))", source: source, span: t.span,
                                expected: "the width a hidden small count's interval must reach: a whole number, or a percentage of its figure",
                                suggestion: protectExample)
            }
            pos += 1
            // `protect 3 protect 4`: one interval; the parser's next error
            // would only offer 'protect' as a guess.
            if isProtect {
                let written = source.text(first.span.to(tokens[max(pos - 1, 0)].span))
                throw MisqError(.syntax, "'protect' is given twice in one suppression rule", source: source, span: current.span,
                                expected: "one protection interval", suggestion: "with suppression \(written)")
            }
        }
        let end = tokens[max(pos - 1, 0)].span
        var rule = SuppressionRule(below: below, zeros: zeros, individuals: unit != nil, text: source.text(first.span.to(end)), span: start.to(end))
        rule.unit = unit
        rule.protection = protection
        return rule
    }
}
