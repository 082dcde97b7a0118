extension Sequence {
    /// The first `k` elements in the order `before`, in that order, without
    /// sorting the rest: `top 5` of two million groups, or an error's first
    /// twelve of millions of labels. Ties keep the sequence's order.
    func smallest(_ k: Int, by before: (Element, Element) -> Bool) -> [Element] {
        guard k > 0 else { return [] }
        var best: [Element] = []
        best.reserveCapacity(k + 1)
        for x in self {
            guard best.count < k || before(x, best[best.count - 1]) else { continue }
            let at = best.firstIndex { before(x, $0) } ?? best.count
            best.insert(x, at: at)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
