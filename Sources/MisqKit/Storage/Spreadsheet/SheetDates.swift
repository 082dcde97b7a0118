import Foundation

/// Dates as workbooks store them: XLSX as a serial number of days whose
/// meaning depends on the workbook's date system and the cell's number
/// format; ODS (and XLSX `t="d"`) as ISO 8601 text.
enum SheetDates {
    /// The day number (days since 1970-01-01) of serial `v`, and whether it
    /// has a time of day; nil outside the years 1–9999.
    /// 1900 system: serial 1 is 1900-01-01, and serial 60 is the
    /// 1900-02-29 that Lotus 1-2-3 invented and Excel kept, so serials
    /// below 60 are a day later than counting from 1899-12-31 gives; 60
    /// itself is no real day (nil). 1904 system: serial 0 is 1904-01-01.
    static func day(serial v: Double, date1904: Bool) -> (day: Int, timeOfDay: Bool)? {
        guard v.isFinite, abs(v) < 4_000_000 else { return nil }
        let whole = v.rounded(.down)
        let timeOfDay = v != whole
        var day: Int
        if date1904 {
            day = Int(whole) - 24107
        } else {
            guard whole >= 0, whole != 60 else { return nil }
            day = Int(whole) - (whole < 60 ? 25568 : 25569)
        }
        let y = Day.civil(day).year
        guard (1...9999).contains(y) else { return nil }
        if !date1904, whole == 0 { day = Day.number(1899, 12, 31) }
        return (day, timeOfDay)
    }

    /// `2023-03-31` or `2023-03-31T12:30:00[.5][Z]` → day and whether a
    /// time other than midnight was given.
    static func day(iso bytes: UnsafeBufferPointer<UInt8>) -> (day: Int, timeOfDay: Bool)? {
        func num(_ a: Int, _ b: Int) -> Int? {
            guard b <= bytes.count else { return nil }
            var v = 0
            for k in a..<b { guard (48...57).contains(bytes[k]) else { return nil }; v = v * 10 + Int(bytes[k] - 48) }
            return v
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45, let y = num(0, 4), let m = num(5, 7), let d = num(8, 10),
              let day = Day.valid(y, m, d) else { return nil }
        if bytes.count == 10 { return (day, false) }
        guard bytes[10] == UInt8(ascii: "T") else { return nil }
        // Any non-zero digit in the time part is a time of day.
        let time = bytes[11...].contains { (49...57).contains($0) }
        return (day, time)
    }

    /// What an XLSX number format shows: a number, a date (or date and
    /// time), a time of day, or an elapsed time (`[h]:mm`, a duration).
    enum FormatKind { case number, date, time, elapsed }

    static func kind(id: Int, code: String?) -> FormatKind {
        if isDateFormat(id: id, code: code) { return .date }
        if let code = code { return codeShowsTime(code) }
        if (18...21).contains(id) || id == 45 || id == 47 { return .time }
        return id == 46 ? .elapsed : .number
    }

    /// A custom code's hours, minutes or seconds outside quotes and
    /// escapes: `[h]`, `[mm]`, `[ss]` elapsed, `h`/`s` a time of day.
    static func codeShowsTime(_ code: String) -> FormatKind {
        var inQuote = false, escaped = false, bracket: String?
        var time = false
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if var b = bracket {
                if ch == "]" {
                    if !b.isEmpty, b.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) { return .elapsed }
                    bracket = nil
                } else { b.append(ch); bracket = b }
                continue
            }
            switch ch {
            case "\"": inQuote = true
            case "[": bracket = ""
            case "\\", "_", "*": escaped = true
            case ";": return time ? .time : .number
            case "h", "s": time = true
            default: continue
            }
        }
        return time ? .time : .number
    }

    /// Whether an XLSX number format shows a date: a built-in date format,
    /// or a custom code with a day, month or year part outside quotes,
    /// escapes and brackets (`[$-809]dd/mm/yyyy` is a date, `0.0"d"` and
    /// `[Red]0` are not). Time-only formats (`h:mm`) are not dates: misq
    /// has no time-of-day type, so their serial stays a number.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if let code = code { return codeShowsDate(code) }
        return (14...17).contains(id) || id == 22 || (27...36).contains(id) || (50...58).contains(id)
    }

    static func codeShowsDate(_ code: String) -> Bool {
        var inQuote = false, inBracket = false, escaped = false
        // Only the first section (positive numbers) decides.
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket { if ch == "]" { inBracket = false }; continue }
            switch ch {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            case ";": return false
            case "d", "y": return true
            // `m` is a month beside a day or year, a minute beside hours;
            // alone (`mmm`) a month.
            case "m": if !code.lowercased().contains("h") && !code.lowercased().contains("s") { return true }
            case "e", "g": if code.lowercased().hasPrefix("general") { return false }
            default: continue
            }
        }
        return false
    }
}
