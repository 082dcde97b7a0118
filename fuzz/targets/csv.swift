#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libFuzzer entry: file bytes through the CSV loader and type inference,
// and through the parallel first pass cut into one chunk and into many.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let mismatch = FuzzHarness.csv(Array(UnsafeBufferPointer(start: data, count: size))) {
        fputs("chunking changed the answer: \(mismatch)\n", stderr)
        abort()
    }
    return 0
}
