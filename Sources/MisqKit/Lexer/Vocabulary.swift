/// Every word the language gives meaning to, in one table: what it does,
/// whether it is reserved, how it bears on line continuation, a one-line
/// summary and the `.help` topic that explains it. The lexer's reserved and
/// continuation sets (`Keywords`), the completer's candidates and `.help`'s
/// word index are all read from here, so a new word is one entry, and a test
/// (VocabularyTests) fails when the parser matches a word not listed here or
/// a listed word is missing from its help topic.
public enum Vocabulary {
    public enum Role: String, Sendable, CaseIterable {
        /// Begins a statement: `count`, `show`, `let` …
        case statement
        /// Begins a query that folds a column to one value per group.
        case aggregate
        /// A query clause: `where`, `by`, `order` …
        case clause
        /// Joins conditions: `and`, `or`.
        case connective
        /// Inside a condition: `not`, `in`, `is`, `missing`.
        case condition
        /// Says which days: `period`, `since`, `last`, `through`.
        case periodWord
        /// `by year`, `year(reported)`.
        case timeBucket
        /// `last 12 months`.
        case relativeUnit
        /// After `with`: `percent`, `total`.
        case withOption
        /// After `order by KEY`: `asc`, `desc`.
        case orderDirection
        /// A word inside one statement's form: `distinct`, `rows`, `as`, `within`.
        case modifier
        /// Called with parentheses: `percent(a, b)`.
        case function
        /// Called with parentheses in a value per row: `round(x, 1)`, `days(a, b)`.
        case rowFunction
    }

