import Foundation
/// Tab completion that knows the language and the data: given the text
/// before the word under the cursor, what could the word be? Pure, so a
/// table of cases can pin it down; the REPL feeds it readline's line.
public struct Completer {
    public let session: Session
    public init(session: Session) { self.session = session }

    public static let metaCommands = [".help", ".datasets", ".describe", ".mode", ".timer", ".run", ".load", ".last", ".output", ".once", ".quit", ".exit"]
    // The language's words come from its one table (Lexer/Vocabulary.swift).
    static let statementWords = Vocabulary.words(.statement) + Vocabulary.words(.aggregate) + Vocabulary.words(.function).map { $0 + "(" }
    /// What starts another measure of a table: `count allegations, count cases`.
    static let measureWords = ["count"] + Vocabulary.words(.aggregate) + Vocabulary.words(.function).map { $0 + "(" }
    static let clauseWords = Vocabulary.words(.clause) + Vocabulary.words(.connective)
    static let conditionStarts = Vocabulary.words(with: .startsCondition)
    static let timeBuckets = Vocabulary.words(.timeBucket)
    static let periodForms = ["2024", "2023-05", "2023-Q2", "FY2023/24", "since", "last"]

    /// Candidates for `word`, given everything on the line before it.
    /// `files` lists paths for `load` and `.run` (the REPL passes a lister).
    public func candidates(before context: String, word: String, files: (String) -> [String] = { _ in [] }) -> [String] {
        let all = options(before: context, word: word, files: files)
        // `Subj` and `` `Subj `` both find `` `Subject Ref` ``: a name that needs
        // backticks is offered with them, so what Tab inserts parses.
        // Likewise `gu` and `"gu` find the quoted label "Gun fired".
        let lower = word.lowercased()
        let bare = lower.hasPrefix("`") || lower.hasPrefix("\"") ? String(lower.dropFirst()) : lower
        var seen = Set<String>()
        return all.filter { c in
            let l = c.lowercased()
            let matches = l.hasPrefix(lower) || ((l.hasPrefix("`") || l.hasPrefix("\"")) && l.dropFirst().hasPrefix(bare))
            return matches && seen.insert(c).inserted
        }.sorted()
    }

