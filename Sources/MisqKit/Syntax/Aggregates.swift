/// The aggregates, one registry entry each: the word, the numbers written
/// between it and the column (`percentile 90 days_open`), the column types
/// it accepts, what its result is, and the columnar kernel that computes
/// it (`Execution/Measurer.swift`). The parser, checker, lowering and
/// measurer all read the entry, as do the vocabulary table
/// (Lexer/Vocabulary.swift: reserved words, completion, `.help`), so a new
/// aggregate is one entry here, plus a kernel case when no existing kernel
/// computes it.
public struct AggregateSpec: Sendable {
    public enum ValueType: String, Sendable {
        case number, date
    }
    public enum ResultType: Sendable, Equatable {
        /// Always a number (a sum, a mean).
        case number
        /// The argument's type: the median of dates is a date.
        case sameAsArgument
    }
    /// A number written between the aggregate and its column.
    public struct Parameter: Sendable {
        public let name: String
        public let allowed: ClosedRange<Double>
        public let summary: String
    }

    public let name: String
    public let parameters: [Parameter]
    public let argumentTypes: Set<ValueType>
    public let result: ResultType
    public let summary: String
    /// The kernel for the parameters as written (checked against `allowed`).
    public let kernel: @Sendable ([ExactNumber]) -> AggregateKernel
    /// A footer note for parameters that are valid but likely meant otherwise.
    public var note: @Sendable ([Aggregate.Parameter]) -> String? = { _ in nil }

    public static let all: [AggregateSpec] = [
        AggregateSpec(name: "sum", parameters: [], argumentTypes: [.number], result: .number,
                      summary: "the total: sum days_open by outcome", kernel: { _ in .sum }),
        AggregateSpec(name: "avg", parameters: [], argumentTypes: [.number], result: .number,
                      summary: "the mean", kernel: { _ in .mean }),
        AggregateSpec(name: "min", parameters: [], argumentTypes: [.number, .date], result: .sameAsArgument,
                      summary: "the smallest number, or the first date", kernel: { _ in .least }),
        AggregateSpec(name: "max", parameters: [], argumentTypes: [.number, .date], result: .sameAsArgument,
                      summary: "the largest number, or the last date", kernel: { _ in .greatest }),
        AggregateSpec(name: "median", parameters: [], argumentTypes: [.number, .date], result: .sameAsArgument,
                      summary: "the middle value: percentile 50", kernel: { _ in .quantile(ExactNumber(1, 2) ?? ExactNumber(0)) }),
        AggregateSpec(name: "percentile", parameters: [Parameter(name: "P", allowed: 0...100, summary: "a percent from 0 (the smallest value) to 100 (the largest)")],
                      argumentTypes: [.number, .date], result: .sameAsArgument,
                      summary: "the value P% of the way through the sorted values",
                      kernel: { p in .quantile(p.first.flatMap { $0 / ExactNumber(100) } ?? ExactNumber(0)) },
                      // SQL and pandas take a fraction (quantile 0.9): read
                      // as a percent, 0.9 is near the smallest value.
                      note: { p in
                          guard let x = p.first, x.value.doubleValue > 0, x.value.doubleValue < 1 else { return nil }
                          return "P is a percent: percentile \(x.text) is \(x.text)% of the way up the sorted values, near the smallest; the 90th percentile is percentile 90"
                      }),
    ]

    public static func named(_ name: String) -> AggregateSpec? {
        let l = name.lowercased()
        return all.first { $0.name == l }
    }

    /// "sum, avg, min, max, median or percentile", for messages.
    public static var namesListed: String {
        let names = all.map(\.name)
        guard names.count > 1, let last = names.last else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// "a number column", "a number or date column".
    var argumentsListed: String {
        "a " + [ValueType.number, .date].filter(argumentTypes.contains).map(\.rawValue).joined(separator: " or ") + " column"
    }
}

/// What a kernel computes per group from the selected rows' values, missing
/// values left out; a group with no values gets a missing result.
public enum AggregateKernel: Sendable, Equatable {
    case sum, mean, least, greatest
    /// The value a fraction q of the way through the group's sorted values.
    /// Numbers interpolate between the two nearest, as DuckDB's
    /// `quantile_cont(x, q)`; dates take the value at rank ⌈n·q⌉ (the
    /// first for q = 0), as `quantile_disc(x, q)`, so the answer is a day
    /// in the data rather than a fraction of a day between two.
    case quantile(ExactNumber)
}

/// An aggregate as written: its registry entry and its parameters
/// (`percentile 90`: the 90).
public struct Aggregate: Sendable, Equatable {
    public let spec: AggregateSpec
    public let parameters: [Parameter]

    public struct Parameter: Sendable, Equatable {
        public let value: ExactNumber
        /// As written, for the plan and the value's heading.
        public let text: String
    }

    public init(_ spec: AggregateSpec, parameters: [Parameter] = []) {
        self.spec = spec
        self.parameters = parameters
    }

    public var name: String { spec.name }
    /// `median`, `percentile 90`: the value column's heading starts with it.
    public var text: String { ([spec.name] + parameters.map(\.text)).joined(separator: " ") }
    public var kernel: AggregateKernel { spec.kernel(parameters.map(\.value)) }
    public var note: String? { spec.note(parameters) }

    public static func == (a: Aggregate, b: Aggregate) -> Bool { a.name == b.name && a.parameters == b.parameters }
}
