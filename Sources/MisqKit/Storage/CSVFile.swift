import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file's bytes and an index of where each row starts. Building the
/// index checks every row (field count, quoting), so a file either loads
/// with rows loaded equal to data rows, or fails naming the first bad line.
/// Fields are not parsed here: a column is parsed only when a query needs it.
public final class CSVFile: @unchecked Sendable {
    public let path: String
    public let bytes: [UInt8]
    public let header: [String]
    /// Byte offset of each data row, plus one past the last row's end.
    public let rowStarts: [Int]
    public var rowCount: Int { rowStarts.count - 1 }
    let separator: UInt8

    public init(path: String, bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) throws {
        self.path = path
        self.bytes = bytes
        self.separator = separator
        var start = 0
        // UTF-8 byte-order marks; some tools add a second one when re-saving,
        // which would otherwise hide inside the first column's name.
        while bytes.count >= start + 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { start += 3 }
        guard start < bytes.count else {
            throw CSVFile.error(path: path, bytes: bytes, at: start, "the file is empty: a CSV needs a header line",
                                expected: "a header line naming the columns")
        }
        // A NUL byte means UTF-16 or a binary file, not a text CSV: say so
        // rather than load invisible characters.
        if let nul = bytes.withUnsafeBufferPointer({ b in b.firstIndex(of: 0) }) {
            throw CSVFile.error(path: path, bytes: bytes, at: nul, "the file holds a NUL byte (0x00): it is not a UTF-8 text CSV",
                                expected: "UTF-8 text", suggestion: "save it as CSV UTF-8; UTF-16 exports hold a NUL in every other byte")
        }
        let (header, dataStart) = try CSVFile.readHeader(path: path, bytes: bytes, from: start, separator: separator)
        self.header = header
        self.rowStarts = try CSVFile.indexRows(path: path, bytes: bytes, from: dataStart, fields: header.count, separator: separator)
    }

    public convenience init(path: String) throws {
        try self.init(path: path, bytes: CSVFile.read(path))
    }

