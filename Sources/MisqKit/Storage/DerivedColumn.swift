/// A derived value's column as a dataset keeps it between queries
/// (`Dataset.derivedColumn`), with what its computation could not give
/// (`Execution/Derive.swift` computes it).
struct DerivedColumn {
    let column: Column
    /// Rows whose value is missing because of the computation itself, not
    /// a missing input: for the footer.
    let divisionsByZero: Int
    let noSuchDate: Int
    /// The first impossible date met (`2019-02-30`), for the note.
    let noSuchDateExample: String?
    let outOfRange: Int
}
