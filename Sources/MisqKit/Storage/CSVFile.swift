import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file's bytes and an index of its rows. Building the index checks
/// every row (field count, quoting), so a file either loads with rows
/// loaded equal to data rows, or fails naming the first bad line. Fields are
/// not parsed here: a column is parsed only when a query needs it.
///
/// The index is a list of chunks (where each starts, its first row, how
/// many rows), not an offset per row: 40 bytes per few megabytes instead of
/// 8 bytes per row. A row is found by parsing forward from its chunk.
public final class CSVFile: @unchecked Sendable {
    public let path: String
    let file: FileBytes
    public let header: [String]
    /// What naming the columns changed from the header line as written (an
    /// unnamed field, a name used twice, spaces around a name), one
    /// sentence each, for `describe`.
    public let headerNotes: [String]
    let separator: UInt8
    let dataStart: Int
    private var index: [Chunk]?
    /// Each row's start within its chunk, kept by a pass asked to
    /// (`keepRowStarts`): 4 bytes a row, for a later pass over some rows.
    private var rowStarts: [[UInt32]]?
    private let lock = NSLock()
    /// Bytes per chunk of the first pass; nil chooses by file size and
    /// cores. Tests and the fuzzer set it small so chunk boundaries fall
    /// everywhere, including inside quoted fields.
    let chunkBytes: Int?
    /// Parse every row with the exact byte-level path, never the fast one
    /// for plain rows: the fuzzer compares the two.
    package var exactRowsOnly = false
    /// Bytes the fast path indexes at a time; tests and the fuzzer set it
    /// small so rows cross windows and outgrow them.
    package var windowBytes = StructuralWindow.defaultBytes

    /// The longest header line and the longest row (a record, with any
    /// line feeds inside its quoted fields) misq reads: past them a file is
    /// an error where the line starts, so a file with no line feed costs
    /// a bounded read, not its size in memory. Tests lower them.
    nonisolated(unsafe) static var headerLimit = 1 << 20
    nonisolated(unsafe) static var rowLimit = RowScanner.defaultRowLimit
    /// The largest script or data package misq reads.
    nonisolated(unsafe) static var scriptLimit = 64 << 20

    struct Chunk {
        var start: Int
        var firstRow: Int
        var rows: Int
    }

    var bytes: UnsafeBufferPointer<UInt8> { file.buffer }

    /// Bytes in memory, indexed (and so checked) at once.
    public convenience init(path: String, bytes: [UInt8], separator: UInt8 = UInt8(ascii: ","), chunkBytes: Int? = nil) throws {
        try self.init(path: path, file: FileBytes(copying: bytes), separator: separator, chunkBytes: chunkBytes)
        _ = try chunks()
    }

    /// The file on disk, memory-mapped. Only the header is read here: the
    /// rows are checked and indexed by the first pass over them, which also
    /// parses the columns the first query needs.
    public convenience init(path: String) throws {
        try self.init(path: path, file: FileBytes(path: path, nulScan: CSVFile.headerNulScan))
    }

    package init(path: String, file: FileBytes, separator: UInt8 = UInt8(ascii: ","), chunkBytes: Int? = nil) throws {
        self.path = path
        self.file = file
        self.separator = separator
        self.chunkBytes = chunkBytes.map { max(1, $0) }
        let bytes = file.buffer
        var start = 0
        // UTF-8 byte-order marks; some tools add a second one when re-saving,
        // which would otherwise hide inside the first column's name.
        while bytes.count >= start + 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { start += 3 }
        guard start < bytes.count, let base = bytes.baseAddress else {
            throw CSVFile.error(path: path, bytes: bytes, at: start,
                                file.isStream ? "nothing came from this pipe or device: a CSV needs a header line" : "the file is empty: a CSV needs a header line",
                                expected: "a header line naming the columns")
        }
        // A NUL byte means UTF-16 or a binary file, not a text CSV: say so
        // rather than load invisible characters. The first megabyte here (it
        // holds the header, and a UTF-16 or binary file has NULs all
        // through); after it, in the values of each column as it is coded
        // (`ColumnBuilder.typed`), rather than in another pass over the file.
        if let nul = memchr(base, 0, min(bytes.count, CSVFile.headerNulScan)) {
            // A file truncated while this scan reads it shows zero pages
            // past its new end (mapguard.c): that is a change, not a NUL.
            if file.changed { throw CSVFile.changedError(path) }
            throw CSVFile.nulError(path: path, bytes: bytes, at: UnsafeRawPointer(nul) - UnsafeRawPointer(base))
        }
        let read: ([String], [String], Int)
        do { read = try CSVFile.readHeader(path: path, bytes: bytes, from: start, separator: separator) } catch {
            if file.changed { throw CSVFile.changedError(path) }
            throw error
        }
        let (header, notes, dataStart) = read
        self.header = header
        self.headerNotes = notes
        self.dataStart = dataStart
        try checkUnchanged()
    }

