import CSheetXML
import Foundation

/// The XML inside a workbook, parsed as it is inflated: libxml2's SAX2 push
/// parser, fed each chunk ZIPFoundation hands over, so neither the ZIP
/// entry nor a tree of it is ever held whole.
///
/// Why libxml2 itself and not Foundation's `XMLParser` (which is libxml2's
/// SAX underneath on Linux) or XMLCoder/SWXMLHash:
/// - ZIPFoundation pushes an entry's bytes to a closure; `XMLParser` pulls
///   (from a whole `Data`, or an `InputStream`), so using it means either
///   inflating the sheet into memory first or a second thread and a pipe.
///   The push parser takes the chunks as they come.
/// - `XMLParser` makes a `[String: String]` of every element's attributes
///   and a `String` of every name; a million-row sheet has tens of millions
///   of elements. Here names and values are compared in place as bytes,
///   and a string is made only for a value that is kept.
/// - XMLCoder and SWXMLHash build the whole document (or a tree of it) in
///   memory, which is what a million-row sheet must not need.
/// A DOCTYPE is refused (no workbook has one), so no entity is ever
/// declared or expanded, and the network is off.
final class XMLStream {
    /// Who gets the events. A throw stops the parse; the error is the one
    /// `feed`/`finish` then throw.
    protocol Handler: AnyObject {
        func start(_ name: XMLName, _ attributes: XMLAttributes) throws
        func end(_ name: XMLName) throws
        /// Character data, only while `wantsText` is true.
        func text(_ bytes: UnsafeBufferPointer<UInt8>)
        var wantsText: Bool { get }
    }

    /// What the error messages call this XML: "cases.xlsx (xl/worksheets/sheet1.xml)".
    let place: String
    private let box: Box
    private let parser: OpaquePointer

    private final class Box {
        let handler: Handler
        var failure: Error?
        var parser: OpaquePointer?
        init(_ h: Handler) { handler = h }
        func stop(_ e: Error) {
            if failure == nil { failure = e }
            if let p = parser { sheetxml_stop(p) }
        }
    }

    init(handler: Handler, place: String) throws {
        self.place = place
        box = Box(handler)
        var callbacks = sheetxml_callbacks(
            start: { ctx, local, uri, count, attrs in
                guard let ctx = ctx, let local = local else { return }
                let box = Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue()
                guard box.failure == nil else { return }
                do { try box.handler.start(XMLName(local: local, uri: uri), XMLAttributes(base: attrs, count: Int(count))) } catch { box.stop(error) }
            },
            end: { ctx, local, uri in
                guard let ctx = ctx, let local = local else { return }
                let box = Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue()
                guard box.failure == nil else { return }
                do { try box.handler.end(XMLName(local: local, uri: uri)) } catch { box.stop(error) }
            },
            text: { ctx, bytes, n in
                guard let ctx = ctx, let bytes = bytes, n > 0 else { return }
                let box = Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue()
                guard box.failure == nil, box.handler.wantsText else { return }
                box.handler.text(UnsafeBufferPointer(start: bytes, count: Int(n)))
            },
            // A DOCTYPE could declare entities (and expand them a billion
            // times); no workbook part has one.
            doctype: { ctx in
                guard let ctx = ctx else { return }
                Unmanaged<Box>.fromOpaque(ctx).takeUnretainedValue().stop(XMLStream.Refused(message: "it declares a DOCTYPE, which no spreadsheet part has"))
            })
        guard let p = sheetxml_new(&callbacks, Unmanaged.passUnretained(box).toOpaque()) else {
            throw MisqError(.io, "\(place): could not start the XML parser (out of memory?)")
        }
        parser = p
        box.parser = p
    }

    deinit { sheetxml_free(parser) }

    struct Refused: Error { let message: String }

