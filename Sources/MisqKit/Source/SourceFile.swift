/// A piece of source text with a name: a query file, the `-e` argument, a
/// REPL line, or a CSV file when a data error points into it.
public struct SourceFile: Sendable {
    public let name: String
    public let text: String
    /// UTF-8 bytes of `text`; offsets everywhere are byte offsets into these.
    public let bytes: [UInt8]
    /// Byte offset at which each line starts.
    let lineStarts: [Int]

    /// Lines before this text in the real file, for an excerpt of a large
    /// CSV: a data error shows one line but must name its true line number.
    public let lineOffset: Int

    public init(name: String, text: String, lineOffset: Int = 0) {
        self.name = name
        self.lineOffset = lineOffset
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        // An index loop over the buffer: a megabyte of junk given as a script
        // is read in milliseconds, even in a debug build.
        bytes.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i] == UInt8(ascii: "\n") { starts.append(i + 1) }
        }
        self.lineStarts = starts
    }

    /// 1-based line number of a byte offset.
    public func line(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// 1-based column, counted in characters, of a byte offset.
    public func column(of offset: Int) -> Int {
        let line = line(of: offset)
        let start = lineStarts[line - 1]
        let clamped = max(start, min(offset, bytes.count))
        return String(decoding: bytes[start..<clamped], as: UTF8.self).count + 1
    }

    public func location(_ span: SourceSpan) -> SourceLocation {
        SourceLocation(file: name, line: line(of: span.start) + lineOffset, column: column(of: span.start))
    }

    public func text(_ span: SourceSpan) -> String {
        let s = max(0, min(span.start, bytes.count)), e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// A half-open byte range in a source file.
public struct SourceSpan: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) { self.start = start; self.end = max(start, end) }
    public static let none = SourceSpan(0, 0)
    public func to(_ other: SourceSpan) -> SourceSpan { SourceSpan(min(start, other.start), max(end, other.end)) }
}

public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}