    func options(before context: String, word: String, files: (String) -> [String]) -> [String] {
        if let path = Completer.pathInProgress(context) {
            let all = Completer.pathCandidates(path, word: word, files: files)
            return path.csvOnly ? all.filter(Completer.loadable) : all
        }
        let trimmed = context.trimming(.spacesAndTabs)
        // Meta commands are not the language: their words split as the REPL splits them.
        if trimmed.isEmpty && word.hasPrefix(".") { return Completer.metaCommands }
        if trimmed.hasPrefix(".") {
            let words = MetaLine.words(trimmed).words
            let n = words.count
            switch words.first ?? "" {
            case ".describe": return n == 1 ? describables() : []
            case ".mode": return n == 1 ? OutputFormat.allCases.map(\.rawValue) + ["bars"] : []
            case ".output", ".once": return n == 1 ? files(word) : []
            case ".timer": return n == 1 ? ["on", "off"] : []
            case ".run": return n == 1 ? files(word) : []
            case ".load": return n == 1 ? files(word).filter(Completer.loadable) : (n == 2 ? ["as"] : [])
            case ".help":
                // A topic, else a word (`.help acr` → across), as `.help` reads a prefix: a topic first.
                guard n == 1 else { return [] }
                let topics = HelpText.topics.map(\.name)
                return topics.contains { $0.hasPrefix(word.lowercased()) } ? topics : Vocabulary.all
            default: return []
            }
        }
        let line = Completer.line(context)
        if line.inComment { return [] }
        let tokens = line.texts
        guard let lastText = tokens.last else { return Completer.statementWords }
        let ds = dataset(for: tokens)
        let names: ([String]) -> [String] = { $0.filter(Identifier.isWritable).map(Identifier.source) }
        // `join workforce on force`: workforce's columns are named
        // `workforce.COLUMN` after it, in conditions, keys and `per`.
        let joined = joinedColumns(tokens)
        let columns = names((ds?.columnNames ?? []) + session.derivations.values.map(\.name)) + joined.all
        let functions = Vocabulary.words(.rowFunction).map { $0 + "(" }
        let defines = names(session.defines.values.map(\.name))
        let sources = names(session.unitNames + session.schemas.map(\.name) + Array(session.subsets.keys))
        let params = Array(session.params.keys)
        let valueParams = session.params.filter { if case .value = $0.value.value { return true } else { return false } }.map(\.key)
        // Inside an opened backtick (`by `Subject R`): the names that go on
        // from what is typed, each as the rest of it and the closing
        // backtick (readline's word is only what follows the last space).
        if case .name(let typed)? = line.unfinished {
            let all = (ds?.columnNames ?? []) + session.defines.values.map(\.name) + session.unitNames + session.schemas.map(\.name)
            return Completer.rests(of: all, after: typed, closing: "`")
        }
        // `join workforce on force = ⇥`: the joined dataset's column to match, not a value.
        if lastText == "=", tokens.count >= 3, tokens[tokens.count - 3].lowercased() == "on" { return joined.all }
        // A value of the column being compared: `outcome = dism`, `outcome in (a, dism`.
        if line.unfinished == nil, let column = comparedColumn(tokens), let (d, k) = located(column, ds, tokens) {
            return values(of: d, k) + valueParams
        }
        // Inside an opened quote (`outcome = "Gun f`): the labels exactly as
        // written, which a quoted value names alone, each as the rest of it
        // after what the context holds of the string.
        if case .string(let typed, let quote)? = line.unfinished, let column = comparedColumn(tokens) ?? textMatchedColumn(tokens), let (d, k) = located(column, ds, tokens),
           let c = (try? d.labelSet(k)) ?? nil {
            // A quote inside the label is written twice, as the lexer reads it.
            let q = String(quote)
            return Completer.rests(of: c.labels, after: typed, closing: "").map { $0.replacingOccurrences(of: q, with: q + q) }
        }
        if line.unfinished != nil { return [] }
        if let rule = Completer.suppressionRule(tokens, units: session.unitNames) { return rule }
        // `load "FILE" as NAME [period COLUMN]`: each word in its place.
        if tokens.first?.lowercased() == "load" {
            switch tokens.count {
            case 2 where tokens[1] == "\"…\"": return ["as"]
            case 4 where tokens[2].lowercased() == "as": return ["period"]
            default: return []
            }
        }
        // The last token as a word of the language: a backticked name, a
        // string or a number is never one.
        let last = line.lastIsKeywordable ? lastText.lowercased() : ""
        // Inside `define NAME = …`: a value per row may start or go on here.
        if tokens.first?.lowercased() == "define", tokens.count > 3, ["+", "-", "*", "/", "(", ","].contains(lastText) {
            return columns + functions
        }
        // An aggregate's column comes after its parameters (`percentile 90`),
        // which are numbers: nothing to offer for them.
        if let k = tokens.lastIndex(where: { AggregateSpec.named($0) != nil }), let spec = AggregateSpec.named(tokens[k]),
           k < tokens.count - 1 || line.lastIsKeywordable,
           tokens.count - 1 - k <= spec.parameters.count, tokens[(k + 1)...].allSatisfy({ Double($0) != nil }) {
            return tokens.count - 1 - k == spec.parameters.count ? columns + functions : []
        }
        if last == "distinct" { return columns }
        if AggregateSpec.named(last) != nil { return columns + functions }
        // `outcome starts with "…`: the column's labels, quoted (text is matched as written).
        if let column = textMatchedColumn(tokens), let (d, k) = located(column, ds, tokens), let c = (try? d.labelSet(k)) ?? nil {
            return c.labels.map { "\"\($0)\"" }
        }
        // `order by count`: the key, not a query.
        if last == "count", Completer.endsInOrderKey(tokens) {
            return Completer.following(tokens, comparisons: [])
        }
        // `per 1000 ⇥`: a number column of the joined dataset, the denominator.
        if tokens.count >= 2, tokens[tokens.count - 2].lowercased() == "per", Double(lastText) != nil { return joined.numbers }
        switch last {
        case "count": return sources + ["distinct", "rows"]
        case "from": return names(session.schemas.map(\.name) + Array(session.subsets.keys))
        case "show": return sources + columns + Completer.clauseWords
        case "where", "and", "or", "not", "(":
            // `outcome not …`: what may follow a column's `not`.
            if last == "not", tokens.count >= 2, let (d, k) = located(tokens[tokens.count - 2], ds, tokens) {
                return ["in"] + ((try? d.columnType(k)) == .category ? ["starts", "ends", "contains"] : [])
            }
            return columns + defines + Completer.conditionStarts
        case "by", "across":
            return columns + Completer.timeBuckets + defines
        case ",":
            if inClause("by", tokens) || inClause("across", tokens) { return columns + Completer.timeBuckets + defines }
            if inClause("show", tokens) { return columns }
            // `with percent, `: the option not given yet.
            if inClause("with", tokens) {
                let given = Set(tokens.map { $0.lowercased() }.reversed().prefix { $0 != "with" })
                return Vocabulary.words(.withOption).filter { !given.contains($0) }
            }
            // Another measure of the table: `count allegations, count cases`.
            if !inClause("order", tokens) { return Completer.measureWords }
            return []
        case "period", "since", "through", "..", "in":
            return params + Completer.periodForms
        // Not the query's own dataset: a dataset joined with itself is an error.
        case "join": return names(session.schemas.map(\.name).filter { $0.lowercased() != ds?.name.lowercased() })
        case "left", "inner": return ["join"]
        case "on": return names(ds?.columnNames ?? [])
        case "per": return []
        case "order": return ["by"]
        case "with": return Vocabulary.words(.withOption)
        case "is": return ["missing", "not"]
        case "let", "define", "param", "unit": return []
        case "=", "~":
            if tokens.first?.lowercased() == "define" && tokens.count == 3 { return columns + functions + defines + Completer.conditionStarts }
            return tokens.first?.lowercased() == "let" ? Completer.statementWords + session.unitNames : []
        default:
            // After a complete name or value: what can follow it.
            if last == "starts" || last == "ends", tokens.count >= 2, ds?.columnIndex(tokens[tokens.count - 2]) != nil { return ["with"] }
            guard let (d, k) = located(lastText, ds, tokens, exact: true) else {
                return Completer.following(tokens, comparisons: [])
            }
            let text = (try? d.columnType(k)) == .category ? ["starts", "ends", "contains"] : []
            return Completer.following(tokens, comparisons: ["=", "!=", "in", "is"] + text)
        }
    }

