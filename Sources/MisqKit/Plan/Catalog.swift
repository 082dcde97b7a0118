/// What planning may know of a dataset: its name, columns, their types and
/// labels, and what was declared about it — never its rows. The checker
/// resolves a query against this alone and writes a plan of names and
/// literal values, so the same plan can run on the columnar engine, be
/// printed by `misq explain`, or (later) be compiled for another engine.
///
/// Storage's `Dataset` provides it (`Storage/Dataset+Schema.swift`): types
/// are inferred once and kept in the column cache, so asking for them does
/// not read rows again.
public protocol DatasetSchema: AnyObject {
    var name: String { get }
    var path: String { get }
    /// The file the rows come from, as an absolute, standard path (a
    /// package's CSV for a dataset of the package): two datasets with the
    /// same one read the same rows.
    var sourcePath: String { get }
    var columnNames: [String] { get }
    var published: PublishedLayout? { get }
    /// The declared period column, if any.
    var periodColumn: String? { get }
    var isDefault: Bool { get }
    /// The column a name means: the exact name, else the one equal ignoring case.
    func columnIndex(_ name: String) -> Int?
    var units: [String: UnitDefinition] { get }
    /// Throws the reason a dataset whose file could not be read has no columns.
    func checkUsable() throws
    func columnType(_ index: Int) throws -> ColumnType
    /// A category column's labels; nil for a column of another type.
    func labelSet(_ index: Int) throws -> LabelSet?
    /// Values the data package allows, whether or not a row holds them.
    func declaredValues(_ index: Int) -> [String]?
    func dateColumns() throws -> [String]
    /// The declared period column, else the only date column (`inferred`).
    func periodColumnIndex() throws -> (index: Int, inferred: Bool)?
    func asOf() throws -> (day: Int, declared: Bool)?
    /// Rows holding each of a few labels: read only to word an error.
    func rowCounts(ofLabels labels: [String], column index: Int) throws -> [String: Int]
    /// The checker is about to ask about these columns (lowercased names):
    /// `early` before any filter, `late` only for the selected rows. Types
    /// and labels of several columns come from one pass over a CSV.
    func prepare(early: Set<String>, late: Set<String>, filtered: Bool) throws
    /// A value of the column on more than one row, and on how many (the
    /// first such in the column's order), or nil when each present value is
    /// on one row: a joined dataset must have one row per key.
    func duplicateKey(column index: Int) throws -> (label: String, rows: Int)?
    /// The data package's rule for publishing this dataset's tables of
    /// counts (`misq:suppression`), applied when a query gives none.
    var suppressionRule: SuppressionRule? { get }
}

extension DatasetSchema {
    public func duplicateKey(column index: Int) throws -> (label: String, rows: Int)? { nil }
    public var suppressionRule: SuppressionRule? { nil }
    public var isPublishedTable: Bool { published != nil }
    /// A dataset a statement made (a grouped result kept by `let`): used
    /// only where named, never the dataset a query without `from` means.
    public var isMadeByStatement: Bool { path.hasPrefix(Self.madeByStatementPrefix) }
    public static var madeByStatementPrefix: String { "let " }
}

/// A category column's labels, and which of them a folded value names.
public struct LabelSet {
    public let labels: [String]
    /// Indices of the labels that fold (`Suggestions.normalize`) to a text.
    let foldedMatches: (String) -> [Int]

    public init(labels: [String], foldedMatches: @escaping (String) -> [Int]) {
        self.labels = labels
        self.foldedMatches = foldedMatches
    }

    public func matching(folded norm: String) -> [Int] { norm.isEmpty ? [] : foldedMatches(norm) }

    /// Above this many labels a column is an id column: a value is looked
    /// up by a scan of its labels, and did-you-mean looks at few of them.
    public static let tableLimit = 1 << 16
}

/// Everything the checker resolves names against: the datasets' schemas
/// and what the script has declared (units, definitions, params, subsets,
/// derived values, `let` numbers). A session is one (`Session+Catalog.swift`);
/// planning never sees a session, a dataset's rows or the engine.
public protocol Catalog: AnyObject {
    var schemas: [any DatasetSchema] { get }
    func schema(named name: String) -> (any DatasetSchema)?
    /// The dataset a query means when it names none.
    var defaultSchema: (any DatasetSchema)? { get }
    /// A dataset's units: its package's and those the script declared.
    func units(of schema: any DatasetSchema) -> [String: UnitDefinition]
    var unitNames: [String] { get }
    var defines: [String: Definition] { get }
    var params: [String: ParamBinding] { get }
    var subsets: [String: SubsetBinding] { get }
    var derivations: [String: Derivation] { get }
    /// A `let` number or a numeric param, by name: its value and whether it is a date.
    func number(named name: String) -> (value: Double, isDate: Bool)?
    /// How a hint names the describe command where the query was typed.
    var describeCommand: String { get }
}
