import CScan

/// Where the separators, line feeds and quotes lie in one window of a
/// file's bytes, found by one vector pass (`misq_structurals`, in CScan),
/// and how far the row loop has taken each list. The fast row path then
/// reads a row's fields from these offsets instead of from its bytes.
struct StructuralWindow {
    /// Bytes per window: its three lists (four bytes an entry) stay in the
    /// core's cache while the rows are read from them.
    static let defaultBytes = 1 << 16

    let capacity: Int
    /// The window is the file's bytes base ..< end.
    private(set) var base = 0, end = 0
    let separators: UnsafeMutablePointer<UInt32>
    let feeds: UnsafeMutablePointer<UInt32>
    let quotes: UnsafeMutablePointer<UInt32>
    private(set) var separatorCount = 0, feedCount = 0, quoteCount = 0
    /// Room for one row's own separators (`RowScanner.quotedRow`).
    let rowSeparators: UnsafeMutablePointer<Int>
    /// The first entry of each list not yet taken by a row.
    var s = 0, f = 0, q = 0

    init(bytes: Int = StructuralWindow.defaultBytes, fields: Int) {
        capacity = max(1, bytes)
        rowSeparators = .allocate(capacity: max(1, fields))
        // The C pass writes whole blocks past the last entry it finds.
        separators = .allocate(capacity: capacity + 64)
        feeds = .allocate(capacity: capacity + 64)
        quotes = .allocate(capacity: capacity + 64)
    }

    func deallocate() {
        separators.deallocate(); feeds.deallocate(); quotes.deallocate(); rowSeparators.deallocate()
    }

    /// Indexes the bytes from `start`, as many as the window holds.
    mutating func fill(_ p: UnsafePointer<UInt8>, count n: Int, from start: Int, separator: UInt8) {
        base = start
        end = min(n, start + capacity)
        let found = misq_structurals(p + start, end - start, separator, separators, feeds, quotes)
        separatorCount = found.separators; feedCount = found.feeds; quoteCount = found.quotes
        s = 0; f = 0; q = 0
    }

    /// Whether the window has no line feed left at or after the cursors:
    /// the next row must be read from a window that starts with it.
    var exhausted: Bool { f >= feedCount }

    /// Moves every cursor to the first entry at or after `offset` (after a
    /// row the exact path read).
    mutating func skip(to offset: Int) {
        let at = offset - base
        while s < separatorCount, Int(separators[s]) < at { s &+= 1 }
        while f < feedCount, Int(feeds[f]) < at { f &+= 1 }
        while q < quoteCount, Int(quotes[q]) < at { q &+= 1 }
    }
}