    static let queryClauses = ["from", "where", "by", "across", "order", "top", "limit", "with", "join", "per"]

    /// Inside `with suppression RULE`: `under` after `suppression`; after
    /// its threshold (`under 5`, `1-4`) a unit counted once each or
    /// `protect`; after the unit, `protect`; each with the clauses that may
    /// follow the rule. Nil outside a rule (after a comma the with-clause's
    /// own completion offers the next option).
    static func suppressionRule(_ tokens: [String], units: [String]) -> [String]? {
        let lower = tokens.map { $0.lowercased() }
        guard let at = lower.lastIndex(of: "suppression"), !lower[at...].contains(",") else { return nil }
        let rule = Array(lower[(at + 1)...])
        if rule.isEmpty { return ["under"] }
        if rule.contains("protect") { return rule.last == "protect" ? [] : nil }
        let isNumber = { (t: String) in Double(t) != nil }
        let threshold = rule.count == 2 && rule[0] == "under" && isNumber(rule[1]) || rule.count == 3 && isNumber(rule[0]) && rule[1] == "-" && isNumber(rule[2])
        // The query's other clauses may follow the rule too.
        let after = following(tokens, comparisons: [])
        if threshold { return units.filter(Identifier.isWritable).map(Identifier.source) + ["protect"] + after }
        let withUnit = rule.count == 3 && rule[0] == "under" || rule.count == 4 && rule[1] == "-"
        if withUnit { return ["protect"] + after }
        return rule.last == "under" ? [] : nil
    }

