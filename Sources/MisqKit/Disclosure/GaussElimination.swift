/// Secondary suppression by Gaussian elimination: Langsrud, Ø. (2024),
/// "Secondary Cell Suppression by Gaussian Elimination: An Algorithm
/// Suitable for Handling Issues with Zeros and Singletons", Privacy in
/// Statistical Databases, LNCS 14915, doi:10.1007/978-3-031-69651-0_6;
/// the method of Statistics Norway's R package GaussSuppression.
///
/// Every published figure is a sum of inner cells: a column of the model
/// matrix (`TableModel`). The candidates for publication are taken in
/// order, most wanted first (larger figures first, so the smallest are the
/// ones left to hide; totals before inner cells of the same size; zeros
/// first, since a hidden zero is the easiest to work out: GaussSuppression's
/// `CandidatesDefault`). Each is reduced against the figures published so
/// far; if that leaves it dependent on them it adds nothing and is
/// published; otherwise it is published unless, with it, some primary
/// cell's column would lie in the span of the published columns, that is,
/// the primary figure could be solved exactly. Then it is hidden
/// (secondary). No primary cell is then a linear combination of published
/// figures. Bounds (counts are not negative) can still narrow a hidden
/// cell: `Audit` measures that with a linear programme.
struct GaussElimination {
    /// A sparse vector over the inner cells.
    typealias Vector = [Int: Double]
    static let name = "secondary suppression by Gaussian elimination: Langsrud 2024, as in Statistics Norway's GaussSuppression"
    static let tiny = 1e-9

    /// The status of each model cell: the primary ones as given, the
    /// others published or secondary.
    /// `fixed`: cells whose status is settled (tables published earlier in
    /// the run, `LinkedTables`): their published figures are in the basis
    /// before any candidate, their primaries stay to be protected, and
    /// none of them is a candidate.
    static func suppress(_ model: TableModel, primary: [Bool], fixed: [CellStatus?] = []) -> [CellStatus] {
        var status = model.cells.indices.map { i in (i < fixed.count ? fixed[i] : nil) ?? (primary[i] ? CellStatus.primary : .published) }
        let isFixed = model.cells.indices.map { $0 < fixed.count && fixed[$0] != nil }
        // Cells that are not sums of their members (a distinct count's
        // totals) give no equation: nothing is solved from them, and they
        // are published unless primary.
        // A margin the table does not print is no equation either (`TableModel.Cell.printed`).
        let equations = model.cells.indices.filter { model.cells[$0].additive && model.cells[$0].printed }
        var primaries: [Vector] = equations.filter { status[$0] == .primary }.map { vector(model.cells[$0].members) }
        guard !primaries.isEmpty else { return status }
        var basis: [(pivot: Int, v: Vector)] = []

        func reduce(_ x: Vector) -> Vector {
            var x = x
            for (p, b) in basis {
                guard let f = x[p], f != 0 else { continue }
                axpy(&x, -f / b[p, default: 1], b)
            }
            return x
        }
        // The stated sum of all groups (an overlap's footer) is published.
        if let s = model.statedSum, s.isFinite {
            let all = vector(Array(0..<model.inner.count))
            add(reduce(all), &basis, &primaries)
        }
        for c in equations where isFixed[c] && status[c] == .published {
            add(reduce(vector(model.cells[c].members)), &basis, &primaries)
        }
        for c in candidates(model, primary: primary) where !isFixed[c] {
            let r = reduce(vector(model.cells[c].members))
            guard let pivot = pivotOf(r) else { continue }  // already determined: published, nothing new
            if primaries.contains(where: { parallel($0, r) }) {
                status[c] = .secondary
                continue
            }
            _ = pivot
            add(r, &basis, &primaries)
        }
        return status
    }

    /// Adds a reduced vector to the basis and reduces the primaries by it.
    static func add(_ r: Vector, _ basis: inout [(pivot: Int, v: Vector)], _ primaries: inout [Vector]) {
        guard let p = pivotOf(r) else { return }
        let rp = r[p, default: 1]
        for k in primaries.indices {
            guard let f = primaries[k][p], f != 0 else { continue }
            axpy(&primaries[k], -f / rp, r)
        }
        basis.append((p, r))
    }

    /// The candidates in the order they are offered for publication: every
    /// cell not primary, larger first; a total before an inner cell of the
    /// same figure (the tie term of `CandidatesDefault`: how much of the
    /// table it covers); zeros first of all.
    static func candidates(_ model: TableModel, primary: [Bool]) -> [Int] {
        // (freq + 1) + 0.99 × tie / max(tie), tie = Xᵀ X (freq + 1).
        var perInner = [Double](repeating: 0, count: model.inner.count)
        for c in model.cells where c.additive { for m in c.members { perInner[m] += c.value + 1 } }
        let tie = model.cells.map { c in c.members.reduce(0) { $0 + perInner[$1] } }
        let maxTie = max(tie.max() ?? 1, 1)
        var order = model.cells.indices.map { i -> Double in
            let c = model.cells[i]
            return c.value + 1 + 0.99 * tie[i] / maxTie
        }
        let top = (order.max() ?? 0) + 0.01
        for i in order.indices where model.cells[i].value == 0 { order[i] += top }
        return model.cells.indices.filter { !primary[$0] && model.cells[$0].additive && model.cells[$0].printed }
            .sorted { order[$0] != order[$1] ? order[$0] > order[$1] : $0 < $1 }
    }

    static func vector(_ members: [Int]) -> Vector {
        var v = Vector(minimumCapacity: members.count)
        for m in members { v[m] = 1 }
        return v
    }

    /// x += a·y, dropping what cancels.
    static func axpy(_ x: inout Vector, _ a: Double, _ y: Vector) {
        for (k, v) in y {
            let n = x[k, default: 0] + a * v
            x[k] = abs(n) < tiny ? nil : n
        }
    }

    /// The entry of largest size (a stable pivot), lowest index on ties.
    static func pivotOf(_ v: Vector) -> Int? {
        var best: (Int, Double)?
        for (k, x) in v where abs(x) > tiny {
            if let b = best, abs(x) < b.1 || abs(x) == b.1 && k > b.0 { continue }
            best = (k, abs(x))
        }
        return best?.0
    }

    /// a = λ·b for some λ ≠ 0 (both reduced, so this means a is solved by b).
    static func parallel(_ a: Vector, _ b: Vector) -> Bool {
        guard a.count == b.count, let (k, bk) = b.first(where: { abs($0.value) > tiny }), let ak = a[k] else { return false }
        let ratio = ak / bk
        for (i, y) in b {
            guard let x = a[i], abs(x - ratio * y) <= 1e-7 * max(1, abs(x)) else { return false }
        }
        return true
    }
}
