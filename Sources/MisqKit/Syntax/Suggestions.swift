/// Did-you-mean: Levenshtein distance under a threshold, as
/// swift-argument-parser does it (Utilities/StringExtensions.swift). Written
/// here because none of the allowed packages exposes it as API.
public enum Suggestions {
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// Candidates close to `word`, nearest first: within a third of the
    /// word's length, or sharing its start.
    public static func closest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let w = word.lowercased()
        let threshold = max(2, w.count / 3)
        let scored = Set(candidates).compactMap { c -> (String, Int)? in
            let d = editDistance(w, c)
            let lc = c.lowercased()
            if d <= threshold { return (c, d) }
            if w.count >= 3, lc.hasPrefix(w) || w.hasPrefix(lc) && lc.count >= 3 { return (c, threshold) }
            return nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// "did you mean 'x'?" or "did you mean one of 'x', 'y'?" or nil.
    public static func didYouMean(_ word: String, _ candidates: [String]) -> String? {
        let c = closest(to: word, in: candidates.filter(isTypable))
        if c.isEmpty { return nil }
        if c.count == 1 { return "did you mean '\(c[0])'?" }
        return "did you mean one of " + c.map { "'\($0)'" }.joined(separator: ", ") + "?"
    }

    /// A name with a control character in it (ESC, a bidi override) cannot
    /// be typed at the prompt or in a script: it is not offered.
    static func isTypable(_ name: String) -> Bool { !name.unicodeScalars.contains(where: TerminalText.isControl) }

    /// The same for names (columns, datasets, units, definitions): each
    /// written as it parses, `Subject Ref` in backticks.
    public static func didYouMeanName(_ word: String, _ candidates: [String]) -> String? {
        let c = closest(to: word, in: candidates.filter { Identifier.isWritable($0) && isTypable($0) })
        if c.isEmpty { return nil }
        if c.count == 1 { return "did you mean \(Identifier.shown(c[0]))?" }
        return "did you mean one of " + c.map(Identifier.shown).joined(separator: ", ") + "?"
    }

    /// The first `k` strings in sorted order (an id column's millions of
    /// labels, for an error's examples).
    public static func smallest(_ k: Int, of strings: [String]) -> [String] {
        strings.smallest(k, by: <)
    }

    /// Whether `normalize(s)` is the UTF-8 `want`, without making it: for
    /// scanning millions of labels. ASCII is compared byte by byte (letters
    /// and digits, lowercased); anything else goes through `normalize`.
    public static func normalizes(_ s: String, to want: [UInt8]) -> Bool {
        var i = 0
        for b in s.utf8 {
            if b >= 0x80 { return Array(normalize(s).utf8) == want }
            let c = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            guard (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) else { continue }
            guard i < want.count, want[i] == c else {
                // A later non-ASCII byte could still change the answer.
                return s.utf8.contains { $0 >= 0x80 } ? Array(normalize(s).utf8) == want : false
            }
            i += 1
        }
        return i == want.count
    }

    /// Matching key for category labels: case- and punctuation-insensitive,
    /// so `dismissal_without_notice` matches "Dismissal without notice".
    public static func normalize(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() where ch.isLetter || ch.isNumber { out.append(ch) }
        return out
    }
}
