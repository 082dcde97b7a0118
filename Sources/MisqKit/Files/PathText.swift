/// The folder part of a path, as written: "." for a bare name. Not
/// `NSString.deletingLastPathComponent`, which traps on a one-character
/// path in this Foundation (`misq run f`).
public enum PathText {
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}
