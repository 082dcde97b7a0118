import Foundation

/// Colours, type sizes and the arithmetic of scales shared by the charts.
///
/// Colours: one hue, dark enough on white to pass WCAG 2.1's 3:1 for
/// graphical objects (1.4.11) and, for text, 4.5:1 (1.4.3); a heat map's
/// shades run light to dark in lightness alone, so a greyscale print keeps
/// their order. Text on a shaded cell is black or white, whichever has the
/// higher contrast there (`textColour(on:)`, checked by a test across the
/// whole ramp).
enum ChartStyle {
    static let ink = "#1a1a1a"
    static let muted = "#595959"
    static let rule = "#c8c8c8"
    static let bar = "#1d4f91"
    static let rampLight = RGB(0xee, 0xf3, 0xfa), rampDark = RGB(0x0b, 0x2f, 0x66)
    static let white = RGB(0xff, 0xff, 0xff), black = RGB(0x1a, 0x1a, 0x1a)

    /// Width of a drawing, in CSS pixels (it scales down with the page); a
    /// shaded grid of many columns is drawn wider, so every column is there.
    static let width = 720.0
    static let font = 12.0, titleFont = 14.0

    /// A conservative advance width of `s`: per character, about what DejaVu
    /// Sans (the widest of the faces the page asks for) gives it, which is
    /// more than Arial or Helvetica do. Layout measures with it so that no
    /// label leaves the drawing; `.ci/report_browser.py` checks the real
    /// boxes in Chromium.
    static func textWidth(_ s: String, size: Double = font, bold: Bool = false) -> Double {
        var em = 0.0
        for ch in s {
            switch ch {
            case "i", "j", "l", "I", "!", "|", ".", ",", ":", ";", "'", "\u{B7}": em += 0.34
            case " ": em += 0.33
            case "f", "r", "t", "(", ")", "[", "]", "-", "/": em += 0.44
            case "m", "w", "M", "W", "@", "%", "…", "—": em += 1.0
            case "0"..."9", "a"..."z", "#", "$", "+", "=", "<", ">", "?", "_", "~", "^", "*": em += 0.66
            case "A"..."Z", "&": em += 0.8
            default: em += ch.isASCII ? 0.7 : 1.0
            }
        }
        return em * size * (bold ? 1.12 : 1)
    }

    /// `s` cut with … at the end to at most `width` pixels.
    static func cut(_ s: String, width: Double, size: Double = font, bold: Bool = false) -> String {
        if textWidth(s, size: size, bold: bold) <= width { return s }
        var chars = Array(s)
        while !chars.isEmpty, textWidth(String(chars) + "…", size: size, bold: bold) > width { chars.removeLast() }
        // `with …` and `with…` read the same: no space before the ellipsis.
        while chars.last?.isWhitespace == true { chars.removeLast() }
        return String(chars) + "…"
    }

    /// `s` cut with … in the middle to at most `width` pixels, keeping a
    /// share `head` of what is kept from its start and the rest from its end.
    static func cutMiddle(_ s: String, width: Double, head: Double) -> String {
        if textWidth(s) <= width { return s }
        let chars = Array(s)
        var keep = chars.count - 1
        while keep > 0 {
            let h = Int((Double(keep) * head).rounded()), t = keep - h
            let text = String(chars.prefix(h)).trimmingCharacters(in: .whitespaces) + "…" + String(chars.suffix(t)).trimmingCharacters(in: .whitespaces)
            if textWidth(text) <= width { return text }
            keep -= 1
        }
        return "…"
    }

    /// Labels cut to `width`, kept distinct: labels that an end cut would
    /// make the same (`Dismissal with…` for `with notice` and `without
    /// notice`) are cut in the middle instead, keeping more of their ends
    /// until they differ. The whole label is the cut one's tooltip.
    static func cutDistinct(_ labels: [String], width: Double) -> [String] {
        var out = labels.map { cut($0, width: width) }
        for _ in 0..<2 {
            var seen: [String: Set<String>] = [:]
            for (l, o) in zip(out, labels) { seen[l, default: []].insert(o) }
            let clashing = Set(seen.filter { $0.value.count > 1 }.keys)
            if clashing.isEmpty { break }
            let members = labels.indices.filter { clashing.contains(out[$0]) }
            for head in [0.5, 0.35, 0.2, 0.0] {
                let tried = members.map { cutMiddle(labels[$0], width: width, head: head) }
                var ok = true
                var byCut: [String: String] = [:]
                for (i, t) in zip(members, tried) {
                    if let other = byCut[t], other != labels[i] { ok = false; break }
                    byCut[t] = labels[i]
                }
                // Also distinct from labels outside the clash.
                let others = Set(labels.indices.filter { !members.contains($0) }.map { out[$0] })
                if ok, Set(tried).isDisjoint(with: others) || head == 0 {
                    for (i, t) in zip(members, tried) { out[i] = t }
                    break
                }
            }
        }
        return out
    }

