/// The few bytes misq trims from text: spaces, tabs, carriage returns and
/// line feeds. Foundation's `trimmingCharacters(in:)` builds generic
/// metadata for its CharacterSet machinery the first time it runs, about
/// 0.6 ms of a 9 ms query at the command line (a comment in the shipped
/// definitions is enough to trigger it), to trim two to four ASCII bytes.
struct ASCIITrim: Sendable {
    let bytes: [UInt8]

    static let spacesAndTabs = ASCIITrim(bytes: [0x20, 0x09])
    static let spacesTabsAndCR = ASCIITrim(bytes: [0x20, 0x09, 0x0D])
    static let spacesTabsAndNewlines = ASCIITrim(bytes: [0x20, 0x09, 0x0D, 0x0A])
}

extension StringProtocol {
    /// The text without the set's bytes at either end. Cutting at an ASCII
    /// byte is always on a character's UTF-8 boundary.
    func trimming(_ set: ASCIITrim) -> String {
        let b = Array(utf8)
        var s = 0, e = b.count
        while s < e, set.bytes.contains(b[s]) { s += 1 }
        while e > s, set.bytes.contains(b[e - 1]) { e -= 1 }
        return String(decoding: b[s..<e], as: UTF8.self)
    }
}
