import CScan

/// Where the separators, line feeds and quotes lie in one window of a
/// file's bytes, found by one vector pass (`misq_structurals`, in CScan),
/// and how far the row loop has taken each list. The fast row path then
/// reads a row's fields from these offsets instead of from its bytes.
package struct StructuralWindow {
    /// Bytes per window: its three lists (four bytes an entry) stay in the
    /// core's cache while the rows are read from them.
    package static let defaultBytes = 1 << 16

    let capacity: Int
    /// The file's bytes (count `n`) and separator.
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private let separator: UInt8
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

    /// A window over `scanner`'s file, indexed from `start`.
    init(_ scanner: RowScanner, bytes: Int = StructuralWindow.defaultBytes, from start: Int) {
        p = scanner.p; n = scanner.n; separator = scanner.separator
        capacity = max(1, bytes)
        rowSeparators = .allocate(capacity: max(1, scanner.expected))
        // The C pass writes whole blocks past the last entry it finds.
        separators = .allocate(capacity: capacity + 64)
        feeds = .allocate(capacity: capacity + 64)
        quotes = .allocate(capacity: capacity + 64)
        fill(from: start)
    }

    func deallocate() {
        separators.deallocate(); feeds.deallocate(); quotes.deallocate(); rowSeparators.deallocate()
    }

    /// Indexes the bytes from `start`, as many as the window holds.
    private mutating func fill(from start: Int) {
        base = start
        end = min(n, start + capacity)
        let found = misq_structurals(p + start, end - start, separator, separators, feeds, quotes)
        separatorCount = found.separators; feedCount = found.feeds; quoteCount = found.quotes
        s = 0; f = 0; q = 0
    }

    /// Ready for the row at `start` (the cursors are at or past it): a
    /// window with no line feed left is indexed again from the row, unless
    /// it already starts there (a row longer than a window) or reaches the
    /// end of the file (a last row with no line feed), which the exact
    /// path reads.
    mutating func resume(at start: Int) {
        if f >= feedCount, base < start, end < n { fill(from: start) }
    }

    /// Moves every cursor to the first entry at or after `offset` (after a
    /// row the exact path read).
    mutating func skip(to offset: Int) {
        let at = offset - base
        while s < separatorCount, Int(separators[s]) < at { s &+= 1 }
        while f < feedCount, Int(feeds[f]) < at { f &+= 1 }
        while q < quoteCount, Int(quotes[q]) < at { q &+= 1 }
    }
}
