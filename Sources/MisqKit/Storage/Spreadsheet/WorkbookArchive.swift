import Foundation
import ZIPFoundation

/// A workbook's ZIP container (XLSX and ODS are both ZIP archives), read
/// one entry at a time through ZIPFoundation's consumer closure: an entry
/// is inflated in chunks straight into the XML parser, never whole.
///
/// Hostile archives: an entry's inflated bytes may not pass the size its
/// header declares (a bomb lies there) nor `SpreadsheetLimits.entryBytes`;
/// a damaged entry fails its CRC; each is an error naming the file and the
/// entry.
final class WorkbookArchive {
    let path: String
    private let archive: Archive

    init(path: String) throws {
        self.path = path
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) }
        catch {
            if !FileManager.default.isReadableFile(atPath: path) {
                throw MisqError(.io, "cannot read '\(path)'", suggestion: "check the path and its permissions")
            }
            throw WorkbookFormat.notAWorkbook(path, head: WorkbookFormat.head(of: path))
        }
    }

    /// An archive in memory (the fuzzer, tests).
    init(path: String, data: Data) throws {
        self.path = path
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw WorkbookFormat.notAWorkbook(path, head: data) }
    }

    func has(_ entry: String) -> Bool { archive[entry] != nil }

    /// Every entry's path (for an error that lists what is there).
    var entryPaths: [String] { archive.map(\.path) }

    /// Streams entry `name` through `handler`'s XML events.
    func parse(_ name: String, with handler: XMLStream.Handler) throws {
        guard let entry = archive[name] else {
            throw MisqError(.data, "'\(path)' has no '\(name)'", expected: "an .xlsx or .ods workbook",
                            suggestion: "is it a spreadsheet? It is a ZIP archive without the part a workbook has")
        }
        let place = "\(path) (\(name))"
        let declared = entry.uncompressedSize
        guard declared <= UInt64(SpreadsheetLimits.entryBytes) else {
            throw MisqError(.data, "\(place) would inflate to \(NumberFormat.grouped(Double(declared), decimals: 0)) bytes: misq reads workbook parts of at most \(ByteLimit.text(SpreadsheetLimits.entryBytes))",
                            suggestion: "save the sheet as CSV and load that")
        }
        // A part far more compressed than any spreadsheet's XML is a bomb,
        // refused before inflating: 1.5 GB of XML comment in a 1.5 MB ODS
        // ran 20 s and loaded no rows, saying nothing (cold test of issue
        // 22). Real workbooks' largest parts inflate 8–37× (LibreOffice
        // and openpyxl, up to a 1M-row XLSX at 8–11×; bench/RESULTS.md).
        let compressed = max(entry.compressedSize, 1)
        if declared > UInt64(SpreadsheetLimits.ratioFloorBytes), declared / compressed > UInt64(SpreadsheetLimits.ratio) {
            throw MisqError(.data, "\(place) would inflate \(NumberFormat.grouped(Double(declared / compressed), decimals: 0))× (\(NumberFormat.grouped(Double(compressed), decimals: 0)) bytes to "
                            + "\(NumberFormat.grouped(Double(declared), decimals: 0))): a workbook part over \(ByteLimit.text(SpreadsheetLimits.ratioFloorBytes)) inflating more than "
                            + "\(SpreadsheetLimits.ratio)× is a ZIP bomb, not a spreadsheet's XML",
                            suggestion: "do not open it; ask its sender for the spreadsheet again, or save it as CSV in a spreadsheet program")
        }
        let xml = try XMLStream(handler: handler, place: place)
        var inflated: UInt64 = 0
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                inflated += UInt64(chunk.count)
                // A ZIP bomb's header understates what its data inflates to.
                guard inflated <= declared else { throw Bomb() }
                try Cancellation.check()
                try xml.feed(chunk)
            }
        } catch is Bomb {
            throw MisqError(.data, "\(place) inflates past the \(NumberFormat.grouped(Double(declared), decimals: 0)) bytes its header declares: the file is damaged or built to exhaust memory",
                            suggestion: "do not open it; ask its sender for the spreadsheet again")
        } catch let e as MisqError {
            throw e
        } catch {
            throw MisqError(.data, "\(place) could not be inflated: the ZIP data is damaged (\(error))",
                            suggestion: "open it in a spreadsheet program and save it again")
        }
        guard inflated == declared, checksum == entry.checksum else {
            throw MisqError(.data, "\(place) is damaged: " + (inflated != declared ? "it inflates to \(inflated) bytes, not the \(declared) its header declares" : "its checksum does not match"),
                            suggestion: "open it in a spreadsheet program and save it again")
        }
        try xml.finish()
    }

    private struct Bomb: Error {}
}

/// What misq reads of one workbook at most; tests lower them.
enum SpreadsheetLimits {
    /// Inflated bytes of one part (a sheet's XML): a million rows of eight
    /// columns is about 150 MB.
    nonisolated(unsafe) static var entryBytes = 2 << 30
    /// Cells a sheet may hold (non-empty, after repeats are expanded over
    /// the table's rows): past it the load stops with an error.
    nonisolated(unsafe) static var cells = 400_000_000
    /// A part inflating past `ratioFloorBytes` may inflate at most `ratio`
    /// times its compressed size. Spreadsheet XML measured 8–37×; DEFLATE's
    /// most is about 1,030×, which only a bomb's repeated bytes reach.
    nonisolated(unsafe) static var ratio = 100
    nonisolated(unsafe) static var ratioFloorBytes = 100 << 20
}