    /// Parses the next bytes of the document.
    func feed(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            // libxml2 takes an int length: a huge chunk goes in parts.
            var at = 0
            while at < raw.count {
                let n = min(raw.count - at, 1 << 24)
                try check(sheetxml_feed(parser, base.advanced(by: at).assumingMemoryBound(to: CChar.self), Int32(n), 0))
                at += n
            }
        }
    }

    /// The document has ended: an unclosed element is an error here.
    func finish() throws {
        try check(sheetxml_feed(parser, nil, 0, 1))
    }

    private func check(_ rc: Int32) throws {
        if let f = box.failure {
            if let r = f as? Refused { throw MisqError(.data, "\(place) \(location): \(r.message)", suggestion: "is this a spreadsheet saved by a spreadsheet program?") }
            throw f
        }
        guard rc != 0 else { return }
        var what = "malformed XML"
        if let m = sheetxml_error(parser) { what += ": " + String(cString: m).trimmingCharacters(in: .whitespacesAndNewlines) }
        throw MisqError(.data, "\(place) \(location): \(what)",
                        suggestion: "the file is damaged or not a spreadsheet; open it in a spreadsheet program and save it again")
    }

    /// Where the parser is: "line 3, column 17" of the part.
    var location: String { "line \(sheetxml_line(parser)), column \(sheetxml_column(parser))" }
}

/// An element's name as the parser has it, compared in place.
struct XMLName {
    let local: UnsafePointer<UInt8>
    let uri: UnsafePointer<UInt8>?

    /// Whether the local name is `s` (any namespace).
    @inline(__always) func `is`(_ s: StaticString) -> Bool { XMLName.equal(local, s) }

    /// Whether the name is `s` in namespace `ns`.
    @inline(__always) func `is`(_ s: StaticString, in ns: StaticString) -> Bool {
        XMLName.equal(local, s) && uri.map { XMLName.equal($0, ns) } == true
    }

    @inline(__always) static func equal(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        return memcmp(p, s.utf8Start, n) == 0 && p[n] == 0
    }
}

/// An element's attributes: libxml2 gives five pointers each (local name,
/// prefix, URI, value start, value end).
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    /// The value of attribute `local` (in namespace `ns` when given).
    func value(_ local: StaticString, in ns: StaticString? = nil) -> XMLValue? {
        guard let b = base else { return nil }
        for k in 0..<count {
            let a = b + 5 * k
            guard let name = a[0], XMLName.equal(name, local) else { continue }
            if let ns = ns { guard let uri = a[2], XMLName.equal(uri, ns) else { continue } }
            guard let start = a[3], let end = a[4] else { continue }
            return XMLValue(bytes: UnsafeBufferPointer(start: start, count: end - start))
        }
        return nil
    }
}

/// An attribute's value, still in the parser's buffer: valid only during
/// the callback that gave it.
struct XMLValue {
    let bytes: UnsafeBufferPointer<UInt8>
    var string: String { String(decoding: bytes, as: UTF8.self) }
    func equals(_ s: StaticString) -> Bool {
        guard bytes.count == s.utf8CodeUnitCount else { return false }
        guard let b = bytes.baseAddress else { return bytes.isEmpty }
        return memcmp(b, s.utf8Start, bytes.count) == 0
    }
    /// A whole non-negative number, nil if it is not one or is past `limit`.
    func count(limit: Int) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 12 else { return nil }
        var v = 0
        for b in bytes { guard b >= 48, b <= 57 else { return nil }; v = v * 10 + Int(b - 48) }
        return v <= limit ? v : nil
    }
    var double: Double? { SheetNumber.parse(bytes) }
}

/// A number as XML writes it (`1131`, `-0.5`, `1.5E-3`), exactly as the C
/// library reads it, and nothing else (no hex, no `inf`, no spaces).
enum SheetNumber {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count < 64 else { return nil }
        for b in bytes {
            switch b {
            case 48...57, UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return nil
            }
        }
        // strtod in the C locale (misq never sets another): '.' is the point.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buf -> Double? in
            guard let p = buf.baseAddress else { return nil }
            for k in 0..<bytes.count { p[k] = CChar(bitPattern: bytes[k]) }
            p[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(p, &end)
            guard let e = end, e - p == bytes.count, v.isFinite else { return nil }
            return v
        }
    }
}
