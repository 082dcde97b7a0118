/// How many terminal columns text takes, so the box table's borders line up
/// when labels hold CJK, Hangul, emoji or combining accents. `String.count`
/// counts grapheme clusters, and a cluster takes 0, 1 or 2 columns.
///
/// Measured per grapheme cluster, as DuckDB's box renderer does
/// (`Utf8Proc::RenderWidth`, utf8proc's character width of each cluster),
/// with the emoji rules terminals follow today:
/// - East Asian Wide and Fullwidth (UAX #11) take 2 columns, and so does an
///   emoji in emoji presentation, a flag, a ZWJ sequence or a base followed
///   by VS16 (U+FE0F); VS15 (U+FE0E) asks for text presentation, which
///   takes the base's own width.
/// - Combining marks and variation selectors (Mn, Me), format characters
///   (Cf: zero-width joiner and space) and Hangul medial and final jamo take
///   no column; a spacing mark (Mc) after a base adds 1.
/// - Control characters are never measured: `TerminalText.escape` has made
///   them visible text before the table is laid out.
/// Ambiguous-width characters (UAX #11 "A") count 1, as in a Western locale.
///
/// Written by hand: no Swift package available to this project measures
/// display width, and Foundation does not. General categories and the
/// Emoji property come from the standard library's Unicode tables.
public enum DisplayWidth {
    /// Columns `s` takes in a terminal.
    public static func of(_ s: String) -> Int {
        // Printable ASCII is one column a byte: most cells are, so skip the
        // grapheme walk for them.
        var ascii = true
        for b in s.utf8 where b < 0x20 || b >= 0x7F { ascii = false; break }
        if ascii { return s.utf8.count }
        return s.reduce(0) { $0 + of($1) }
    }

    /// Columns one grapheme cluster takes: 0, 1 or 2.
    public static func of(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let base = scalars.first else { return 0 }
        // Most clusters are one scalar: letters, ideographs, syllables.
        if scalars.count == 1 { return isRegionalIndicator(base) ? 2 : scalarWidth(base) }
        if scalars.contains("\u{FE0E}") { return scalarWidth(base) }
        // A regional indicator shows as a flag in a pair and as a boxed
        // letter alone: two columns either way.
        if isRegionalIndicator(base) { return 2 }
        if base.properties.isEmoji, scalars.count > 1,
           scalars.contains("\u{FE0F}") || scalars.contains("\u{200D}") || scalars.contains(where: isSkinTone) {
            return 2
        }
        var width = scalarWidth(base)
        // Spacing marks (Devanagari vowel signs and the like) take a column
        // of their own after the base.
        for u in scalars.dropFirst() where u.properties.generalCategory == .spacingMark { width += 1 }
        return width
    }

    /// The longest start of `s` that fits in `width` columns, cut between
    /// grapheme clusters (never inside an accent, a flag or a ZWJ sequence).
    public static func prefix(_ s: String, width: Int) -> String {
        var used = 0
        var end = s.startIndex
        for i in s.indices {
            let w = of(s[i])
            if used + w > width { break }
            used += w
            end = s.index(after: i)
        }
        return String(s[..<end])
    }

    /// `s` cut to at most `width` columns, ending in "…" when anything was left out.
    public static func truncate(_ s: String, width: Int) -> String {
        guard of(s) > width else { return s }
        return prefix(s, width: max(0, width - 1)) + "…"
    }

