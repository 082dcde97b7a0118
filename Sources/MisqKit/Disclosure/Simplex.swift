/// A small dense simplex method (Dantzig's rule, Bland's after a run of
/// degenerate pivots so it cannot cycle) for min c·x subject to A x = b,
/// x ≥ 0. Written here because none of the allowed packages (the
/// Swift packages listed for this project, Foundation, system C
/// libraries present on every machine) solves linear programmes, and the
/// audit's programmes are small: one per group of hidden cells joined by a
/// published total, with as many rows as such totals.
///
/// Phase 1 finds a feasible basis once; each objective then starts from
/// the last basis (still feasible, as the constraints do not change), so
/// the audit's two programmes per hidden cell cost a few pivots each.
/// Figures are counts and the tables' constraint matrices are 0/1, so the
/// optima are whole numbers up to rounding error, which `Audit` removes.
struct Simplex {
    static let eps = 1e-9
    /// Rows of [A | b], in the current basis.
    private(set) var rows: [[Double]]
    private(set) var basis: [Int]
    let n: Int

    /// Nil when no x ≥ 0 satisfies A x = b.
    init?(a: [[Double]], b: [Double], columns n: Int) {
        self.n = n
        let m = a.count
        // Each row with b ≥ 0, then an artificial variable per row.
        var rows: [[Double]] = []
        for i in 0..<m {
            var r = a[i] + [Double](repeating: 0, count: m) + [b[i]]
            if b[i] < 0 { for k in r.indices { r[k] = -r[k] } }
            r[n + i] = 1
            rows.append(r)
        }
        self.rows = rows
        basis = (0..<m).map { n + $0 }
        // Phase 1: minimise the artificials' sum.
        var cost = [Double](repeating: 0, count: n + m)
        for i in 0..<m { cost[n + i] = 1 }
        guard let v = run(cost, allowed: n + m), v <= 1e-7 * max(1, b.map(abs).reduce(0, +)) else { return nil }
        // Artificials still basic (at 0): pivot them out, or drop a redundant row.
        var i = 0
        while i < self.rows.count {
            if basis[i] >= n {
                if let j = (0..<n).first(where: { abs(self.rows[i][$0]) > Simplex.eps }) {
                    pivot(i, j)
                } else {
                    self.rows.remove(at: i); basis.remove(at: i); continue
                }
            }
            i += 1
        }
        // Drop the artificial columns.
        self.rows = self.rows.map { Array($0[0..<n]) + [$0[n + m]] }
    }

    /// The least c·x over the feasible set; nil when unbounded below.
    mutating func minimum(_ c: [Double]) -> Double? { run(c, allowed: n) }

    private mutating func pivot(_ r: Int, _ j: Int) {
        let width = rows[r].count
        let p = rows[r][j]
        for k in 0..<width { rows[r][k] /= p }
        let pr = rows[r]
        for i in rows.indices where i != r {
            let f = rows[i][j]
            if f == 0 { continue }
            for k in 0..<width where pr[k] != 0 { rows[i][k] -= f * pr[k] }
            rows[i][j] = 0
        }
        basis[r] = j
    }

    /// Phase 2 from the current basis over the first `allowed` columns.
    private mutating func run(_ cost: [Double], allowed: Int) -> Double? {
        let rhs = rows.first.map { $0.count - 1 } ?? 0
        // Reduced costs d_j = c_j − Σ c_B(i) · row_i[j].
        var d = [Double](repeating: 0, count: allowed)
        var value = 0.0
        for j in 0..<allowed { d[j] = j < cost.count ? cost[j] : 0 }
        for (i, bi) in basis.enumerated() {
            let cb = bi < cost.count ? cost[bi] : 0
            if cb == 0 { continue }
            for j in 0..<allowed { d[j] -= cb * rows[i][j] }
            value += cb * rows[i][rhs]
        }
        var degenerate = 0
        for _ in 0..<100_000 {
            var enter = -1
            if degenerate < 50 {
                var best = -Simplex.eps
                for j in 0..<allowed where d[j] < best { best = d[j]; enter = j }
            } else {
                enter = (0..<allowed).first { d[$0] < -Simplex.eps } ?? -1
            }
            if enter < 0 { return value }
            var leave = -1
            var ratio = Double.infinity
            for i in rows.indices {
                let a = rows[i][enter]
                guard a > Simplex.eps else { continue }
                let t = rows[i][rhs] / a
                if t < ratio - 1e-12 || abs(t - ratio) <= 1e-12 && leave >= 0 && basis[i] < basis[leave] { ratio = t; leave = i }
            }
            if leave < 0 { return nil }
            degenerate = ratio <= Simplex.eps ? degenerate + 1 : 0
            let f = d[enter]
            pivot(leave, enter)
            for j in 0..<allowed where rows[leave][j] != 0 { d[j] -= f * rows[leave][j] }
            value += f * rows[leave][rhs]
        }
        return value
    }
}
