/// Text from data, made harmless for a terminal. Labels, names and
/// provenance come from CSVs other people made; an escape sequence in one
/// must not clear the screen, set the window title or recolour the
/// terminal when misq prints it. Control characters are shown as escapes
/// instead of being sent: `\e` for ESC, `\n`, `\r`, `\t`, `\x07` for other
/// C0 and C1 controls and `\u{202E}` for the bidirectional overrides that
/// reorder what a reader sees ("Trojan Source", CVE-2021-42574).
public enum TerminalText {
    /// Whether a scalar is one a terminal would act on rather than show.
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// One value (a cell, a label, a name): every control shown as an escape.
    public static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isControl(u) { out += shown(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// A whole block of output: its line breaks and tabs kept, every other
    /// control shown as an escape.
    public static func screen(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isControl(u) && u != "\n" && u != "\t" { out += shown(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    static func shown(_ u: Unicode.Scalar) -> String {
        switch u {
        case "\u{1B}": return "\\e"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(u.value, radix: 16, uppercase: true)
            return u.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
        }
    }
}
