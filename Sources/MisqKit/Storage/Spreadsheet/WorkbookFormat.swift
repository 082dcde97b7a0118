import Foundation

/// What a file that is not a readable workbook is, from its first bytes,
/// so the error says what to do: an Excel 97–2003 workbook (.xls) and a
/// password-protected workbook of any kind are OLE2 compound files, not
/// ZIP archives ("its ZIP directory is damaged" sent users hunting for a
/// damaged download); an "Excel export" that is really HTML or CSV text.
enum WorkbookFormat {
    /// The OLE2 (Compound File Binary) signature, [MS-CFB] 2.2.
    static let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    /// How much of an OLE2 file is searched for the stream names an
    /// encrypted OOXML package has ([MS-OFFCRYPTO] 2.3.4.4: EncryptionInfo
    /// and EncryptedPackage); their directory entries are UTF-16LE.
    static let searched = 64 << 20

    /// The file's first bytes, up to `searched` (empty when unreadable).
    static func head(of path: String) -> Data {
        guard let h = FileHandle(forReadingAtPath: path) else { return Data() }
        defer { try? h.close() }
        return (try? h.read(upToCount: searched)) ?? Data()
    }

    static func notAWorkbook(_ path: String, head: Data) -> MisqError {
        let bytes = [UInt8](head.prefix(8))
        if bytes == ole2 {
            if contains(head, utf16: "EncryptedPackage") {
                return MisqError(.data, "'\(path)' is a password-protected (encrypted) workbook: misq cannot read its cells without the password",
                                 expected: "a workbook saved without a password",
                                 suggestion: "open it with its password in Excel or LibreOffice and save a copy as .xlsx or .ods with no password")
            }
            return MisqError(.data, "'\(path)' is an Excel 97–2003 workbook (.xls, the old binary format), which misq does not read",
                             expected: "an .xlsx or .ods file",
                             suggestion: "open it in Excel or LibreOffice and save it as .xlsx or .ods (libreoffice --headless --convert-to xlsx FILE)")
        }
        let text = head.prefix(512).drop { [9, 10, 13, 32, 0xEF, 0xBB, 0xBF].contains($0) }
        if let first = text.first, first == UInt8(ascii: "<") {
            return MisqError(.data, "'\(path)' is text (HTML or XML), not a workbook: some systems export a web page under a spreadsheet's name",
                             expected: "an .xlsx or .ods file",
                             suggestion: "open it in a spreadsheet program and save it as .xlsx or .ods, or export it as CSV")
        }
        if !text.isEmpty, text.prefix(256).allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) || $0 >= 0x80 }) {
            return MisqError(.data, "'\(path)' is text, not a workbook: it may be CSV or tab-separated text under a spreadsheet's name",
                             expected: "an .xlsx or .ods file",
                             suggestion: "if it is CSV, give it a .csv name and load that")
        }
        return MisqError(.data, "'\(path)' is not a readable spreadsheet: its ZIP directory is missing or damaged",
                         expected: "an .xlsx or .ods file as a spreadsheet program saves it",
                         suggestion: "open it in a spreadsheet program and save it again; a file cut short by a download reads like this")
    }

    /// Whether `data` holds `s` in UTF-16LE.
    static func contains(_ data: Data, utf16 s: String) -> Bool {
        let needle = Array(s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        return data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            guard let base = b.baseAddress, b.count >= needle.count else { return false }
            var k = 0
            while k <= b.count - needle.count {
                if b[k] == needle[0], memcmp(base + k, needle, needle.count) == 0 { return true }
                k += 1
            }
            return false
        }
    }

    /// An encrypted ODS is a ZIP whose content.xml is ciphertext; its
    /// manifest says so (ODF 1.2 Part 3, 4.8 `manifest:encryption-data`).
    static func refuseEncryptedODS(_ archive: WorkbookArchive) throws {
        guard archive.has("META-INF/manifest.xml") else { return }
        let manifest = ManifestPart()
        try archive.parse("META-INF/manifest.xml", with: manifest)
        if manifest.encrypted {
            throw MisqError(.data, "'\(archive.path)' is a password-protected (encrypted) OpenDocument spreadsheet: misq cannot read its cells without the password",
                            expected: "a spreadsheet saved without a password",
                            suggestion: "open it with its password in LibreOffice and save a copy as .ods or .xlsx with no password")
        }
    }

    private final class ManifestPart: XMLStream.Handler {
        var encrypted = false
        var wantsText: Bool { false }
        func start(_ name: XMLName, _ a: XMLAttributes) throws { if name.is("encryption-data") { encrypted = true } }
        func end(_ name: XMLName) throws {}
        func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
    }
}
