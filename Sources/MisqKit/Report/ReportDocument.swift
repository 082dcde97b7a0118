/// What `misq report` presents, as data: the answers of one or more saved
/// query files with their questions, the checks their assertions made, and
/// how and when the report was made. The CLI runs the files and fills it
/// in; `HTMLReport` turns it into one self-contained HTML file. Nothing
/// here knows the session or the data, only typed results, so the report
/// is a second presenter of the same results the text tables show.
public struct ReportDocument {
    public var title: String
    /// How it was made: misq's version, the command line, when (UTC).
    public var version: String
    public var command: String
    public var generated: String
    public var files: [ReportFile]
    /// `--vega DIR`: each chart's Vega-Lite spec is written there too, and
    /// the report names the file under the chart.
    public var vegaFolder: String? = nil

    /// The `--vega` folder as the report names it: its own name, not its
    /// path (the report travels; the folder beside it keeps its name).
    var vegaName: String? {
        vegaFolder.map { f in
            let parts = f.split(separator: "/")
            return parts.last.map(String.init) ?? f
        }
    }

    public init(title: String, version: String = MisqVersion.text, command: String, generated: String, files: [ReportFile]) {
        self.title = title; self.version = version; self.command = command; self.generated = generated; self.files = files
    }

    public var answers: [ReportAnswer] {
        files.flatMap { $0.items.compactMap { if case .answer(let a) = $0 { return a } else { return nil } } }
    }
}

/// One saved query file.
public struct ReportFile {
    public var path: String?
    /// The comment block the file opens with (its request and what it
    /// answers from), line by line.
    public var introduction: [String]
    /// The params it declares, as they were used.
    public var params: [ReportParam]
    public var items: [ReportItem]

    public init(path: String?, introduction: [String], params: [ReportParam], items: [ReportItem]) {
        self.path = path; self.introduction = introduction; self.params = params; self.items = items
    }
}

public struct ReportParam {
    public var name: String
    public var value: String
    /// Given on the command line (`--param`), not the file's own.
    public var overridden: Bool
    public init(name: String, value: String, overridden: Bool) { self.name = name; self.value = value; self.overridden = overridden }
}

public enum ReportItem {
    case answer(ReportAnswer)
    case check(ReportCheck)
}

/// A query's (or a scalar statement's) result under its question comment.
public struct ReportAnswer {
    public var question: String?
    public var statement: String
    public var line: Int
    public var result: QueryResult
    public init(question: String?, statement: String, line: Int, result: QueryResult) {
        self.question = question; self.statement = statement; self.line = line; self.result = result
    }
}

/// An assertion's outcome, as `misq test` words it.
public struct ReportCheck {
    public var passed: Bool
    public var location: String
    public var statement: String
    /// The failure's lines (expected, actual, difference, source); empty when it passed.
    public var details: [String]
    public var source: String?
    public init(passed: Bool, location: String, statement: String, details: [String], source: String?) {
        self.passed = passed; self.location = location; self.statement = statement; self.details = details; self.source = source
    }
}
