/// A PostgreSQL database named by a URL, `postgres://user:password@host:port/db`
/// (or `postgresql://`), as libpq reads it; and the same address as misq may
/// show it: with the password, and any `password=` or `sslpassword=` in its
/// query, removed. Only `shown` ever goes into a message, a note or an
/// error; the URL itself is handed to libpq and nowhere else.
public struct PostgresAddress: Sendable {
    /// The URL as given, password and all: for libpq only.
    let url: String
    /// The address without its secrets, for messages.
    public let shown: String
    /// The secrets the URL holds, percent-decoded and as written, so that a
    /// message from libpq or the server can be checked for them.
    let secrets: [String]

    public static let schemes = ["postgres://", "postgresql://"]

    /// Whether `text` names a PostgreSQL database (by its scheme), so a caller
    /// can route it here without reading the rest.
    public static func isPostgres(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0) }
    }

    public init(_ text: String) throws {
        guard let scheme = Self.schemes.first(where: { text.lowercased().hasPrefix($0) }) else {
            throw MisqError(.usage, "a PostgreSQL database is named by a URL that starts postgres:// (the address given is not repeated here: it may hold a password)",
                            suggestion: "postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let rest = text.dropFirst(scheme.count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var tail = rest[authorityEnd...]
        var secrets: [String] = []
        // user:password@host — the last @ ends the user part (a password may hold an @ unencoded).
        if let at = authority.lastIndex(of: "@") {
            let user = authority[..<at]
            if let colon = user.firstIndex(of: ":") {
                let password = String(user[user.index(after: colon)...])
                secrets.append(password)
                authority = user[..<colon] + authority[at...]
            }
        }
        // ?…&password=…: libpq takes any connection keyword there.
        var fragment = ""
        if let hash = tail.firstIndex(of: "#") {
            fragment = String(tail[hash...])
            tail = tail[..<hash]
        }
        if let q = tail.firstIndex(of: "?") {
            let path = tail[..<q]
            var kept: [Substring] = []
            for pair in tail[tail.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false) {
                let key = (pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "")
                let decodedKey = (key.removingPercentEncoding ?? key).lowercased()
                if decodedKey.contains("password") {
                    if let eq = pair.firstIndex(of: "=") { secrets.append(String(pair[pair.index(after: eq)...])) }
                } else {
                    kept.append(pair)
                }
            }
            tail = path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        self.url = text
        self.shown = String(text.prefix(scheme.count)) + authority + tail + (fragment.isEmpty ? "" : "#…")
        self.secrets = secrets.flatMap { [$0, $0.removingPercentEncoding ?? $0] }.filter { !$0.isEmpty }
    }

    /// A message from libpq or the server with any secret of this address
    /// blotted out. libpq does not repeat a password; this is so that no
    /// future message can. A secret shorter than four characters would
    /// blot out ordinary words, so it is left: such a password is not one.
    func scrub(_ message: String) -> String {
        // The URL itself first, as the address it is.
        var out = message.replacingOccurrences(of: url, with: shown)
        for s in secrets where s.count >= 4 { out = out.replacingOccurrences(of: s, with: "…") }
        return out
    }
}
