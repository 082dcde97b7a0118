import Foundation

/// DuckDB's `-json` output read in order: one array of objects per query,
/// each object a row whose keys are the columns in the query's order.
/// Foundation's JSON reader forgets the keys' order and a repeated column
/// name, and refuses DuckDB's bare `NaN` and `Infinity`; this reads
/// exactly that output (and numbers as they are written, so a count is an
/// integer, not a double).
struct JSONRows {
    private let bytes: [UInt8]
    private var i = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    /// Every array in the text, in order.
    static func parse(_ data: Data) throws -> [DatabaseRows] {
        var p = JSONRows(data)
        var out: [DatabaseRows] = []
        p.space()
        while p.i < p.bytes.count {
            out.append(try p.array())
            p.space()
        }
        return out
    }

    mutating func space() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

    func fail(_ what: String) -> MisqError { MisqError(.io, "DuckDB's answer could not be read: \(what) at byte \(i)") }

    mutating func expect(_ c: UInt8) throws {
        space()
        guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
        i += 1
    }

    mutating func array() throws -> DatabaseRows {
        try expect(UInt8(ascii: "["))
        var columns: [String] = []
        var rows: [[DatabaseValue]] = []
        space()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return DatabaseRows(columns: [], rows: []) }
        while true {
            try expect(UInt8(ascii: "{"))
            var names: [String] = [], row: [DatabaseValue] = []
            space()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1 } else {
                while true {
                    space()
                    names.append(try string())
                    try expect(UInt8(ascii: ":"))
                    row.append(try value())
                    space()
                    guard i < bytes.count else { throw fail("unfinished row") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                    throw fail("expected ',' or '}'")
                }
            }
            if rows.isEmpty { columns = names }
            rows.append(row)
            space()
            guard i < bytes.count else { throw fail("unfinished array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw fail("expected ',' or ']'")
        }
        return DatabaseRows(columns: columns, rows: rows)
    }

    mutating func value() throws -> DatabaseValue {
        space()
        guard i < bytes.count else { throw fail("missing value") }
        switch bytes[i] {
        case UInt8(ascii: "\""): return .text(try string())
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "t"): try word("true"); return .boolean(true)
        case UInt8(ascii: "f"): try word("false"); return .boolean(false)
        case UInt8(ascii: "N"): try word("NaN"); return .real(.nan)
        case UInt8(ascii: "I"): try word("Infinity"); return .real(.infinity)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            // A list or struct (no column misq writes has one): kept as its JSON text.
            let start = i
            try skipNested()
            return .text(String(decoding: bytes[start..<i], as: UTF8.self))
        default:
            let start = i
            if bytes[i] == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "I") {
                i += 1; try word("Infinity"); return .real(-.infinity)
            }
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if !text.contains(where: { ".eE".contains($0) }), let n = Int64(text) { return .integer(n) }
            guard let d = Double(text) else { throw fail("'\(text)' is not a number") }
            return .real(d)
        }
    }

    mutating func word(_ w: String) throws {
        let u = Array(w.utf8)
        guard i + u.count <= bytes.count, Array(bytes[i..<(i + u.count)]) == u else { throw fail("expected \(w)") }
        i += u.count
    }

    mutating func skipNested() throws {
        var depth = 0
        repeat {
            guard i < bytes.count else { throw fail("unfinished list") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { _ = try string(); continue }
            if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
            if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { depth -= 1 }
            i += 1
        } while depth > 0
    }

    mutating func string() throws -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unfinished string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < bytes.count else { throw fail("unfinished escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else { throw fail("bad \\u escape") }
        i += 4
        return v
    }
}