    /// Words of `s` in lines of at most `chars` characters.
    static func wrap(_ s: String, _ chars: Int) -> [String] {
        var lines: [String] = [], line = ""
        for w in s.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + w.count > chars { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Words of `s` in lines no wider than `width` pixels (a word wider
    /// than that is cut).
    static func wrap(_ s: String, width: Double, size: Double = font, bold: Bool = false) -> [String] {
        var lines: [String] = [], line = ""
        for w in s.split(separator: " ").map(String.init) {
            let candidate = line.isEmpty ? w : line + " " + w
            if !line.isEmpty, textWidth(candidate, size: size, bold: bold) > width { lines.append(line); line = w } else { line = candidate }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { cut($0, width: width, size: size, bold: bold) }
    }

    /// A shade of the ramp for `t` in 0…1. Around 58–62% of the way along
    /// the ramp neither black nor white text reaches 4.5:1, so values step
    /// over that band: lightness still falls with the value, and every
    /// cell's figure stays readable (`ReportTests.testColoursPassContrast`).
    static func shade(_ t: Double) -> RGB {
        let c = min(1, max(0, t))
        let k = c <= 0.6 ? c * 0.94 : 0.64 + (c - 0.6) * 0.9
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * k).rounded()) }
        return RGB(mix(rampLight.r, rampDark.r), mix(rampLight.g, rampDark.g), mix(rampLight.b, rampDark.b))
    }

    static func textColour(on fill: RGB) -> RGB {
        fill.contrast(with: black) >= fill.contrast(with: white) ? black : white
    }

    /// A value axis: round ticks (steps of 1, 2 or 5 times a power of ten,
    /// about five of them; whole numbers for counts) from 0 up to at least
    /// `high`. A negative side is scaled to the data: rounded out to a tick
    /// when it is at least half a step, else the axis starts at `low`
    /// itself (a −5 beside 10¹² is not given a step of 2·10¹¹).
    struct Scale: Equatable {
        var low: Double, high: Double, ticks: [Double]
    }

    static func scale(low: Double, high: Double, integer: Bool = false) -> Scale {
        let span = high - low
        guard span > 0, span.isFinite else { return Scale(low: min(low, 0), high: max(high, low + 1), ticks: [low]) }
        let raw = span / 5
        let power = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        if integer { step = max(1, step.rounded(.up)) }
        let top = (high / step).rounded(.up) * step
        let bottom = low >= 0 ? 0 : (-low >= step / 2 ? (low / step).rounded(.down) * step : low)
        var out: [Double] = []
        var v = (bottom / step).rounded(.up) * step
        while v <= top + step * 1e-9 {
            out.append(abs(v) < step / 1e6 ? 0 : v)
            v += step
            if out.count > 14 { break }
        }
        return Scale(low: bottom, high: max(top, bottom + step), ticks: out)
    }

    /// The ticks of `scale(low:high:)`.
    static func ticks(low: Double, high: Double, integer: Bool = false) -> [Double] {
        scale(low: low, high: high, integer: integer).ticks
    }
}

/// A colour in sRGB, with WCAG 2.1's relative luminance and contrast ratio.
struct RGB: Equatable {
    var r: UInt8, g: UInt8, b: UInt8
    init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    var hex: String { "#" + [r, g, b].map { String($0, radix: 16).leftPadded(2) }.joined() }

    /// WCAG 2.1, "relative luminance".
    var luminance: Double {
        func channel(_ c: UInt8) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG 2.1, "contrast ratio": (L1 + 0.05) / (L2 + 0.05).
    func contrast(with other: RGB) -> Double {
        let a = luminance, b = other.luminance
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    init?(hex: String) {
        let digits = hex.drop { $0 == "#" }
        guard digits.count == 6, let v = UInt32(digits, radix: 16) else { return nil }
        self.init(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
    }
}
