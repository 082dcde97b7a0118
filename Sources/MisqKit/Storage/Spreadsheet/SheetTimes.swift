import Foundation

/// Times of day and durations as workbooks store them: XLSX a fraction of
/// a day under a time format, ODS an ISO 8601 duration (`PT09H30M00S`).
/// Read as seconds, shown as `hh:mm:ss`, so the same cell reads the same
/// from either format (python-calamine gives a `time` for both under 24
/// hours; for longer, a `timedelta` from XLSX and the ODS text unparsed).
enum SheetTimes {
    /// Seconds of an XLSX serial `v` (days), to the millisecond: a serial
    /// holds 9:30 as 0.395833…, which is 34,199.99… seconds.
    static func seconds(serial v: Double) -> Double {
        (v * 86_400_000).rounded() / 1000
    }

    /// `PT09H30M00S`, `PT36H15M00.5S`, `P1DT2H`, `-PT1H`: seconds, or nil
    /// (years and months have no fixed length in seconds).
    static func seconds(iso bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var k = 0, negative = false
        if k < bytes.count, bytes[k] == UInt8(ascii: "-") { negative = true; k += 1 }
        guard k < bytes.count, bytes[k] == UInt8(ascii: "P") else { return nil }
        k += 1
        var total = 0.0, inTime = false, any = false
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "T") { inTime = true; k += 1; continue }
            let start = k
            while k < bytes.count, (48...57).contains(bytes[k]) || bytes[k] == UInt8(ascii: ".") { k += 1 }
            guard k > start, k < bytes.count, k - start < 20,
                  let n = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<k]), as: UTF8.self)) else { return nil }
            switch (bytes[k], inTime) {
            case (UInt8(ascii: "D"), false): total += n * 86_400
            case (UInt8(ascii: "H"), true): total += n * 3600
            case (UInt8(ascii: "M"), true): total += n * 60
            case (UInt8(ascii: "S"), true): total += n
            default: return nil
            }
            any = true
            k += 1
        }
        guard any, total.isFinite else { return nil }
        let s = (total * 1000).rounded() / 1000
        return negative ? -s : s
    }

    /// `09:30:00`, `36:15:00`, `00:00:00.5`, `-01:00:00`.
    static func text(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "\(seconds)" }
        let ms = Int64((abs(seconds) * 1000).rounded())
        let whole = ms / 1000, frac = ms % 1000
        var s = (seconds < 0 && ms > 0 ? "-" : "") + String(format: "%02lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60)
        if frac > 0 {
            var f = String(format: "%03lld", frac)
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s
    }
}