    /// Rows loaded, which always equals data rows in the file.
    public var rowCount: Int {
        get throws { try chunks().last.map { $0.firstRow + $0.rows } ?? 0 }
    }

    /// The row index, built by a pass over the rows if no pass has run.
    func chunks() throws -> [Chunk] {
        try scan(columns: []).chunks
    }

    /// One pass over the rows coding the fields `columns` (distinct). The
    /// first pass also checks the rows and builds the index.
    func scan(columns: [Int], keepRowStarts: Bool = false) throws -> (chunks: [Chunk], parts: [ChunkScan.Part]) {
        lock.lock(); defer { lock.unlock() }
        guard let scanner = scanner else { return ([Chunk(start: 0, firstRow: 0, rows: 0)], [ChunkScan.Part()]) }
        // Nothing is parsed from a mapping of a file that has changed: a
        // later query's column would not be from the same file as the
        // earlier ones.
        try checkUnchanged()
        var scan = ChunkScan(scanner, columns: columns)
        scan.windowBytes = windowBytes
        scan.keepsRowStarts = keepRowStarts && rowStarts == nil
        if let known = index {
            if columns.isEmpty && !scan.keepsRowStarts { return (known, []) }
            var parts = scan.again(known, file: file)
            try checkUnchanged(known, parts)
            keepStarts(&parts, scan)
            return (known, parts)
        }
        var parts = scan.first(from: dataStart, file: file, chunkBytes: chunkBytes)
        try checkUnchanged()
        if let bad = parts.last, let f = bad.failure {
            throw CSVFile.rowError(f, path: path, bytes: bytes, fields: header.count, separator: separator)
        }
        var chunks: [Chunk] = []
        chunks.reserveCapacity(parts.count)
        var rows = 0
        for part in parts {
            chunks.append(Chunk(start: part.start, firstRow: rows, rows: part.rows))
            rows += part.rows
        }
        index = chunks
        keepStarts(&parts, scan)
        return (chunks, parts)
    }

    /// Moves the parts' row starts into `rowStarts` when the scan kept them.
    private func keepStarts(_ parts: inout [ChunkScan.Part], _ scan: ChunkScan) {
        guard scan.keepsRowStarts else { return }
        rowStarts = parts.map(\.starts)
        for k in parts.indices { parts[k].starts = [] }
    }

    /// The fields `columns` of the rows `selection` holds, every other row
    /// empty; nil unless a pass kept the row starts (`keepRowStarts`).
    func scan(columns: [Int], selection: Bitmap) throws -> (chunks: [Chunk], parts: [ChunkScan.Part])? {
        lock.lock(); defer { lock.unlock() }
        guard let scanner = scanner, let known = index, let starts = rowStarts,
              known.last.map({ $0.firstRow + $0.rows }) == selection.count else { return nil }
        try checkUnchanged()
        let parts = ChunkScan(scanner, columns: columns).selected(known, starts: starts, selection, file: file)
        try checkUnchanged(known, parts)
        return (known, parts)
    }

    /// A later pass finds the rows the first one indexed: the first pass
    /// checked every row, so a difference means the file changed under the
    /// mapping.
    private func checkUnchanged(_ known: [Chunk], _ parts: [ChunkScan.Part]) throws {
        try checkUnchanged()
        guard zip(known, parts).allSatisfy({ $0.rows == $1.rows && $1.failure == nil }) else { throw changedError }
    }

    /// Throws if the file changed on disk since it was mapped (see
    /// `FileBytes.changed`).
    func checkUnchanged() throws {
        if file.changed { throw changedError }
    }

    var changedError: MisqError { CSVFile.changedError(path) }

    static func changedError(_ path: String) -> MisqError {
        MisqError(.data, "\(path) changed while it was being read", suggestion: "run the query again once nothing is writing to it")
    }

