/// `--engine ADDRESS`: a session whose datasets are a live database's
/// tables, checked against the catalog read from it, with the definitions
/// files the export carried declared first, so a saved query means there
/// what it means over the files.
extension Session {
    public static func open(engine address: String) throws -> Session {
        let engine = try DatabaseEngine(address: address)
        let s = Session()
        s.engine = engine
        for f in engine.definitions { _ = try ScriptRunner(session: s).run(f, mode: .declarations) }
        s.definitionFiles = engine.definitions
        return s
    }
}
