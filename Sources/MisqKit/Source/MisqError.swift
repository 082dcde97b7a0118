/// The one error type. It carries where the fault is and what to say about
/// it as data; text is produced only when it is shown (`render`).
public struct MisqError: Error, Sendable {
    public enum Kind: String, Sendable {
        case usage, syntax, name, type, value, period, data, io, assertion, runtime
    }
    public var kind: Kind
    public var message: String
    /// The source the span points into; nil for errors with no place (usage).
    public var source: SourceFile?
    public var span: SourceSpan
    /// What the parser or checker expected at this place.
    public var expected: String?
    /// A likely fix, e.g. "did you mean 'outcome'?".
    public var suggestion: String?
    public var notes: [String]
    /// For a syntax error at a word just after another: the names those
    /// words make with their spaces ("Subject Ref"), for the session to
    /// suggest in backticks when one is a column. The parser knows no
    /// columns.
    public var spacedNames: [String] = []

    public init(_ kind: Kind, _ message: String, source: SourceFile? = nil, span: SourceSpan = .none,
                expected: String? = nil, suggestion: String? = nil, notes: [String] = []) {
        self.kind = kind; self.message = message; self.source = source; self.span = span
        self.expected = expected; self.suggestion = suggestion; self.notes = notes
    }

    public var location: SourceLocation? { source?.location(span) }

    /// Every error exits 2, so a script can tell it from a failed assertion
    /// (exit 1), which is a result, not an error (docs/language.md, "Errors
    /// and exit codes").
    public var exitCode: Int32 { 2 }
}

/// Several errors found in one pass (the parser keeps going after the first).
public struct MisqErrors: Error, Sendable {
    public var errors: [MisqError]
    public init(_ errors: [MisqError]) { self.errors = errors }
}

extension Error {
    /// Every error a stage can throw, flattened.
    public var misqErrors: [MisqError] {
        if let e = self as? MisqError { return [e] }
        if let e = self as? MisqErrors { return e.errors }
        return [MisqError(.runtime, "\(self)")]
    }
}