    /// Whole-file read through the C library: one allocation, no copy.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw MisqError(.io, "cannot open '\(path)': \(String(cString: strerror(errno)))",
                            suggestion: "check the path; paths are relative to the current folder")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MisqError(.io, "cannot read '\(path)'") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw MisqError(.io, "'\(path)' is a folder, not a CSV file") }
        let size = Int(st.st_size)
        var failed = false
        let data = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            var got = 0
            while got < size {
                let n = Glibc.read(fd, buf.baseAddress! + got, size - got)  // safe: capacity is size > got
                if n <= 0 { if n < 0 { failed = true }; break }
                got += n
            }
            initialized = got
        }
        if failed { throw MisqError(.io, "error reading '\(path)': \(String(cString: strerror(errno)))") }
        return data
    }

    // MARK: header

    static func readHeader(path: String, bytes: [UInt8], from start: Int, separator: UInt8) throws -> ([String], Int) {
        var fields: [String] = []
        var spans: [(Int, Int)] = []
        var i = start
        var cur: [UInt8] = []
        var fieldStart = i
        while true {
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") , cur.isEmpty, i == fieldStart {
                i += 1
                var closed = false
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "\"") {
                        if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { cur.append(34); i += 2; continue }
                        i += 1; closed = true; break
                    }
                    cur.append(bytes[i]); i += 1
                }
                if !closed { throw error(path: path, bytes: bytes, at: fieldStart, "unterminated quote in the header", expected: "a closing '\"'") }
                continue
            }
            if i >= bytes.count || bytes[i] == separator || bytes[i] == UInt8(ascii: "\n") {
                var f = cur
                if f.last == UInt8(ascii: "\r") { f.removeLast() }
                let name = String(decoding: f, as: UTF8.self).trimmingCharacters(in: .spacesAndTabs)
                fields.append(name)
                spans.append((fieldStart, i))
                cur = []
                if i >= bytes.count || bytes[i] == UInt8(ascii: "\n") { i = min(i + 1, bytes.count); break }
                i += 1; fieldStart = i
                continue
            }
            cur.append(bytes[i]); i += 1
        }
        var seen: [String: Int] = [:]
        for (k, name) in fields.enumerated() {
            if name.isEmpty {
                throw error(path: path, bytes: bytes, at: spans[k].0, "header field \(k + 1) has no name",
                            expected: "a column name", suggestion: "name every column in the header line")
            }
            if let first = seen[name.lowercased()] {
                throw error(path: path, bytes: bytes, at: spans[k].0, "column '\(name)' is named twice in the header (fields \(first + 1) and \(k + 1))",
                            expected: "unique column names", suggestion: "rename one of them")
            }
            seen[name.lowercased()] = k
        }
        return (fields, i)
    }

    // MARK: rows

    static func indexRows(path: String, bytes: [UInt8], from dataStart: Int, fields expected: Int, separator: UInt8) throws -> [Int] {
        var starts: [Int] = []
        starts.reserveCapacity(bytes.count / 64 + 1)
        let n = bytes.count
        var failure: MisqError?
        bytes.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            var i = dataStart
            while i < n {
                let rowStart = i
                // Blank line: not a row at the end of the file, an error elsewhere.
                var j = i
                while j < n, p[j] == UInt8(ascii: "\r") || p[j] == UInt8(ascii: " ") || p[j] == UInt8(ascii: "\t") { j += 1 }
                if j >= n || p[j] == UInt8(ascii: "\n") {
                    var k = j
                    while k < n, p[k] == UInt8(ascii: "\n") || p[k] == UInt8(ascii: "\r") || p[k] == UInt8(ascii: " ") || p[k] == UInt8(ascii: "\t") { k += 1 }
                    if k >= n { i = n; break }
                    if expected > 1 {
                        failure = error(path: path, bytes: bytes, at: rowStart, "line is blank in the middle of the data",
                                        expected: "\(expected) fields as in the header",
                                        suggestion: "remove the blank line, or fill it; misq never skips a row silently")
                        return
                    }
                }
                var count = 1
                var atFieldStart = true
                while i < n {
                    let c = p[i]
                    if c == UInt8(ascii: "\"") && atFieldStart {
                        let quoteAt = i
                        i += 1
                        var closed = false
                        while i < n {
                            if p[i] == UInt8(ascii: "\"") {
                                if i + 1 < n, p[i + 1] == UInt8(ascii: "\"") { i += 2; continue }
                                closed = true; i += 1; break
                            }
                            i += 1
                        }
                        if !closed {
                            failure = error(path: path, bytes: bytes, at: quoteAt, "unterminated quoted field (field \(count))",
                                            expected: "a closing '\"' before the end of the file",
                                            suggestion: "a quote inside a quoted field is written twice: \"\"")
                            return
                        }
                        // After a closing quote only a separator or line end may follow.
                        var k = i
                        while k < n, p[k] == UInt8(ascii: " ") || p[k] == UInt8(ascii: "\t") { k += 1 }
                        if k < n, p[k] != separator, p[k] != UInt8(ascii: "\n"), !(p[k] == UInt8(ascii: "\r") && (k + 1 >= n || p[k + 1] == UInt8(ascii: "\n"))) {
                            failure = error(path: path, bytes: bytes, at: k, "text after the closing quote of field \(count)",
                                            expected: "',' or the end of the line after a closing quote",
                                            suggestion: "quote the whole field, and double any quote inside it")
                            return
                        }
                        i = k
                        atFieldStart = false
                        continue
                    }
                    if c == separator {
                        count += 1; atFieldStart = true; i += 1
                        if count > expected {
                            failure = error(path: path, bytes: bytes, at: i - 1, "line has more than the \(expected) fields of the header",
                                            expected: "\(expected) fields", suggestion: "quote fields that contain '\(Character(UnicodeScalar(separator)))'")
                            return
                        }
                        continue
                    }
                    if c == UInt8(ascii: "\n") { break }
                    if atFieldStart, c != UInt8(ascii: " "), c != UInt8(ascii: "\t") { atFieldStart = false }
                    i += 1
                }
                if count != expected {
                    var end = i
                    if end > rowStart, p[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    failure = error(path: path, bytes: bytes, at: end, "line has \(count) field\(count == 1 ? "" : "s"), the header has \(expected)",
                                    expected: "\(expected) fields", suggestion: "add the missing fields (empty is fine: ',,'), or quote fields that contain ','")
                    return
                }
                starts.append(rowStart)
                if i < n { i += 1 }  // past the newline
            }
            starts.append(min(i, n))
        }
        if let f = failure { throw f }
        if starts.isEmpty { starts = [n] }
        return starts
    }

    /// A data error pointing into the CSV: names the file, its true line
    /// number and column, and shows the line with a caret.
    static func error(path: String, bytes: [UInt8], at offset: Int, _ message: String,
                      expected: String? = nil, suggestion: String? = nil, width: Int = 1) -> MisqError {
        let at = max(0, min(offset, bytes.count))
        var lineStart = at
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = at
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var line = 1
        for k in 0..<lineStart where bytes[k] == UInt8(ascii: "\n") { line += 1 }
        // Keep the excerpt readable for a 10 MB line: at most 200 bytes either side.
        let from = max(lineStart, at - 200), to = min(lineEnd, at + 200)
        let excerpt = String(decoding: bytes[from..<to], as: UTF8.self)
        let src = SourceFile(name: path, text: excerpt, lineOffset: line - 1)
        let rel = String(decoding: bytes[from..<at], as: UTF8.self).utf8.count
        return MisqError(.data, message, source: src, span: SourceSpan(rel, rel + width), expected: expected, suggestion: suggestion)
    }

    // MARK: fields

    /// The byte range of field `column` in row `row`, trimmed of spaces and
    /// the line end, and whether it was quoted (so may hold `""`).
    @inline(__always)
    static func field(_ p: UnsafePointer<UInt8>, rowStart: Int, rowEnd: Int, column: Int, separator: UInt8) -> (Int, Int, Bool) {
        var i = rowStart
        var col = 0
        while true {
            var s = i
            while s < rowEnd, p[s] == UInt8(ascii: " ") || p[s] == UInt8(ascii: "\t") { s += 1 }
            if s < rowEnd, p[s] == UInt8(ascii: "\"") {
                var k = s + 1
                while k < rowEnd {
                    if p[k] == UInt8(ascii: "\"") {
                        if k + 1 < rowEnd, p[k + 1] == UInt8(ascii: "\"") { k += 2; continue }
                        break
                    }
                    k += 1
                }
                let closeAt = k
                var e = min(k + 1, rowEnd)
                while e < rowEnd, p[e] != separator, p[e] != UInt8(ascii: "\n") { e += 1 }
                if col == column { return (s + 1, closeAt, true) }
                i = e + 1; col += 1
                continue
            }
            var e = s
            while e < rowEnd, p[e] != separator, p[e] != UInt8(ascii: "\n") { e += 1 }
            if col == column {
                var t = e
                while t > s, p[t - 1] == UInt8(ascii: " ") || p[t - 1] == UInt8(ascii: "\t") || p[t - 1] == UInt8(ascii: "\r") { t -= 1 }
                return (s, t, false)
            }
            i = e + 1; col += 1
            if i > rowEnd { return (rowEnd, rowEnd, false) }
        }
    }

    /// Text of one field, for `show` and error messages.
    public func text(row: Int, column: Int) -> String {
        bytes.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return "" }
            let (s, e, quoted) = CSVFile.field(p, rowStart: rowStarts[row], rowEnd: rowStarts[row + 1], column: column, separator: separator)
            let raw = Array(buf[s..<e])
            return String(decoding: quoted ? CSVFile.unescape(raw) : raw, as: UTF8.self)
        }
    }

    static func unescape(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            out.append(raw[k])
            if raw[k] == UInt8(ascii: "\""), k + 1 < raw.count, raw[k + 1] == UInt8(ascii: "\"") { k += 2 } else { k += 1 }
        }
        return out
    }

    /// An error at a given row and column, for values that do not fit the
    /// column's type.
    func fieldError(row: Int, column: Int, _ message: String, expected: String?, suggestion: String?) -> MisqError {
        bytes.withUnsafeBufferPointer { buf in
            let (s, e, _) = buf.baseAddress.map { CSVFile.field($0, rowStart: rowStarts[row], rowEnd: rowStarts[row + 1], column: column, separator: separator) } ?? (0, 0, false)
            let width = max(1, String(decoding: bytes[s..<e], as: UTF8.self).count)
            return CSVFile.error(path: path, bytes: bytes, at: s, message, expected: expected, suggestion: suggestion, width: width)
        }
    }
}