    /// After a complete name or value, the words that parse there (each
    /// offered word then failed with 'expected end of statement'): a
    /// query's clauses come in any order, once each; `and`/`or` only in a
    /// condition; `asc`/`desc` only after an order key (`percent`/`total`
    /// come after `with`, above); inside an `in (…)` list only its values.
    /// `comparisons`: after a column, what compares it (empty after a value).
    static func following(_ tokens: [String], comparisons: [String]) -> [String] {
        let afterColumn = !comparisons.isEmpty
        let lower = tokens.map { $0.lowercased() }
        var open: [Int] = []
        for (i, t) in lower.enumerated() {
            if t == "(" { open.append(i) } else if t == ")" { _ = open.popLast() }
        }
        var start = 0
        if let p = open.last {
            let before = p > 0 ? lower[p - 1] : ""
            if before == "in" { return [] }
            if before != "percent" {
                // A condition's parentheses: it goes on, or is compared.
                return comparisons + ["and", "or"]
            }
            start = p + 1
        }
        // The clauses of the query being typed: after its verb, outside
        // parentheses (`order by` is one clause).
        var seen: [String] = [], depth = 0, comparison = false, sawVerb = false
        for k in start..<lower.count {
            let t = lower[k]
            if t == "(" { depth += 1; continue }
            if t == ")" { depth -= 1; continue }
            guard depth == 0 else { continue }
            let orderKey = seen.last == "order" && k > 0 && (lower[k - 1] == "by" || lower[k - 1] == ",")
            if !orderKey && (t == "count" || t == "show" || AggregateSpec.named(t) != nil) { seen = []; comparison = false; sawVerb = true }
            else if t == "by", seen.last == "order", lower[k - 1] == "order" { continue }
            else if t == "with", k > 0, lower[k - 1] == "starts" || lower[k - 1] == "ends" { continue }  // a text match
            else if queryClauses.contains(t) { seen.append(t) }
            else if (t == "=" || t == "~") && lower.first == "assert" { comparison = true }
        }
        // `assert … = 282`: a tolerance, once.
        if comparison { return lower.contains("within") ? [] : ["within"] }
        let current = seen.last ?? (lower.first == "define" ? "where" : nil)
        var out: [String] = []
        switch current {
        case "where"?: out = comparisons + ["and", "or"]
        case "by"?, "across"?: out = afterColumn ? ["in"] : []
        case "order"?: out = ["asc", "desc"].contains(lower.last ?? "") ? [] : Vocabulary.words(.orderDirection)
        default: break
        }
        if lower.first == "define" { return out }
        // `let x = cases from D where …` names a subset: from, then where.
        var clauses = lower.first == "let" && !sawVerb ? (seen.contains("where") ? [] : ["from", "where"]) : queryClauses
        // A join is named by its kind too (`left join`, `inner join`).
        if let j = clauses.firstIndex(of: "join") { clauses.insert(contentsOf: ["left", "inner"], at: j + 1) }
        // A rate is per group, never a crosstab: 'per' and 'across' exclude each other.
        if seen.contains("per") { clauses.removeAll { $0 == "across" } }
        if seen.contains("across") { clauses.removeAll { $0 == "per" } }
        return out + clauses.filter { !seen.contains($0) && !(["left", "inner"].contains($0) && seen.contains("join")) }
    }

    /// A path being typed that readline has split at a space: what of it
    /// stands before the word under the cursor, and how it is written.
    struct PathInProgress {
        /// The path's text before the word, as the path (unescaped).
        var typed: String
        /// As written on the line: to strip from each candidate.
        var written: String
        /// Outside quotes: a space in a candidate is written `\ `.
        var escapesSpaces: Bool
        /// For `load`/`.load`, which read a CSV: only CSV files and folders.
        var csvOnly = false
    }

    /// What `load` can read, or a folder to go into.
    static func loadable(_ path: String) -> Bool {
        path.hasSuffix("/") || path.lowercased().hasSuffix(".csv")
    }

    /// Inside `load "…`, `.load "…`, `.run "…` (an open quote), or after
    /// `.load`/`.run` and a backslash-escaped space: the path so far. A
    /// space there is part of the path, not the end of a word.
    static func pathInProgress(_ context: String) -> PathInProgress? {
        let t = context.drop { $0 == " " || $0 == "\t" }
        let lower = t.lowercased()
        let head: Substring
        if lower.hasPrefix(".load ") || lower.hasPrefix(".run ") || lower.hasPrefix(".load\t") || lower.hasPrefix(".run\t") {
            head = t.drop { $0 != " " && $0 != "\t" }.drop { $0 == " " || $0 == "\t" }
            if head.first == "\"" || head.first == "'" {
                let quote = head.first ?? "\""
                let inside = head.dropFirst()
                if inside.contains(quote) { return nil }
                return PathInProgress(typed: String(inside), written: String(inside), escapesSpaces: false, csvOnly: lower.hasPrefix(".load"))
            }
            // Unquoted: the path goes on while its spaces are escaped.
            var typed = "", escaped = false
            for ch in head {
                if escaped { typed.append(ch); escaped = false; continue }
                if ch == "\\" { escaped = true; continue }
                if ch == " " || ch == "\t" { return nil }
                typed.append(ch)
            }
            return PathInProgress(typed: typed, written: String(head), escapesSpaces: true, csvOnly: lower.hasPrefix(".load"))
        }
        // `load "exports/da ` in a statement: the quote is still open.
        let line = Completer.line(context)
        guard case .string(let inside, _)? = line.unfinished, line.texts.last?.lowercased() == "load" else { return nil }
        return PathInProgress(typed: inside, written: inside, escapesSpaces: false, csvOnly: true)
    }

