/// What an attacker can infer about each hidden cell from what is
/// published: the least and greatest value the cell can take among all
/// tables of non-negative counts that agree with every published figure
/// (each published total is the sum of its cells; a distinct count's
/// total is at least each of its cells and at most their sum). Two linear
/// programmes per hidden cell (`Simplex`), over the hidden inner cells only
/// (a published cell is a constant), split into groups that no published
/// total joins, which are independent programmes.
enum Audit {
    /// `required`: per model cell, the width its interval must reach (a
    /// primary cell's; others are reported, not held to it). `audited`:
    /// the cells whose intervals are worked out (all hidden ones if nil).
    static func run(_ model: TableModel, _ status: [CellStatus], requiredWidth: Double, required: [Double]? = nil,
                    audited: [Int]? = nil) -> SuppressionAudit {
        // An unknown is a constant when a published cell states it alone
        // (a single table's published inner cell); the others are columns.
        let known = model.known(status)
        let hidden = model.inner.indices.filter { !known[$0] }
        var column = [Int](repeating: -1, count: model.inner.count)
        for (k, i) in hidden.enumerated() { column[i] = k }

        // The published relations over hidden inner cells: sum = value
        // (additive) or, for a distinct total, sum ≥ value and each ≤ value.
        struct Relation { var cells: [Int]; var value: Double; var additive: Bool }
        var relations: [Relation] = []
        func relate(_ members: [Int], _ value: Double, additive: Bool) {
            guard value.isFinite else { return }
            let h = members.filter { column[$0] >= 0 }.map { column[$0] }
            guard !h.isEmpty else { return }
            let known = members.filter { column[$0] < 0 }.reduce(0.0) { $0 + model.inner[$1] }
            relations.append(Relation(cells: h, value: additive ? value - known : value, additive: additive))
        }
        for (i, c) in model.cells.enumerated() where c.printed && !status[i].isHidden && !(c.additive && c.members.count == 1 && known[c.members[0]]) {
            relate(c.members, c.value, additive: c.additive)
        }
        if let s = model.statedSum { relate(Array(model.inner.indices), s, additive: true) }

        // Groups of hidden cells joined by a relation (union-find).
        var parent = Array(hidden.indices)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        for r in relations { for c in r.cells.dropFirst() { let a = find(r.cells[0]), b = find(c); if a != b { parent[a] = b } } }
        var groups: [Int: [Int]] = [:]
        for k in hidden.indices { groups[find(k), default: []].append(k) }

        // Per group, a programme: its cells, then a slack per inequality.
        struct Programme { var simplex: Simplex?; var place: [Int: Int]; var columns: Int }
        var programmes: [Int: Programme] = [:]
        for (root, cells) in groups {
            var place: [Int: Int] = [:]
            for (p, k) in cells.enumerated() { place[k] = p }
            var a: [[Double]] = [], b: [Double] = []
            var slack = cells.count
            var rowsOut: [([Int: Double], Double)] = []
            for r in relations where find(r.cells[0]) == root {
                var row: [Int: Double] = [:]
                for c in r.cells { row[place[c] ?? 0, default: 0] += 1 }
                if r.additive { rowsOut.append((row, r.value)); continue }
                // Σ cells − s = T: at least T of the units are in these cells.
                row[slack] = -1; slack += 1
                rowsOut.append((row, r.value))
                // Each cell + s = T: no cell holds more units than its total.
                for c in Set(r.cells) { rowsOut.append(([place[c] ?? 0: 1, slack: 1], r.value)); slack += 1 }
            }
            for (row, v) in rowsOut {
                var dense = [Double](repeating: 0, count: slack)
                for (k, x) in row { dense[k] = x }
                a.append(dense); b.append(v)
            }
            programmes[root] = Programme(simplex: Simplex(a: a, b: b, columns: slack), place: place, columns: slack)
        }

        // Each hidden cell's interval: per group, the least and greatest sum
        // of its hidden members there; the published members are constants.
        var intervals: [SuppressionAudit.Interval] = []
        for i in audited ?? Array(model.cells.indices) where status[i].isHidden && model.cells[i].additive && model.cells[i].printed {
            let c = model.cells[i]
            var low = 0.0, high = 0.0
            var byGroup: [Int: [Int]] = [:]
            for m in c.members {
                if column[m] >= 0 { byGroup[find(column[m]), default: []].append(column[m]) }
                else { low += model.inner[m]; high += model.inner[m] }
            }
            for (root, ks) in byGroup {
                guard var prog = programmes[root], prog.simplex != nil else { low = .nan; high = .nan; break }
                var cost = [Double](repeating: 0, count: prog.columns)
                for k in ks { cost[prog.place[k] ?? 0] += 1 }
                let lo = prog.simplex?.minimum(cost)
                let hi = prog.simplex?.minimum(cost.map { -$0 })
                programmes[root] = prog
                low += lo.map(whole) ?? 0
                high += hi.map { -whole($0) } ?? .infinity
            }
            var interval = SuppressionAudit.Interval(cell: c.label, status: status[i], value: c.value, low: low, high: high)
            interval.required = required?[i] ?? requiredWidth
            interval.index = i
            intervals.append(interval)
        }
        return SuppressionAudit(intervals: intervals, requiredWidth: requiredWidth)
    }

    /// An optimum of counts over 0/1 constraints is whole: rounding error removed.
    static func whole(_ x: Double) -> Double {
        let r = x.rounded()
        return abs(x - r) < 1e-6 ? r : x
    }
}
