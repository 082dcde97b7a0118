// libFuzzer entry: bytes through the XLSX and ODS readers, as a whole
// workbook or as one XML part of one (SheetFuzzHarness).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSheet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    SheetFuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
