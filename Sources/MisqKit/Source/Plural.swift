/// "1 row", "2 rows": a count with its noun, singular for exactly one.
public enum Plural {
    /// A dataset's name as the owner of something: `workforce's`, and
    /// `allegations'` (not `allegations's`).
    public static func possessive(_ name: String) -> String {
        name.hasSuffix("s") || name.hasSuffix("S") ? name + "'" : name + "'s"
    }

    /// `count(1, "row")` → "1 row"; `count(29365, "row")` → "29,365 rows".
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(NumberFormat.count(n)) \(noun(n, singular, plural))"
    }

    /// The noun alone, for text that shows the number its own way.
    public static func noun(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        n == 1 ? singular : (plural ?? singular + "s")
    }
}
