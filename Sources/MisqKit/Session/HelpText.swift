/// `.help [topic]`: the language reference by topic, with examples. The full
/// reference is docs/language.md; these are the parts a prompt user needs.
public enum HelpText {
    public struct Topic {
        public var name: String
        public var summary: String
        public var body: String
    }

    public static let topics: [Topic] = lessons + [words]

    /// Every word of the language under the topic that shows it in use,
    /// from the vocabulary table (Lexer/Vocabulary.swift).
    static let words = Topic(name: "words", summary: "every keyword by topic; .help WORD explains one", body: {
        var byTopic: [String: [String]] = [:]
        for w in Vocabulary.words where !(byTopic[w.topic] ?? []).contains(w.text) { byTopic[w.topic, default: []].append(w.text) }
        let lines = lessons.compactMap { t in byTopic[t.name].map { t.name.padding(14) + $0.joined(separator: " ") } }
        return (lines + ["reserved: to name a column with one of these, write it in backticks (`count`): " + Vocabulary.words(with: .reserved).joined(separator: " ")])
            .joined(separator: "\n")
    }())

    /// `.help WORD`: what the word does, then its topic.
    static func word(_ text: String) -> String? {
        let entries = Vocabulary.entries(text)
        guard let first = entries.first else { return nil }
        var out = ""
        for e in entries { out += "\(e.text): \(e.summary)\(e.isReserved ? " (reserved)" : "")  — .help \(e.topic)\n" }
        if let topic = topics.first(where: { $0.name == first.topic }) { out += "\n" + topic.body + "\n" }
        return out
    }