    /// `s` with spaces added on the left (`right: true`) or the right up to `width` columns.
    public static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(s)))
        return right ? fill + s : s + fill
    }

    static func scalarWidth(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        // Latin-1 (soft hyphen included) and Latin Extended letters, CJK ideographs and Hangul
        // syllables without a table look-up.
        if v >= 0xA0 && v < 0x300 { return 1 }
        if (0x4E00...0x9FFF).contains(v) || (0xAC00...0xD7A3).contains(v) { return 2 }
        // Soft hyphen and the prepended concatenation marks (Arabic number
        // signs and the like) are Cf but drawn: one column.
        if v == 0xAD || (0x600...0x605).contains(v) || v == 0x6DD || v == 0x70F || v == 0x890 || v == 0x891
            || v == 0x8E2 || v == 0x110BD || v == 0x110CD { return 1 }
        // Hangul fillers are letters that draw nothing.
        if v == 0x3164 || v == 0xFFA0 { return 0 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        // Hangul medial vowels and final consonants join the initial before them.
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    static func isRegionalIndicator(_ u: Unicode.Scalar) -> Bool { (0x1F1E6...0x1F1FF).contains(u.value) }
    static func isSkinTone(_ u: Unicode.Scalar) -> Bool { (0x1F3FB...0x1F3FF).contains(u.value) }

    static func isWide(_ v: UInt32) -> Bool {
        if v < wide[0].0 { return false }
        var lo = 0, hi = wide.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < wide[mid].0 { hi = mid - 1 } else if v > wide[mid].1 { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// East Asian Width W and F ranges of Unicode 17.0 (EastAsianWidth.txt),
    /// less the combining marks inside them, as tabulated by the `wcwidth`
    /// Python package 0.7.0 (`table_wide.py`). Sorted, for binary search.
    static let wide: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC), (0x23F0, 0x23F0),
        (0x23F3, 0x23F3), (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2630, 0x2637), (0x2648, 0x2653),
        (0x267F, 0x267F), (0x268A, 0x268F), (0x2693, 0x2693), (0x26A1, 0x26A1), (0x26AA, 0x26AB),
        (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
        (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705),
        (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
        (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C),
        (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5),
        (0x2FF0, 0x3029), (0x3030, 0x303E), (0x3041, 0x3096), (0x309B, 0x30FF), (0x3105, 0x312F),
        (0x3131, 0x3163), (0x3165, 0x318E), (0x3190, 0x31E5), (0x31EF, 0x321E), (0x3220, 0x3247),
        (0x3250, 0xA48C), (0xA490, 0xA4C6), (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
        (0xFE10, 0xFE19), (0xFE30, 0xFE52), (0xFE54, 0xFE66), (0xFE68, 0xFE6B), (0xFF01, 0xFF60),
        (0xFFE0, 0xFFE6), (0x16FE0, 0x16FE3), (0x16FF2, 0x16FF6), (0x17000, 0x18CD5),
        (0x18CFF, 0x18D1E), (0x18D80, 0x18DF2), (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB),
        (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122), (0x1B132, 0x1B132), (0x1B150, 0x1B152),
        (0x1B155, 0x1B155), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB), (0x1D300, 0x1D356),
        (0x1D360, 0x1D376), (0x1F004, 0x1F004), (0x1F0CF, 0x1F0CF), (0x1F18E, 0x1F18E),
        (0x1F191, 0x1F19A), (0x1F1E6, 0x1F202), (0x1F210, 0x1F23B), (0x1F240, 0x1F248),
        (0x1F250, 0x1F251), (0x1F260, 0x1F265), (0x1F300, 0x1F320), (0x1F32D, 0x1F335),
        (0x1F337, 0x1F37C), (0x1F37E, 0x1F393), (0x1F3A0, 0x1F3CA), (0x1F3CF, 0x1F3D3),
        (0x1F3E0, 0x1F3F0), (0x1F3F4, 0x1F3F4), (0x1F3F8, 0x1F43E), (0x1F440, 0x1F440),
        (0x1F442, 0x1F4FC), (0x1F4FF, 0x1F53D), (0x1F54B, 0x1F54E), (0x1F550, 0x1F567),
        (0x1F57A, 0x1F57A), (0x1F595, 0x1F596), (0x1F5A4, 0x1F5A4), (0x1F5FB, 0x1F64F),
        (0x1F680, 0x1F6C5), (0x1F6CC, 0x1F6CC), (0x1F6D0, 0x1F6D2), (0x1F6D5, 0x1F6D8),
        (0x1F6DC, 0x1F6DF), (0x1F6EB, 0x1F6EC), (0x1F6F4, 0x1F6FC), (0x1F7E0, 0x1F7EB),
        (0x1F7F0, 0x1F7F0), (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945), (0x1F947, 0x1F9FF),
        (0x1FA70, 0x1FA7C), (0x1FA80, 0x1FA8A), (0x1FA8E, 0x1FAC6), (0x1FAC8, 0x1FAC8),
        (0x1FACD, 0x1FADC), (0x1FADF, 0x1FAEA), (0x1FAEF, 0x1FAF8), (0x20000, 0x2FFFD),
        (0x30000, 0x3FFFD),
    ]
}