    /// A whole script or package file, through the C library: one
    /// allocation, no copy. A pipe, a terminal or a device (`misq run
    /// /dev/stdin`, `misq test <(…)`) is read as a stream to its end.
    public static func read(_ path: String) throws -> [UInt8] {
        let opened = try FileBytes.openFile(path)
        defer { close(opened.descriptor) }
        guard opened.regular, opened.size > 0 else {
            let bytes = try FileBytes.readStream(opened.descriptor, path: path, limit: scriptLimit)
            // A pipe with no writer, or a device with nothing to give, is
            // not an empty script: it is the same error as for `--data`.
            if bytes.isEmpty, !opened.regular {
                throw MisqError(.io, "nothing came from this pipe or device: a script needs statements",
                                source: SourceFile(name: path, text: ""), span: .none,
                                suggestion: "is something writing to it? misq waits \(FileBytes.pipeWait / 1000) s for a writer")
            }
            return bytes
        }
        guard opened.size <= scriptLimit else {
            throw MisqError(.io, "'\(path)' is \(NumberFormat.grouped(Double(opened.size), decimals: 0)) bytes: misq reads scripts of at most \(ByteLimit.text(scriptLimit))",
                            suggestion: "is it the file you meant?")
        }
        return try FileBytes.readAll(opened.descriptor, size: opened.size, path: path)
    }

    /// Standard input to its end, as a script: at most `scriptLimit` bytes.
    public static func readStandardInput() throws -> [UInt8] {
        try FileBytes.readStream(STDIN_FILENO, path: "<stdin>", limit: scriptLimit)
    }

    // MARK: header