    static let lessons: [Topic] = [
        Topic(name: "queries", summary: "count, show, and the aggregates (.help aggregates)", body: """
        count UNIT [from DATASET] [where CONDITION] [by KEY, …] [across KEY]
              [order by KEY|count [asc|desc]] [top N | top N%] [limit N] [with percent, total]
        count distinct COLUMN …        sum|avg|min|max|median COLUMN …   percentile P COLUMN …
        show [UNIT | COLUMN, …] [from D] [where …] [order by COLUMN [desc]] [limit N]

          count cases where vawg and period 2022-05..2023-05 by outcome with total
          count individuals where suspended by role
          max finalised by severity
          show allegations where outcome = would_have_been_dismissed limit 5
        """),
        aggregates,
        Topic(name: "units", summary: "cases, allegations, individuals: what is counted", body: """
        A dataset declares its units: rows (allegations), distinct values of a column
        (cases = distinct case_id, individuals = distinct officer_id), or, on a
        published table, the figures whose measure names the unit.
        Totals of distinct units stay distinct: when groups overlap, the total counts
        each case once and the footer says so.
          .describe centurion_synthetic        lists the units
          unit people = distinct officer_id    declares one
        """),
        Topic(name: "conditions", summary: "where: flags, =, !=, <, in (…), is missing, not/and/or", body: """
          where suspended                         a yes/no column, or a definition
          where outcome = dismissal_without_notice
          where outcome != pending                has a value, not this one
          where outcome in (written_warning, final_written_warning)
          where reported >= 2022-05
          where finalised is missing
          where allegation_type starts with "Abuse"     also ends with, contains (.help text)
          where not (vawg or daso) and period 2023
        Category values match labels ignoring case and punctuation. An unknown value is
        an error listing the close matches, never a silent zero.
        """),
        Topic(name: "text", summary: "starts with, ends with, contains: part of a category value", body: """
          where allegation_type starts with "Abuse"
          where channel contains "report"          where command ends with "east"
          where not command contains "central"     keeps rows with no command
          where command not contains "central"     only rows with a command
        Case is ignored (both sides lowercased); spaces and punctuation are matched
        as written, so quote text with spaces. The match is resolved against the
        column's labels and the footer names the labels matched. No label matching
        is an error with the closest labels. Category columns only.
        """),
        Topic(name: "showing", summary: "show rows: every column, or the columns listed", body: """
          show allegations where outcome = would_have_been_dismissed limit 5
          show case_id, outcome, reported where daso order by reported desc limit 10
          show officer_id, command from centurion_synthetic order by finalised limit 3
        A list after show names columns (backticks for `Odd Names`); a lone name is a
        unit, dataset or subset if it is one, else a column. order by may name a column
        not shown; a missing value sorts last either way.
        """),
        Topic(name: "periods", summary: "2022, 2022-05, 2022-Q2, FY2022/23, a..b, through, since, last", body: """
          2022  2022-05  2022-05-17  2022-Q2  FY2022/23      whole calendar units
          2022-05..2023-05        half-open: 1 May 2022 to 30 April 2023
          2022-05 through 2023-05 includes all of May 2023
          since 2021-03           to the dataset's as-of date
          last 12 months          ending on the as-of date (days, weeks, months, quarters, years)
          period R                on the dataset's period column
          reported in R           on any date column
          reported < 2022         up to 31 December 2021 (also <=, >, >=, !=)
        Every result shows the days its condition admits: "up to 2021-12-31",
        "from 2022-05-01", or each period joined by and/or/not.
        """),
        Topic(name: "grouping", summary: "by, across, time buckets, named periods", body: """
          by outcome                 by year | quarter | month | fy
          by year(finalised)         by vawg            (a definition: yes/no)
          by sex, gender             across fy          (a crosstab)
          across finalised in (2021-05..2022-05, 2022-05..2023-05)
          with percent, total, bars  order by count desc top 5
          top 10%                    (the largest tenth of the groups, rounded up; ties kept)
          order by count asc         (asc, smallest first, is the default)
        """),
        Topic(name: "composition", summary: "grouped results as datasets, top N%, join, left join, per", body: """
          let per_officer = count allegations by officer_id      (one row per officer)
          count per_officer where allegations > 5
          median allegations from per_officer
          sum allegations from per_officer top 10%
          count cases join per_officer on officer_id where per_officer.allegations > 5 by outcome
          count allegations left join per_officer on officer_id by allegations
          let per_force = count allegations by force
          count cases by force inner join per_force on force per 100 per_force.allegations
        A let of a query with 'by' keeps its groups as a dataset: the keys keep their
        names and types, the measure is named by its unit (allegations). 'top N%' on
        one figure measures the rows with the largest values: what the top tenth hold.
        join D on KEY (or on KEY = D_KEY) adds D's columns as D.COLUMN; D must have one
        row per key (checked), so no row is counted twice. inner join (join) keeps rows
        with a partner, left join every row. per N D.COLUMN divides each group's count
        by the group's total of D.COLUMN; the overall rate is the rows with a partner
        over D.COLUMN's total across all of D. A condition on KEY or on D's columns
        narrows that total too (where force = Met: Met's cases per Met's headcount).
        One join per query, on one key; right,
        full and outer joins are not made (an error says so).
        With order by, top N takes the first N in that order (ties cut, and said).
        """),
        Topic(name: "scalars", summary: "arithmetic, percent(a, b), let", body: """
          percent(count cases where vawg and suspended, count cases where vawg)
          count allegations / count cases
          let n = count cases where daso and last 12 months
        """),
        Topic(name: "measures", summary: "several measures in one table; measures combined per group", body: """
          count allegations, count individuals, count cases by outcome with total
          percent(count cases where outcome starts with "dismissal", count cases) by severity
          percent(count cases where vawg and suspended, count cases where vawg) by fy
          count allegations / count cases by severity order by value desc
          count cases where daso, count cases by severity with percent
        Each measure may take its own where; from, by, order, top, limit and with come
        after the last measure and apply to all of them. Each column keeps its unit:
        a distinct total counts each case once, never a sum of the groups.
        A combined column is headed by the expression as written (order by value);
        a divisor of 0 leaves a group without a value, and a note counts such groups.
        Its total is worked out from the measures' totals, and the footer says so.
        with percent: each count's share of its own column's total, beside it.
        top N ranks by the first column unless order by names one; a note says which.
        Without by: one row. With across: an error (which measure fills the cells?).
        """),
        Topic(name: "assertions", summary: "assert =, ~, within, table literals", body: """
          let daso_year = cases where daso and last 12 months
          assert count daso_year = 282
          assert percent(count daso_year where linked_criminal, count daso_year) ~ 77%
                                               rounds to the figure's precision, in exact
                                               decimals, half away from zero (76.5 → 77)
          assert count daso_year = 280 within 5        assert count daso_year = 280 within 2%
          assert count officers from foi_23_029932 where topic = sexual_offences by action =
            | action            | count |
            | Restricted duties | 1     |
            | Suspended         | 4     |
        The assertion's comparison is the last = or ~ outside parentheses. A last row
        named Total is the total; write it (total) when a group is called Total.
        """),
        Topic(name: "declarations", summary: "let, define, param, load, unit", body: """
          let daso_year = cases where daso and last 12 months    a subset
          let n = count cases where daso                         a figure
          let per_officer = count allegations by officer_id      a grouped result: a dataset,
                                                 one row per officer (.help composition)
          define vawg = allegation_type in (rape, sexual_assault) or …
          param window = 2022-05..2023-05        misq run FILE --param window=…
          load "datasets/centurion_synthetic.csv" as export period reported   period: optional
        A spreadsheet (.xlsx, .ods) loads its first sheet, or the one named, and finds
        the table on it; describe says which rows and cells were left out, and why:
          load "datasets/spreadsheets/npcc_vawg_2023_recreated.ods" sheet "Table 1" as t1
          load "datasets/spreadsheets/npcc_vawg_2023_recreated.ods" sheet "Table 1" header row 3 as t2
          load "datasets/spreadsheets/npcc_vawg_2023_recreated.ods" sheet "Table 1" range A3:J6 as t3
          --data "tables.xlsx#Table 3"        on the command line: that sheet of the file
          unit people = distinct officer_id from export
          count people from export by `role`      any name in backticks: `Subject Ref`
        """),
        Topic(name: "derived", summary: "define NAME = EXPRESSION: values computed for each row", body: """
        define NAME = CONDITION         a condition: where NAME, by NAME
        define NAME = EXPRESSION        a value for each row, used wherever a column is
          define days_to_outcome = days(reported, finalised)
          define weeks_to_outcome = round(days_to_outcome / 7, 1)
          define month_reported = date(year(reported), month(reported))
          median weeks_to_outcome by severity
          count cases where month_reported in 2022-05..2023-05 by fy(month_reported)
          median months(reported, finalised) by severity      an expression measured directly
          + - * / ( )   unary -          on numbers; dates are not added or multiplied
          round(x, d)                    d decimals (-1: tens), halves away from zero
          date(year, month[, day])       a day (day 1 if left out); no such day is missing
          days(a, b)  months(a, b)       whole days, whole months from a to b
          year(d) quarter(d) month(d) day(d)
        Missing in, missing out. A division by zero or a date that does not exist
        (month 13) gives a missing value, and the footer counts them.
        """),
        Topic(name: "disclosure", summary: "with suppression under 5: publish a table without identifying anyone", body: """
        with suppression under N      hide counts from 1 to N-1
        with suppression 1-4 | 0-4    the same as FOI teams write it; 0-4 hides zeros too
        with suppression under 5 individuals   hide cells with 1 to 4 individuals behind them
        with suppression under 5 protect 3     each hidden small count only placeable in an interval
                                              at least 3 wide (protect 20%: a fifth of its figure)
        with suppression under 5, rounding 5   the rest rounded to the nearest 5 (totals from the
                                              unrounded figures), in place of hiding more cells
          count allegations by role across outcome where reported in 2023 with total, suppression under 5
          count cases by outcome where reported in 2023-03 with percent, suppression 1-4
          count allegations by role across severity where reported in 2023 with total, suppression under 5 individuals
        A hidden cell prints [c] (confidential) in every format, CSV and JSON too, and
        the footer says what [c] means and which rule hid it. A share of a hidden cell,
        or of a hidden total, is hidden too. [x]: no value; [z]: a share of a total of 0.
        Cells that would give a hidden one away (a row total minus the rest) are hidden
        too, smallest first, by Gaussian elimination (Statistics Norway's GaussSuppression),
        and the footer's audit gives the narrowest interval a reader could work out for a
        hidden cell (linear programming); a table that still leaks is refused.
        Tables of one run over the same records (dataset, rows and unit) are protected
        together: each against the tables printed before it, so no hidden cell can be
        worked out from all of them; the footer names them. misq audit FILE prints every
        hidden cell's interval against the whole run, and exits 1 if a rule's is too narrow;
        misq audit TABLE.csv does the same for a table published elsewhere ([c] marks).
        assert compares the figures before suppression: the data are checked, not
        the publication. Tables of one count by KEY [across KEY], without top, limit,
        bars or per.
        """),
        Topic(name: "meta", summary: "commands that start with a dot", body: """
          .help [topic]        this help
          .datasets            datasets, units, definitions
          .describe NAME       a dataset, column, unit or definition
          .mode FORMAT         table, csv, tsv, json, markdown; bars: a table with
                               a bar column on grouped results (as with bars)
          .timer on|off        show how long each statement took
          .run FILE            run a .misq file here
          .load FILE [as NAME] load a CSV
          .last                the last result again, in full
          .output FILE         write the results that follow to FILE (.output alone: back here)
          .once FILE           write the next statement's results (or .last) to FILE
          .quit                leave (Ctrl-D works too)
        A statement can span lines: an open parenthesis, a trailing operator or a
        table literal continues it (prompt ...>); a blank line or ; ends it.
        Ctrl-C abandons the line, or interrupts a running query.
        """),
    ]

