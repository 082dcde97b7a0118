/// Counting rows by keys whose combined space is small: one pass over the
/// selected rows, on all cores, adds 1 to a cell of the (row keys × across
/// key) space per row; groups, across columns and every total are then sums
/// of cells. The general path (`Executor.generalGroups`) instead makes a
/// group id per row and runs a measure pass per grouping, which any measure
/// needs but counting rows does not.
enum CellCounts {
    /// Largest space counted this way: each slice of rows keeps a count per
    /// cell, and the cells are scanned for groups afterwards.
    static let maxSpace = 1 << 16

    static func grouped(_ measure: Measurer, _ rowKeys: [KeyCodes], _ strides: [Int], rowSpace: Int?, _ acrossKey: KeyCodes?,
                        _ selection: Bitmap, rows n: Int) -> Executor.Grouped? {
        guard case .rows = measure.kind, let rowSpace, rowSpace > 0 else { return nil }
        let a = acrossKey?.cardinality ?? 1
        let (space, o) = rowSpace.multipliedReportingOverflow(by: a)
        guard !o, space <= maxSpace else { return nil }
        let keys = rowKeys + (acrossKey.map { [$0] } ?? [])
        let keyStrides = strides + (acrossKey == nil ? [] : [rowSpace])
        guard let counts = count(keys, keyStrides, space: space, selection, rows: n) else { return nil }

        var out = Executor.Grouped(keys: GroupKeyTable(width: rowKeys.count))
        var acrossCodes = [0]
        if let ak = acrossKey {
            var present = [Bool](repeating: false, count: a)
            for c in 0..<space where counts[c] > 0 { present[c / rowSpace] = true }
            acrossCodes = (0..<a).filter { present[$0] }.sorted { ak.ranks[$0] < ak.ranks[$1] }
            out.acrossLabels = acrossCodes.map { ak.labels[$0] }
        }
        out.width = acrossCodes.count
        var columnTotals = [Double](repeating: 0, count: acrossCodes.count)
        for rc in 0..<rowSpace {
            let values = acrossCodes.map { Double(counts[rc + $0 * rowSpace]) }
            let total = values.reduce(0, +)
            guard total > 0 else { continue }  // no selected row has this key
            out.keys.append(combined: rc, rowKeys, strides)
            out.values += values
            if acrossKey != nil { out.rowTotals.append(total) }
            for i in values.indices { columnTotals[i] += values[i] }
        }
        out.grand = columnTotals.reduce(0, +)
        out.sum = out.grand
        out.totals = acrossKey == nil ? [out.grand] : columnTotals
        out.percentBase = acrossKey == nil ? nil : columnTotals
        return out
    }

    /// Selected rows per combined key, or nil if a key produced a code
    /// outside the space (which its construction rules out; the caller
    /// then takes the general path rather than lose the row).
    static func count(_ keys: [KeyCodes], _ strides: [Int], space: Int, _ selection: Bitmap, rows n: Int) -> [Int]? {
        let grain = 1 << 18, align = 64
        let slices = Parallel.sliceCount(n, grain: grain, align: align)
        // One cell past the space per slice, for codes that are not in it;
        // four copies of the cells per slice, so rows with the same key
        // (runs are common: a zone's year, a dominant outcome) add to
        // different counters in turn rather than wait on one another.
        let width = space + 1, lanes = 4
        let partial = UnsafeMutablePointer<Int>.allocate(capacity: max(1, slices * width * lanes))
        partial.initialize(repeating: 0, count: slices * width * lanes)
        defer { partial.deallocate() }
        Parallel.slices(n, grain: grain, align: align) { i, range in
            let cells = partial + i * width * lanes
            let block = UnsafeMutablePointer<Int32>.allocate(capacity: GroupCursor.block)
            defer { block.deallocate() }
            var s = range.lowerBound
            while s < range.upperBound {
                // Blocks end where date zones do, so a time key can be one
                // code for a whole block.
                let rows = s..<min(range.upperBound, (s / GroupCursor.block + 1) * GroupCursor.block)
                // A block with no selected row (outside a period, say) has
                // nothing to count: its keys are not worked out.
                guard selection.anySet(in: rows) else { s = rows.upperBound; continue }
                let all = selection.allSet(in: rows)
                // Keys with one code over the block add a constant; when at
                // most one other key is left and it is a category, its
                // codes are counted straight into the cells.
                var base = 0, varying: [Int] = []
                for (k, key) in keys.enumerated() {
                    if let c = key.constantCode(rows) { base &+= Int(c) &* strides[k] } else { varying.append(k) }
                }
                if varying.isEmpty {
                    cells[min(base, space)] &+= all ? rows.count : selection.setCount(in: rows)
                    s = rows.upperBound
                    continue
                }
                if varying.count == 1, keys[varying[0]].count(into: cells, width: width, base: base, stride: strides[varying[0]],
                                                              rows: rows, selection, allSelected: all) {
                    s = rows.upperBound
                    continue
                }
                GroupCursor.combined(keys, strides, rows, into: UnsafeMutableBufferPointer(start: block, count: rows.count))
                let first = s
                if all {
                    var j = 0
                    while j &+ 4 <= rows.count {
                        cells[Swift.min(Int(UInt32(bitPattern: block[j])), space)] &+= 1
                        cells[width &+ Swift.min(Int(UInt32(bitPattern: block[j &+ 1])), space)] &+= 1
                        cells[2 &* width &+ Swift.min(Int(UInt32(bitPattern: block[j &+ 2])), space)] &+= 1
                        cells[3 &* width &+ Swift.min(Int(UInt32(bitPattern: block[j &+ 3])), space)] &+= 1
                        j &+= 4
                    }
                    while j < rows.count { cells[Swift.min(Int(UInt32(bitPattern: block[j])), space)] &+= 1; j &+= 1 }
                } else {
                    var lane = 0
                    selection.forEachSet(in: rows) { r in
                        let c = Int(UInt32(bitPattern: block[r &- first]))
                        cells[lane &* width &+ Swift.min(c, space)] &+= 1
                        lane = (lane &+ 1) & 3
                    }
                }
                s = rows.upperBound
            }
        }
        var out = [Int](repeating: 0, count: width)
        for i in 0..<(slices * lanes) { for c in 0..<width { out[c] += partial[i * width + c] } }
        return out[space] == 0 ? Array(out[0..<space]) : nil
    }
}
