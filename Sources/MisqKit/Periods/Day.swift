/// A calendar day as a day number: days since 1970-01-01 in the proleptic
/// Gregorian calendar. Dates are stored this way in columns, so a period
/// filter is two integer comparisons.
public enum Day {
    /// Howard Hinnant's days_from_civil (public domain), exact for all years.
    public static func number(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(_ n: Int) -> (year: Int, month: Int, day: Int) {
        let z = n + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A valid calendar day's number, or nil (31/02/2023 is nil).
    public static func valid(_ y: Int, _ m: Int, _ d: Int) -> Int? {
        guard (1...9999).contains(y), (1...12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        return number(y, m, d)
    }

    /// A year as ISO writes it: at least four digits (`0001`), so early
    /// years in labels read as years and sort as text.
    public static func year(_ y: Int) -> String {
        let digits = String(y.magnitude)
        return (y < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// ISO 8601: the year in at least four digits, so 0001-01-01 reads
    /// back as the day it is.
    public static func iso(_ n: Int) -> String {
        let (y, m, d) = civil(n)
        return year(y) + "-\(String(format2: m))-\(String(format2: d))"
    }

    /// A measured day (a `max` of a date column) as a date; no value, or
    /// one that is not a whole day, as "(missing)".
    public static func isoOrMissing(_ v: Double) -> String {
        guard v.isFinite, v.rounded() == v, abs(v) < 4e6 else { return "(missing)" }
        return iso(Int(v))
    }

    /// The same day-of-month `months` later, clamped to the month's end.
    public static func addMonths(_ n: Int, _ months: Int) -> Int {
        let (y, m, d) = civil(n)
        let total = y * 12 + (m - 1) + months
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return number(ny, nm, min(d, daysInMonth(ny, nm)))
    }
}
