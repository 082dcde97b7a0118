// libFuzzer entry: file bytes through the CSV loader and type inference.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.csv(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