    /// One line per aggregate, from its registry entry, then the rules.
    static let aggregates = Topic(name: "aggregates", summary: AggregateSpec.all.map(\.name).joined(separator: ", ") + ": one figure from a column", body: {
        let forms = AggregateSpec.all.map { a in
            let form = ([a.name] + a.parameters.map(\.name) + ["COLUMN"]).joined(separator: " ")
            let types = [AggregateSpec.ValueType.number, .date].filter(a.argumentTypes.contains).map { $0.rawValue + "s" }.joined(separator: ", ")
            return "  " + form.padding(22) + types.padding(16) + a.summary
        }
        return (forms + [
            "  P is " + (AggregateSpec.named("percentile")?.parameters.first?.summary ?? "") + "; decimals are allowed: 99.5.",
            "Missing values are left out; a group with no values shows (missing).",
            "percentile on numbers is DuckDB's quantile_cont(x, P/100): the value (n-1)·P/100 places",
            "into the sorted values, between the two nearest by linear interpolation. On dates it is",
            "quantile_disc: the value at place ⌈n·P/100⌉ (the first for 0), a day in the data, as",
            "median of dates is. percentile 50 is the median.",
            "  percentile 90 finalised by outcome     assert percentile 90 finalised = 2023-02-17",
        ]).joined(separator: "\n")
    }())

