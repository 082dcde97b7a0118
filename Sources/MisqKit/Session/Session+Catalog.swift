/// A session is the catalog its queries are checked against.
extension Session: Catalog {
    /// With `--engine`, the database's tables, then what statements made.
    public var schemas: [any DatasetSchema] { (engine?.schemas ?? []) + datasets }
    public func schema(named name: String) -> (any DatasetSchema)? { dataset(named: name) ?? engine?.schema(named: name) }
    public var defaultSchema: (any DatasetSchema)? {
        guard let engine else { return defaultDataset }
        if let d = engine.schemas.first(where: \.isDefault) { return d }
        let caseLevel = engine.schemas.filter { !$0.isPublishedTable }
        return caseLevel.count == 1 ? caseLevel[0] : nil
    }
    public func number(named name: String) -> (value: Double, isDate: Bool)? {
        if let s = scalars[name.lowercased()] { return (s.value, s.isDate) }
        if let p = params[name.lowercased()], case .value(.number(let v, _)) = p.value { return (v, false) }
        return nil
    }
}

extension Checker {
    /// A checker of a session's queries.
    public init(session: Session, source: SourceFile) { self.init(catalog: session, source: source) }
}