    public struct Flags: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Cannot name a column, dataset or unit without backticks.
        public static let reserved = Flags(rawValue: 1)
        /// A line starting with it continues the statement above.
        public static let continuesLine = Flags(rawValue: 2)
        /// A line ending with it goes on to the next line.
        public static let wantsMore = Flags(rawValue: 4)
        /// Can begin a condition (after `where`, `and`, `(`).
        public static let startsCondition = Flags(rawValue: 8)
    }

    public struct Word: Sendable {
        public let text: String
        public let role: Role
        public let flags: Flags
        public let summary: String
        /// The `.help` topic whose text shows it in use.
        public let topic: String
        public var isReserved: Bool { flags.contains(.reserved) }
    }

    private static func w(_ text: String, _ role: Role, _ flags: Flags, _ topic: String, _ summary: String) -> Word {
        Word(text: text, role: role, flags: flags, summary: summary, topic: topic)
    }

    /// Reserved words that need more after them, and whose line goes on.
    private static let keyword: Flags = [.reserved, .wantsMore]
    private static let clause: Flags = [.reserved, .wantsMore, .continuesLine]

    public static let words: [Word] = [
        w("count", .statement, keyword, "queries", "count a unit, a dataset's rows or a subset: count cases where vawg"),
        w("show", .statement, [.reserved], "showing", "list rows, every column or those named: show case_id, outcome where daso limit 5"),
        w("let", .statement, keyword, "declarations", "name a subset, a figure, or a grouped result kept as a dataset: let per_officer = count allegations by officer_id"),
        w("define", .statement, keyword, "derived", "name a condition, or a value for each row: define rate = round(1000 * cases / staff, 1)"),
        w("param", .statement, keyword, "declarations", "a period or value the command line can set: misq run FILE --param window=…"),
        w("load", .statement, keyword, "declarations", "read a CSV, .xlsx or .ods as a dataset: load \"file.csv\" as export"),
        w("assert", .statement, keyword, "assertions", "check a published figure: assert count cases = 282"),
        // `unit` is a statement word only before `NAME =`, so it can still name a column.
        w("unit", .statement, [], "declarations", "declare what is counted: unit people = distinct officer_id"),
    ] + AggregateSpec.all.map { a in
        w(a.name, .aggregate, keyword, "aggregates", a.summary)
    } + [
        w("from", .clause, clause, "queries", "the dataset or subset to read: count cases from npcc"),
        w("where", .clause, clause, "conditions", "keep the rows a condition admits"),
        w("by", .clause, clause, "grouping", "one group per value: by outcome, by year; also order by"),
        w("across", .clause, clause, "grouping", "a second key as columns: a crosstab"),
        w("order", .clause, clause, "grouping", "sort the groups: order by count desc"),
        w("top", .clause, clause, "grouping", "keep the N largest groups, or a share of them: top 5, top 10%"),
        w("limit", .clause, clause, "queries", "show at most N rows: limit 10"),
        w("with", .clause, clause, "grouping", "add columns or rows: with percent, total, bars"),
        // Not reserved (a column may be called `left` or `per`): clauses only where a clause may start.
        w("join", .clause, [], "composition", "another dataset's columns onto each row, by a key: join workforce on force"),
        w("inner", .modifier, [], "composition", "inner join: only the rows that found a partner (what join alone means)"),
        w("left", .modifier, [], "composition", "left join: every row, the joined columns missing where none was found"),
        // Read only to refuse them with a hint: misq makes inner and left joins.
        w("right", .modifier, [], "composition", "right join: not made (an error says to use join or left join)"),
        w("full", .modifier, [], "composition", "full join: not made (an error says to use join or left join)"),
        w("outer", .modifier, [], "composition", "outer join: not made (an error says to use join or left join)"),
        w("on", .modifier, [], "composition", "the key of a join: on force, or on force = workforce.force_name"),
        w("per", .clause, [], "composition", "a rate per a joined column: per 1000 workforce.headcount"),
        w("and", .connective, clause, "conditions", "both conditions"),
        w("or", .connective, clause, "conditions", "either condition"),
        w("not", .condition, [.reserved, .wantsMore, .startsCondition], "conditions", "the opposite of a condition: not (vawg or daso)"),
        w("in", .condition, clause, "conditions", "one of a list: outcome in (a, b); a date in a period: reported in 2022"),
        w("is", .condition, clause, "conditions", "is missing, is not missing"),
        w("missing", .condition, [.reserved], "conditions", "no value: finalised is missing"),
        // Text matching: not reserved (a column may be called `contains`); they match only after a column.
        w("starts", .condition, [], "text", "a category value begins with the text, any case: allegation_type starts with \"Abuse\""),
        w("ends", .condition, [], "text", "a category value ends with the text, any case: command ends with \"east\""),
        w("contains", .condition, [], "text", "a category value holds the text, any case: channel contains \"report\""),
        w("period", .periodWord, [.reserved, .wantsMore, .startsCondition], "periods", "days on the dataset's period column: period 2022-05..2023-05"),
        w("since", .periodWord, [.reserved, .wantsMore, .startsCondition], "periods", "from a day to the dataset's as-of date: since 2021-03"),
        w("last", .periodWord, [.reserved, .wantsMore, .startsCondition], "periods", "ending on the as-of date: last 12 months"),
        w("through", .periodWord, clause, "periods", "a range including all of its end: 2022-05 through 2023-05"),
        w("within", .modifier, clause, "assertions", "an assertion's tolerance: = 280 within 5, within 2%"),
        w("distinct", .modifier, keyword, "queries", "distinct values of a column: count distinct officer_id"),
        w("as", .modifier, keyword, "declarations", "the name a loaded file takes: load \"f.csv\" as export"),
        w("rows", .modifier, [], "units", "a unit that counts rows: unit allegations = rows"),
        // Spreadsheet loads: not reserved (a column may be called `range`).
        w("sheet", .modifier, [], "declarations", "which sheet of a spreadsheet to load: load \"t.ods\" sheet \"Table 3\" as t"),
        w("header", .modifier, [], "declarations", "the spreadsheet row holding the header: load \"t.xlsx\" header row 4 as t"),
        w("row", .modifier, [], "declarations", "after header: header row 4"),
        w("range", .modifier, [], "declarations", "the cells of a spreadsheet's table: load \"t.xlsx\" range A4:H52 as t"),
        w("percent", .withOption, [], "grouping", "each group's share of the total: with percent"),
        w("total", .withOption, [], "grouping", "a total row (distinct units counted once): with total"),
        w("bars", .withOption, [], "grouping", "a bar column beside the values, scaled to the largest: with bars"),
        w("suppression", .withOption, [], "disclosure", "hide small counts and the cells that would give them away: with suppression under 5"),
        // After `suppression` only: not reserved.
        w("rounding", .withOption, [], "disclosure", "publish figures rounded to a base, beside a suppression rule: with suppression under 5, rounding 5"),
        w("under", .modifier, [], "disclosure", "the smallest count published: with suppression under 5"),
        // After a suppression rule only: not reserved.
        w("protect", .modifier, [], "disclosure", "how wide a hidden small count's interval must be: with suppression under 5 protect 3, protect 20%"),
        w("asc", .orderDirection, [], "grouping", "smallest first (the default): order by count asc"),
        w("desc", .orderDirection, [], "grouping", "largest first: order by count desc"),
        w("percent", .function, [], "scalars", "one figure as a percentage of another: percent(a, b)"),
    ] + TimeBucket.allCases.map { b in
        w(b.rawValue, .timeBucket, [], "grouping", "group by \(b == .fy ? "financial year (April to March)" : b.rawValue) of the period column, or \(b.rawValue)(COLUMN)")
    } + ["days", "weeks", "months", "quarters", "years"].map { u in
        w(u, .relativeUnit, [], "periods", "last N \(u)")
    } + RowFunction.allCases.map { f in
        w(f.rawValue, .rowFunction, [], "derived", f.summary)
    }

    /// The words with `role`, in table order, each once.
    public static func words(_ role: Role) -> [String] { unique(words.filter { $0.role == role }.map(\.text)) }
    public static func words(with flag: Flags) -> [String] { unique(words.filter { $0.flags.contains(flag) }.map(\.text)) }
    /// Every word, each once, in table order.
    public static var all: [String] { unique(words.map(\.text)) }
    /// The entries for a word (a word may have two roles: `percent`).
    public static func entries(_ text: String) -> [Word] {
        let l = text.lowercased()
        return words.filter { $0.text == l }
    }

    private static func unique(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }
}
