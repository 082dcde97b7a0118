import XCTest
@testable import MisqKit

/// Terminal columns per grapheme cluster, and a box table whose borders stay
/// straight when labels hold CJK, Hangul, emoji and combining accents.
/// Expected widths are hand counts (UAX #11: Wide and Fullwidth take two
/// columns; a combining mark none) and agree with the `wcwidth` Python
/// package 0.7.0 (`wcwidth.width(s)`), checked when this test was written.
final class DisplayWidthTests: XCTestCase {
    func testWidths() {
        let cases: [(String, Int, String)] = [
            ("abc", 3, "ASCII"),
            ("", 0, "empty"),
            ("漢字", 4, "CJK ideographs"),
            ("東京都", 6, "CJK ideographs"),
            ("ｶﾀｶﾅ", 4, "halfwidth katakana: one column each"),
            ("ＡＢ", 4, "fullwidth Latin"),
            ("\u{3000}", 2, "ideographic space"),
            ("한국어", 6, "precomposed Hangul syllables"),
            ("\u{1100}\u{1161}\u{11A8}", 2, "conjoining Hangul jamo: one syllable"),
            ("e\u{301}", 1, "e + combining acute"),
            ("cafe\u{301}", 4, "decomposed café"),
            ("caf\u{E9}", 4, "precomposed café"),
            ("\u{301}", 0, "a combining mark alone"),
            ("ñandú Zoë", 9, "accented Latin"),
            ("Ω", 1, "Greek"),
            ("👍", 2, "emoji presentation"),
            ("👍🏽", 2, "emoji + skin tone"),
            ("👨\u{200D}👩\u{200D}👧\u{200D}👦", 2, "ZWJ family"),
            ("🏳\u{FE0F}\u{200D}🌈", 2, "rainbow flag: VS16 + ZWJ"),
            ("🇬🇧", 2, "flag: a regional indicator pair"),
            ("🇯🇵🇫🇷", 4, "two flags"),
            ("❤\u{FE0F}", 2, "text-default heart with VS16"),
            ("❤", 1, "text-default heart"),
            ("❤\u{FE0E}", 1, "heart with VS15"),
            ("✔\u{FE0F}", 2, "check mark with VS16"),
            ("#\u{FE0F}\u{20E3}", 2, "keycap"),
            ("a\u{200B}b", 2, "zero-width space"),
            ("\u{FEFF}", 0, "zero-width no-break space"),
            ("\u{AD}", 1, "soft hyphen, drawn by terminals"),
            ("मा", 2, "Devanagari consonant + spacing vowel sign"),
            ("भारत", 4, "Devanagari word"),
            ("東京 👍 Ω", 9, "mixed"),
        ]
        for (s, expected, what) in cases {
            XCTAssertEqual(DisplayWidth.of(s), expected, "\(what): \(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    func testPrefixCutsBetweenClustersByWidth() {
        XCTAssertEqual(DisplayWidth.prefix("漢字漢字", width: 5), "漢字")       // 4 columns: a third ideograph would make 6
        XCTAssertEqual(DisplayWidth.prefix("ae\u{301}b", width: 2), "ae\u{301}")  // the accent stays with its e
        XCTAssertEqual(DisplayWidth.prefix("🇬🇧🇫🇷", width: 3), "🇬🇧")          // never half a flag
        XCTAssertEqual(DisplayWidth.prefix("x👨\u{200D}👩\u{200D}👧", width: 2), "x")  // never part of a ZWJ sequence
        XCTAssertEqual(DisplayWidth.prefix("x👨\u{200D}👩\u{200D}👧", width: 3), "x👨\u{200D}👩\u{200D}👧")
        XCTAssertEqual(DisplayWidth.truncate("東京都庁舎", width: 7), "東京都…")  // 6 + 1 columns
        XCTAssertEqual(DisplayWidth.truncate("東京都庁舎", width: 6), "東京…")    // 4 + 1: a fifth column would split an ideograph
        XCTAssertEqual(DisplayWidth.truncate("東京都", width: 6), "東京都")
        XCTAssertEqual(DisplayWidth.pad("漢", to: 4), "漢  ")
        XCTAssertEqual(DisplayWidth.pad("漢", to: 4, right: true), "  漢")
    }

    /// Drawn by hand: "東京" is four columns wide, as wide as "cases" less one.
    func testTableWithCJKLabelIsDrawnToColumns() {
        let g = Grid(header: ["force", "cases"],
                     rows: [[Grid.Cell("東京"), Grid.Cell("12", number: 12)],
                            [Grid.Cell("Zoë"), Grid.Cell("3", number: 3)]],
                     footer: [])
        XCTAssertEqual(BoxTable.render(g), """
            ┌───────┬───────┐
            │ force │ cases │
            ├───────┼───────┤
            │ 東京  │    12 │
            │ Zoë   │     3 │
            └───────┴───────┘

            """)
    }

    /// Every line of the box, cut cells and elided rows included, takes the
    /// same number of columns.
    func testBordersLineUpWithCJKAndEmojiLabels() {
        let labels = ["東京都", "서울특별시", "👮\u{200D}♀\u{FE0F} officer", "🇬🇧 Met", "Île-de-France", "cafe\u{301}", "ｶﾀｶﾅ",
                      "👨\u{200D}👩\u{200D}👧\u{200D}👦 family liaison", String(repeating: "長い名前", count: 20), "plain"]
        let rows = labels.enumerated().map { k, l in [Grid.Cell(l), Grid.Cell(l), Grid.Cell("\(k * 1000)", number: Double(k * 1000))] }
        let g = Grid(header: ["地域", "label 🚓", "cases"], rows: rows, footer: ["footer 東京"])
        for (maxRows, maxWidth) in [(nil, nil), (6, nil), (nil, 60), (nil, 30), (5, 40)] as [(Int?, Int?)] {
            let out = BoxTable.render(g, maxRows: maxRows, maxWidth: maxWidth)
            let box = out.split(separator: "\n").map(String.init).filter { $0.hasPrefix("┌") || $0.hasPrefix("│") || $0.hasPrefix("├") || $0.hasPrefix("└") }
            XCTAssertGreaterThan(box.count, 4, out)
            let widths = Set(box.map(DisplayWidth.of))
            XCTAssertEqual(widths.count, 1, "rows \(String(describing: maxRows)), width \(String(describing: maxWidth)):\n\(out)")
            if let mw = maxWidth { XCTAssertLessThanOrEqual(widths.first ?? 0, mw, out) }
        }
    }

    /// The caret under an error sits under its word when the line holds
    /// wide characters before it, and spans a wide word's columns.
    func testCaretColumnsCountWideCharacters() {
        let text = "count cases where force = 東京都 and zz"
        let bytes = Array(text.utf8)
        let zz = bytes.count - 2, tokyo = Array("count cases where force = ".utf8).count
        let atEnd = DiagnosticRenderer.render(MisqError(.value, "m", source: SourceFile(name: "f", text: text), span: SourceSpan(zz, zz + 2)))
        // 26 columns of ASCII, 6 of 東京都, 5 of " and ": zz starts at column 38.
        XCTAssertTrue(atEnd.contains("1 | count cases where force = 東京都 and zz\n  | " + String(repeating: " ", count: 37) + "^^\n"), atEnd)
        let onWide = DiagnosticRenderer.render(MisqError(.value, "m", source: SourceFile(name: "f", text: text), span: SourceSpan(tokyo, tokyo + 9)))
        XCTAssertTrue(onWide.contains("\n  | " + String(repeating: " ", count: 26) + "^^^^^^\n"), onWide)
    }
}