    /// The files for a path in progress, each as the rest of it from the
    /// word under the cursor (what readline puts in the word's place).
    static func pathCandidates(_ p: PathInProgress, word: String, files: (String) -> [String]) -> [String] {
        files(p.typed + word).compactMap { full in
            let shown = p.escapesSpaces ? full.replacingOccurrences(of: " ", with: "\\ ") : full
            guard shown.hasPrefix(p.written) else { return nil }
            return String(shown.dropFirst(p.written.count))
        }
    }

    /// Files and folders whose path starts with `prefix`, folders ending in
    /// `/`. A prefix ending in `/` lists that folder's contents (not the
    /// folder itself again). Relative paths are read from `base`.
    public static func files(matching prefix: String, in base: String = ".") -> [String] {
        let dir: String
        if prefix.hasSuffix("/") { dir = prefix.count > 1 ? String(prefix.dropLast()) : "/" }
        else { dir = prefix.contains("/") ? PathText.folder(of: prefix) : "" }
        let shownDir = prefix.hasSuffix("/") ? prefix : (dir.isEmpty ? "" : dir == "/" ? "/" : dir + "/")
        let onDisk = dir.hasPrefix("/") ? dir : (base as NSString).appendingPathComponent(dir.isEmpty ? "." : dir)
        let typed = prefix.hasSuffix("/") ? "" : String(prefix.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: onDisk)) ?? []
        return entries.filter { !$0.hasPrefix(".") || typed.hasPrefix(".") }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (onDisk as NSString).appendingPathComponent(name), isDirectory: &isDir)
            return shownDir + name + (isDir.boolValue ? "/" : "")
        }
    }

    /// What readline puts after a sole candidate: nothing after a folder or
    /// `percent(`, so the next Tab goes on; the closing quote after a file
    /// name or label inside an open quote (the lexer's reading: a `"`
    /// inside '…' opens nothing); else a space.
    public static func appended(after candidates: [String], context: String) -> Character? {
        guard candidates.count == 1, let only = candidates.first else { return " " }
        if only.hasSuffix("/") || only.hasSuffix("(") { return nil }
        if case .string(_, let quote)? = Lexer.partial(context).unfinished { return quote }
        return " "
    }

    /// The statement being typed, as the lexer reads it.
    struct Line {
        /// Each token as the completer matches on it: a word or backticked
        /// name as its text, a symbol as itself, a string as `"…"`, a
        /// number or period as written.
        var texts: [String]
        /// Whether the last token is a bare word or a symbol (so may be a
        /// keyword), not a backticked name, string, number or period.
        var lastIsKeywordable: Bool
        var unfinished: Lexer.Unfinished?
        /// The line ends inside a `--` comment.
        var inComment: Bool
    }

    /// The line so far through the real lexer, tolerant of what is not
    /// finished; only the statement after the last `;` counts.
    static func line(_ context: String) -> Line {
        let (all, comments, unfinished) = Lexer.partial(context)
        var tokens = all.filter { $0.kind != .eof }
        // The end the lexer adds at the end of the text is not a `;`.
        if let t = tokens.last, t.kind == .end, t.span.start == t.span.end { tokens.removeLast() }
        if let end = tokens.lastIndex(where: { $0.kind == .end }) { tokens.removeSubrange(...end) }
        // The string cut off at the end is the word in progress, not a value.
        if case .string? = unfinished, case .string? = tokens.last.map({ $0.kind }) { tokens.removeLast() }
        let source = SourceFile(name: "<line>", text: context)
        let texts = tokens.map { t -> String in
            switch t.kind {
            case .word(let w): return w
            case .quotedName(let n): return n
            case .string: return "\"…\""
            case .symbol(let s): return s
            case .tableRow: return "|"
            default: return source.text(t.span)
            }
        }
        let keywordable: Bool
        switch tokens.last?.kind {
        case .word?, .symbol?: keywordable = true
        default: keywordable = false
        }
        let inComment = comments.last.map { $0.span.end == source.bytes.count } ?? false
        return Line(texts: texts, lastIsKeywordable: keywordable, unfinished: unfinished, inComment: inComment)
    }

    /// Of `names`, those that go on from `typed` (ignoring case), each as
    /// the rest after `typed` (the part of the string or name already in
    /// the context; the word under the cursor is what follows it), then
    /// `closing`. Cut at `typed`'s end, not at a space: readline's word may
    /// start after a `(` or `=` inside the string, and a rest cut at the
    /// space put `(` in twice (`"Abuse ((sexual)`).
    static func rests(of names: [String], after typed: String, closing: String) -> [String] {
        names.filter { $0.lowercased().hasPrefix(typed.lowercased()) && !$0.contains("\n") }
            .map { String($0.dropFirst(typed.count)) + closing }
    }

    /// Where readline's word begins at the cursor: inside an open string or
    /// backticked name (or a dot-command's open quote) it is everything
    /// after the quote, so Tab replaces the whole text typed so far with a
    /// label exactly as written, its case, `(` and `=` included. nil: at
    /// readline's usual breaks (spaces and the language's symbols).
    public static func wordStart(before context: String) -> Character? {
        let t = context.drop { $0 == " " || $0 == "\t" }
        if t.first == ".", t.dropFirst().first?.isLetter == true { return MetaLine.words(String(t)).unclosed }
        switch Lexer.partial(context).unfinished {
        case .string(_, let quote)?: return quote
        case .name?: return "`"
        case nil: return nil
        }
    }

    /// What one Tab puts in the word's place when several candidates fit:
    /// their longest common prefix compared exactly, so it never chooses
    /// between labels that differ only in case ("Gun Fired", "Gun fired" →
    /// "Gun "). Readline's own prefix, ignoring case, took the first
    /// candidate's case for all of it. Never shorter than the word typed
    /// (candidates match it ignoring case): then the word stays as it is.
    public static func commonPrefix(of candidates: [String], word: String) -> String {
        guard let first = candidates.first else { return word }
        var prefix = Array(first)
        for c in candidates.dropFirst() {
            let a = Array(c)
            var n = 0
            while n < prefix.count && n < a.count && prefix[n] == a[n] { n += 1 }
            prefix.removeSubrange(n...)
        }
        return prefix.count < word.count ? word : String(prefix)
    }

    /// The column before `=`/`!=`, or before `in (` with values after it.
    func comparedColumn(_ tokens: [String]) -> String? {
        guard let last = tokens.last else { return nil }
        if ["=", "!="].contains(last), tokens.count >= 2, tokens.first?.lowercased() != "let", tokens.first?.lowercased() != "define" || tokens.count > 3 {
            return tokens[tokens.count - 2]
        }
        // Walk back over `in ( v, v,` to the column.
        guard last == "(" || last == "," else { return nil }
        var k = tokens.count - 1
        while k > 0, tokens[k] != "(" { k -= 1 }
        guard k >= 2, tokens[k] == "(", tokens[k - 1].lowercased() == "in" else { return nil }
        return tokens[k - 2]
    }

    /// The column before `starts with`, `ends with` or `contains`.
    func textMatchedColumn(_ tokens: [String]) -> String? {
        let t = tokens.map { $0.lowercased() }
        if t.count >= 2, t[t.count - 1] == "contains" { return tokens[t.count - 2] }
        if t.count >= 3, t[t.count - 1] == "with", t[t.count - 2] == "starts" || t[t.count - 2] == "ends" { return tokens[t.count - 3] }
        return nil
    }

    /// Whether the last token is a key of an `order by` list (`order by
    /// outcome desc, count`), where `count` is the figure, not a query.
    static func endsInOrderKey(_ tokens: [String]) -> Bool {
        var k = tokens.count - 2
        while k >= 1 {
            let t = tokens[k].lowercased()
            if t == "by" { return tokens[k - 1].lowercased() == "order" }
            guard t == "," || ["asc", "desc", "count"].contains(t) || !Keywords.reserved.contains(t) else { return false }
            k -= 1
        }
        return false
    }

    func inClause(_ clause: String, _ tokens: [String]) -> Bool {
        for t in tokens.reversed() {
            let l = t.lowercased()
            if l == clause { return true }
            if Keywords.reserved.contains(l) && l != clause { return false }
        }
        return false
    }

    /// The dataset the line is about: its `from`, else its unit's, else the default.
    /// The columns of each dataset joined so far on the line, as the
    /// language names them (`workforce.headcount`), and those holding numbers
    /// (what `per` divides by).
    func joinedColumns(_ tokens: [String]) -> (all: [String], numbers: [String]) {
        var all: [String] = [], numbers: [String] = []
        for (i, t) in tokens.enumerated() where t.lowercased() == "join" && i + 1 < tokens.count {
            guard let d = session.schema(named: tokens[i + 1]) else { continue }
            for (k, c) in d.columnNames.enumerated() where Identifier.isWritable(c) {
                let name = Identifier.source(d.name) + "." + c
                all.append(name)
                if (try? d.columnType(k)) == .number { numbers.append(name) }
            }
        }
        return (all, numbers)
    }

    /// The column a name on the line means, in the dataset holding it: the
    /// query's own, or a dataset joined on the line (`wf.region`), so a
    /// joined column is compared and offered values as the dataset's own are.
    /// `exact`: the whole name (ignoring case), as a complete word is.
    func located(_ name: String, _ ds: (any DatasetSchema)?, _ tokens: [String], exact: Bool = false) -> (any DatasetSchema, Int)? {
        if let d = ds {
            let k = exact ? d.columnNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) : d.columnIndex(name)
            if let k { return (d, k) }
        }
        for (i, t) in tokens.enumerated() where t.lowercased() == "join" && i + 1 < tokens.count {
            guard let d = session.schema(named: tokens[i + 1]) else { continue }
            let prefix = d.name.lowercased() + "."
            guard name.lowercased().hasPrefix(prefix) else { continue }
            let bare = String(name.dropFirst(prefix.count))
            if let k = d.columnNames.firstIndex(where: { $0.lowercased() == bare.lowercased() }) { return (d, k) }
        }
        return nil
    }

    func dataset(for tokens: [String]) -> (any DatasetSchema)? {
        if let i = tokens.lastIndex(where: { $0.lowercased() == "from" }), i + 1 < tokens.count {
            if let d = session.schema(named: tokens[i + 1]) { return d }
            if let sub = session.subsets[tokens[i + 1].lowercased()] { return try? Checker(session: session, source: sub.source).subsetTarget(sub, depth: 0).dataset }
        }
        if let i = tokens.firstIndex(where: { $0.lowercased() == "count" || $0.lowercased() == "show" }), i + 1 < tokens.count {
            let n = tokens[i + 1]
            if let d = session.schema(named: n) { return d }
            if let sub = session.subsets[n.lowercased()] { return try? Checker(session: session, source: sub.source).subsetTarget(sub, depth: 0).dataset }
            if let d = session.defaultSchema, session.units(of: d)[n] != nil { return d }
            if let d = session.schemas.first(where: { session.units(of: $0)[n] != nil && !$0.isPublishedTable }) { return d }
        }
        return session.defaultSchema ?? session.schemas.first
    }

    /// A category column's values as bare words (`dismissal_without_notice`),
    /// which match the labels; yes/no for flags.
    func values(of d: any DatasetSchema, _ k: Int) -> [String] {
        guard let type = try? d.columnType(k) else { return [] }
        switch type {
        case .category:
            guard let c = (try? d.labelSet(k)) ?? nil else { return [] }
            // A value that is a keyword as a bare word must be quoted; so
            // must labels that differ only in case or punctuation ("Gun
            // fired", "Gun Fired"), whose bare form is ambiguous (an error).
            var folded: [String: Int] = [:]
            for l in c.labels { folded[Suggestions.normalize(l), default: 0] += 1 }
            return c.labels.map { l in
                let w = Completer.bareWord(l)
                let ambiguous = (folded[Suggestions.normalize(l)] ?? 0) > 1
                return ambiguous || Keywords.reserved.contains(w) || w.isEmpty || w.first?.isNumber == true ? "\"\(l)\"" : w
            }
        case .boolean: return ["yes", "no"]
        case .date: return Completer.periodForms
        case .number: return []
        }
    }

    /// "Dismissal without notice" → "dismissal_without_notice".
    public static func bareWord(_ label: String) -> String {
        var out = ""
        var gap = false
        for ch in label.lowercased() {
            if ch.isLetter || ch.isNumber { if gap && !out.isEmpty { out.append("_") }; out.append(ch); gap = false } else { gap = true }
        }
        return out
    }

    func describables() -> [String] {
        session.schemas.map(\.name) + session.defines.values.map(\.name) + session.unitNames + (session.defaultSchema?.columnNames ?? [])
    }
}
