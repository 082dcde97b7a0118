/// What a script declares, as the checker reads it from the catalog.

/// A named condition with where it was written, for `.describe`.
public struct Definition {
    public var name: String
    public var condition: Condition
    public var text: String
    public var note: String?
    public var source: SourceFile
    public var span: SourceSpan
}

/// A named value per row (`define rate = …`), with where it was written.
public struct Derivation {
    public var name: String
    public var expr: RowExpr
    public var text: String
    public var note: String?
    public var source: SourceFile
    public var span: SourceSpan
}

public struct ParamBinding {
    public var value: ParamValue
    public var source: SourceFile
    public var span: SourceSpan
    public var overridden: Bool
}

/// `let daso_year = cases where daso and last 12 months`.
public struct SubsetBinding {
    public var subset: Subset
    public var source: SourceFile
}