    static func readHeader(path: String, bytes all: UnsafeBufferPointer<UInt8>, from start: Int, separator: UInt8) throws -> ([String], [String], Int) {
        var fields: [String] = []
        var untrimmed: [String] = []
        var spans: [(Int, Int)] = []
        // The header is read no further than its limit; reaching it
        // without the header's line feed is an error.
        let bytes = UnsafeBufferPointer(rebasing: all[0..<min(all.count, start + headerLimit)])
        func tooLong() -> MisqError {
            error(path: path, bytes: all, at: start, "the header line is longer than \(ByteLimit.text(headerLimit))",
                  expected: "a header line naming the columns, ending in a line feed",
                  suggestion: "is this a CSV file? A file with no line feed, or one quote left open, reads as one long line")
        }
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
                if !closed {
                    if bytes.count < all.count { throw tooLong() }
                    throw error(path: path, bytes: bytes, at: fieldStart, "unterminated quote in the header", expected: "a closing '\"'")
                }
                continue
            }
            if i >= bytes.count, bytes.count < all.count { throw tooLong() }
            if i >= bytes.count || bytes[i] == separator || bytes[i] == UInt8(ascii: "\n") {
                var f = cur
                if f.last == UInt8(ascii: "\r") { f.removeLast() }
                let raw = String(decoding: f, as: UTF8.self)
                untrimmed.append(raw)
                fields.append(raw.trimming(.spacesAndTabs))
                spans.append((fieldStart, i))
                cur = []
                if i >= bytes.count || bytes[i] == UInt8(ascii: "\n") { i = min(i + 1, bytes.count); break }
                i += 1; fieldStart = i
                continue
            }
            cur.append(bytes[i]); i += 1
        }
        if fields.count == 1, fields[0].isEmpty {
            throw error(path: path, bytes: bytes, at: spans[0].0, "the header line is blank",
                        expected: "a header line naming the columns", suggestion: "put the column names on the first line")
        }
        let (names, notes) = columnNames(fields, untrimmed: untrimmed)
        return (names, notes, i)
    }

    /// Distinct names for the header's fields, and a note for each name
    /// misq gave or changed. Spreadsheet exports leave a trailing column
    /// unnamed and repeat names (two `Date` columns); such a file loads,
    /// each column is named as written where it can be, and `describe`
    /// says what was named how. A name is kept by its first field; an
    /// unnamed field N is `columnN`, a repeated name gets `_2`, `_3`…
    /// (names compare without case, as column names are looked up).
    /// `sheet`: a spreadsheet table's, whose notes call a field by its
    /// sheet column ("column C") and header row(s) ("header row 3").
    static func columnNames(_ fields: [String], untrimmed: [String], sheet: (letters: (Int) -> String, rows: String)? = nil) -> ([String], [String]) {
        func field(_ k: Int) -> String { sheet.map { "column \($0.letters(k))" } ?? "field \(k + 1)" }
        let header = sheet.map { "header \($0.rows)" } ?? "header"
        var names = [String](repeating: "", count: fields.count)
        var taken: [String: Int] = [:]
        // Each name's first field, and the next suffix to try for it: a
        // header repeating one name thousands of times (an ODS cell
        // repeated 16,384 times is a 1 KB file) is named in one pass,
        // where trying _2, _3… from the start for each was quadratic.
        var first: [String: Int] = [:]
        var nextSuffix: [String: Int] = [:]
        for (k, name) in fields.enumerated() {
            let key = name.lowercased()
            if first[key] == nil { first[key] = k }
            if !name.isEmpty && taken[key] == nil {
                names[k] = name
                taken[key] = k
            }
        }
        var repeats: [String: [Int]] = [:]
        for (k, name) in fields.enumerated() where names[k].isEmpty {
            let base = name.isEmpty ? "column\(k + 1)" : name
            let baseKey = base.lowercased()
            func named(_ n: Int) -> String { n == 1 ? base : "\(base)_\(n)" }
            var n = nextSuffix[baseKey] ?? (name.isEmpty ? 1 : 2)
            var candidate = named(n)
            while taken[candidate.lowercased()] != nil { n += 1; candidate = named(n) }
            nextSuffix[baseKey] = n + 1
            names[k] = candidate
            taken[candidate.lowercased()] = k
            if !name.isEmpty { repeats[name.lowercased(), default: []].append(k) }
        }
        // A note per renamed field, except that a name repeated many times
        // gets one note saying how many, not thousands of lines.
        var notes: [String] = []
        for (k, name) in fields.enumerated() {
            if names[k] == name {
                if untrimmed[k] != name { notes.append("\(field(k))'s name '\(untrimmed[k])' has spaces around it: it is called '\(name)'") }
                continue
            }
            if name.isEmpty { notes.append("\(field(k)) has no name in the \(header): it is called '\(names[k])'"); continue }
            let firstField = first[name.lowercased()] ?? k
            let again = repeats[name.lowercased()] ?? [k]
            if again.count > 3, let last = again.last {
                guard again.first == k else { continue }
                let count = { (n: Int) in NumberFormat.grouped(Double(n), decimals: 0) }
                let span = sheet.map { "\($0.letters(firstField)) … \($0.letters(last))" } ?? "\(firstField + 1) … \(last + 1)"
                let kept = sheet.map { "column \($0.letters(firstField))" } ?? "field \(firstField + 1)"
                notes.append("'\(name)' names \(count(again.count + 1)) \(sheet == nil ? "fields" : "columns") (\(span)) in the \(header): the \(count(again.count)) after \(kept) are called '\(names[k])' … '\(names[last])'")
                continue
            }
            let both = sheet.map { "columns \($0.letters(firstField)) and \($0.letters(k))" } ?? "fields \(firstField + 1) and \(k + 1)"
            notes.append("'\(name)' names \(both) in the \(header): \(field(k)) is called '\(names[k])'")
        }
        return (names, notes)
    }

    static let headerNulScan = 1 << 20

    static func nulError(path: String, bytes: UnsafeBufferPointer<UInt8>, at: Int) -> MisqError {
        error(path: path, bytes: bytes, at: at, "the file holds a NUL byte (0x00): it is not a UTF-8 text CSV",
              expected: "UTF-8 text", suggestion: "save it as CSV UTF-8; UTF-16 exports hold a NUL in every other byte")
    }

    // MARK: rows

    static func rowError(_ f: RowScanner.Failure, path: String, bytes: UnsafeBufferPointer<UInt8>, fields expected: Int, separator: UInt8) -> MisqError {
        switch f {
        case .blankLine(let at):
            return error(path: path, bytes: bytes, at: at, "line is blank in the middle of the data",
                         expected: "\(expected) fields as in the header",
                         suggestion: "remove the blank line, or fill it; misq never skips a row silently")
        case .tooManyFields(let at):
            return error(path: path, bytes: bytes, at: at, "line has more than the \(expected) fields of the header",
                         expected: "\(expected) fields", suggestion: "quote fields that contain '\(Character(UnicodeScalar(separator)))'")
        case .fieldCount(let count, let at):
            return error(path: path, bytes: bytes, at: at, "line has \(count) field\(count == 1 ? "" : "s"), the header has \(expected)",
                         expected: "\(expected) fields", suggestion: "add the missing fields (empty is fine: ',,'), or quote fields that contain ','")
        case .unterminatedQuote(let at, let field):
            return error(path: path, bytes: bytes, at: at, "unterminated quoted field (field \(field))",
                         expected: "a closing '\"' before the end of the file",
                         suggestion: "a quote inside a quoted field is written twice: \"\"")
        case .textAfterQuote(let at, let field):
            return error(path: path, bytes: bytes, at: at, "text after the closing quote of field \(field)",
                         expected: "',' or the end of the line after a closing quote",
                         suggestion: "quote the whole field, and double any quote inside it")
        case .rowTooLong(let at):
            return error(path: path, bytes: bytes, at: at, "line is longer than \(ByteLimit.text(rowLimit)) (with any line feeds in its quoted fields)",
                         expected: "rows of at most \(ByteLimit.text(rowLimit))",
                         suggestion: "is a quote left open above? A quoted field runs on to the next '\"', across lines")
        case .gaveUp:
            return MisqError(.data, "\(path) could not be read", suggestion: "report this: a checked parse gave up")
        }
    }

    var scanner: RowScanner? {
        bytes.baseAddress.map { RowScanner($0, count: bytes.count, fields: header.count, separator: separator, fastPlainRows: !exactRowsOnly,
                                           rowLimit: CSVFile.rowLimit) }
    }

    /// Where row `row` starts.
    func rowStart(_ row: Int) -> Int {
        guard let scanner = scanner, let chunks = try? self.chunks(), let last = chunks.last,
              row >= 0, row < last.firstRow + last.rows else { return bytes.count }
        // The last chunk starting at or before the row; empty chunks share
        // their successor's first row, so this one holds it.
        var lo = 0, hi = chunks.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if chunks[mid].firstRow <= row { lo = mid } else { hi = mid - 1 }
        }
        var i = chunks[lo].start
        for _ in chunks[lo].firstRow..<row {
            guard case .row(let next) = scanner.row(at: i, wanted: nil, spans: nil) else { return i }
            i = next
        }
        return i
    }

    /// A data error pointing into the CSV: names the file, its true line
    /// number and column, and shows the line with a caret.
    static func error(path: String, bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ message: String,
                      expected: String? = nil, suggestion: String? = nil, width: Int = 1) -> MisqError {
        let at = max(0, min(offset, bytes.count))
        var lineStart = at
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        // Only 200 bytes either side are shown: the end of a line with no
        // line feed is not looked for through the rest of the file.
        var lineEnd = at
        let lookEnd = min(bytes.count, at + 201)
        while lineEnd < lookEnd, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var line = 1
        if let base = bytes.baseAddress {
            var k = 0
            while k < lineStart, let q = memchr(base + k, 0x0A, lineStart - k) {
                line += 1
                k = UnsafeRawPointer(q) - UnsafeRawPointer(base) + 1
            }
        }
        // Keep the excerpt readable for a 10 MB line: at most 200 bytes either side.
        let from = max(lineStart, at - 200), to = min(lineEnd, at + 200)
        let excerpt = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
        let src = SourceFile(name: path, text: excerpt, lineOffset: line - 1)
        let rel = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<at]), as: UTF8.self).utf8.count
        return MisqError(.data, message, source: src, span: SourceSpan(rel, rel + width), expected: expected, suggestion: suggestion)
    }

    // MARK: fields

    /// Where field `column` of row `row` lies.
    func span(row: Int, column: Int) -> FieldSpan {
        guard let scanner = scanner, column >= 0, column < header.count else { return FieldSpan() }
        let start = rowStart(row)
        var wanted = [Int32](repeating: -1, count: header.count)
        wanted[column] = 0
        var span = FieldSpan(start: start, end: start)
        _ = scanner.row(at: start, wanted: wanted, spans: &span)
        return span
    }

    /// Text of one field, for `show` and error messages.
    public func text(row: Int, column: Int) -> String {
        let s = span(row: row, column: column)
        let raw = Array(UnsafeBufferPointer(rebasing: bytes[s.start..<s.end]))
        return String(decoding: s.quoted ? CSVFile.unescape(raw) : raw, as: UTF8.self)
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

    /// The NUL byte in a field's value (`ColumnBuilder.typed` finds one in
    /// a label), pointed at where it is.
    func nulError(row: Int, column: Int) -> MisqError {
        if file.changed { return changedError }
        let s = span(row: row, column: column)
        let at = bytes.baseAddress.flatMap { base in memchr(base + s.start, 0, s.end - s.start).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } }
        return CSVFile.nulError(path: path, bytes: bytes, at: at ?? s.start)
    }

    /// An error at a given row and column, for values that do not fit the
    /// column's type.
    func fieldError(row: Int, column: Int, _ message: String, expected: String?, suggestion: String?) -> MisqError {
        if file.changed { return changedError }
        let s = span(row: row, column: column)
        let width = max(1, String(decoding: UnsafeBufferPointer(rebasing: bytes[s.start..<s.end]), as: UTF8.self).count)
        return CSVFile.error(path: path, bytes: bytes, at: s.start, message, expected: expected, suggestion: suggestion, width: width)
    }
}
