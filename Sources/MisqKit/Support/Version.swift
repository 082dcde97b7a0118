/// misq's version, as a report's header states it (there is no release
/// yet: the development line of the first).
public enum MisqVersion {
    public static let text = "0.1.0-dev"
}
