/// A session is the catalog its queries are checked against.
extension Session: Catalog {
    public var schemas: [any DatasetSchema] { datasets }
    public func schema(named name: String) -> (any DatasetSchema)? { dataset(named: name) }
    public var defaultSchema: (any DatasetSchema)? { defaultDataset }
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
