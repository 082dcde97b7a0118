import Foundation
/// Where a dataset's columns come from. The header and row count come from
/// the cache when it matches the CSV, so a warm run never reads the CSV;
/// otherwise the CSV is indexed (and checked) here, once.
final class TableSource: @unchecked Sendable {
    let path: String
    let header: [String]
    let rowCount: Int
    let cache: ColumnCache?
    private var indexed: CSVFile?
    private let lock = NSLock()

    /// An indexed CSV held in memory (tests, the fuzzer): no cache.
    init(csv: CSVFile) {
        path = csv.path; header = csv.header; rowCount = csv.rowCount; cache = nil; indexed = csv
    }

    /// A CSV on disk, through its cache when there is a usable one.
    init(path: String) throws {
        self.path = path
        let cache = ColumnCache(csvPath: path)
        self.cache = cache
        if let meta = cache?.readMeta() {
            header = meta.header; rowCount = meta.rowCount
        } else {
            let csv = try CSVFile(path: path)
            header = csv.header; rowCount = csv.rowCount; indexed = csv
            cache?.writeMeta(.init(header: csv.header, rowCount: csv.rowCount))
        }
    }

    /// Whether the CSV has been read (a warm run never reads it).
    var isIndexed: Bool { lock.lock(); defer { lock.unlock() }; return indexed != nil }

    /// The indexed CSV, read on first need.
    func csv() throws -> CSVFile {
        lock.lock(); defer { lock.unlock() }
        if let c = indexed { return c }
        let c = try CSVFile(path: path)
        // The cache said how many rows there were; the file must agree.
        guard c.rowCount == rowCount, c.header == header else {
            throw MisqError(.data, "\(path) changed while it was being read", suggestion: "run the query again")
        }
        indexed = c
        return c
    }
}
