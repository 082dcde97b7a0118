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

    /// Width of the drawing, in CSS pixels (it scales down with the page).
    static let width = 720.0
    static let font = 12.0, titleFont = 14.0
    /// Average advance of a character at 12px in a sans-serif face: enough
    /// to place labels; long labels are cut with … (the table has them whole).
    static let charWidth = 6.6

    static func textWidth(_ s: String, size: Double = font) -> Double { Double(s.count) * charWidth * size / font }

    /// `s` cut with … to at most `chars` characters.
    static func cut(_ s: String, _ chars: Int) -> String {
        s.count <= chars ? s : String(s.prefix(max(1, chars - 1))) + "…"
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

    /// Round tick values from 0 (or a negative low) to at least `high`:
    /// steps of 1, 2 or 5 times a power of ten, about five of them.
    static func ticks(low: Double, high: Double) -> [Double] {
        let span = high - low
        guard span > 0, span.isFinite else { return [low] }
        let raw = span / 5
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var out: [Double] = []
        var v = (low / step).rounded(.down) * step
        while v < high + step * 0.999 { out.append(abs(v) < step / 1e6 ? 0 : v); v += step; if out.count > 12 { break } }
        return out
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
