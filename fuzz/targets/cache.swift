#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libFuzzer entry: bytes written as one file of a small CSV's cache (whole,
// or as a payload sealed with the user's key), then the CSV queried through
// the cache. A crash, hang or sanitizer report is a finding, and so is a
// whole file that changes the CSV's answer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCache(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let wrong = CacheFuzzHarness.input(Array(UnsafeBufferPointer(start: data, count: size))) {
        fputs("a cache file changed the answer: \(wrong)\n", stderr)
        abort()
    }
    return 0
}