    /// `.help TOPIC`'s text, or the reason there is none, with a close name.
    public static func render(_ topic: String?) -> String {
        switch lookup(topic) {
        case .success(let text): return text
        case .failure(let unknown): return unknown.message + (unknown.suggestion.map { "; \($0)" } ?? "") + "\n"
        }
    }

    /// An unknown `.help` topic: an error as other dot-commands' are, so
    /// piped input stops with exit 2 rather than going on past it.
    public struct UnknownTopic: Error {
        public let message: String
        public let suggestion: String?
    }

    public static func lookup(_ topic: String?) -> Result<String, UnknownTopic> {
        guard let t = topic?.lowercased(), !t.isEmpty else {
            var out = "misq — type a query and press Enter. Topics (.help TOPIC):\n"
            for topic in topics { out += "  \(topic.name.padding(12))\(topic.summary)\n" }
            out += "The full reference is docs/language.md.\n"
            return .success(out)
        }
        if let topic = topics.first(where: { $0.name == t }) { return .success(topic.body + "\n") }
        if let word = word(t) { return .success(word) }
        if let topic = topics.first(where: { $0.name.hasPrefix(t) }) { return .success(topic.body + "\n") }
        return .failure(UnknownTopic(message: "no help topic or word '\(TerminalText.escape(t))'",
                                     suggestion: Suggestions.didYouMean(t, topics.map(\.name) + Vocabulary.all) ?? ".help lists the topics"))
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
