// libFuzzer entry: query text through lexer, parser, checker and engine.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.query(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
