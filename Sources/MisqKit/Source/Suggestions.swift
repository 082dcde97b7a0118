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
        let c = closest(to: word, in: candidates)
        if c.isEmpty { return nil }
        if c.count == 1 { return "did you mean '\(c[0])'?" }
        return "did you mean one of " + c.map { "'\($0)'" }.joined(separator: ", ") + "?"
    }

    /// Matching key for category labels: case- and punctuation-insensitive,
    /// so `dismissal_without_notice` matches "Dismissal without notice".
    public static func normalize(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() where ch.isLetter || ch.isNumber { out.append(ch) }
        return out
    }
}
