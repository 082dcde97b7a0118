/// A time key's labels (`by year`, `by quarter`, `by month`, `by fy`) as
/// places on a time axis, with the buckets between them that have no group
/// filled in as gaps: a chart in time order shows a missing year as a
/// missing year, not as the next one drawn closer.
struct TimeAxis {
    enum Bucket: String { case year, quarter, month, fy }
    var bucket: Bucket
    /// Every bucket from the first label to the last, in order.
    var labels: [String]
    /// For each of `labels`, the row of the result that has it (nil: a gap).
    var rows: [Int?]

    /// Buckets an axis may span before it is not drawn as one (a month key
    /// over centuries of bad dates).
    static let maxBuckets = 400

    /// The axis for a one-key result whose key is a time bucket, or nil.
    /// Rows whose key is missing are left out (the caller says so).
    init?(keyName: String, labels keyLabels: [String?]) {
        let name = keyName.lowercased()
        guard let bucket = [Bucket.year, .quarter, .month, .fy].first(where: { name == $0.rawValue || name.hasPrefix($0.rawValue + "(") }) else { return nil }
        var places: [(place: Int, row: Int)] = []
        for (row, label) in keyLabels.enumerated() {
            guard let l = label else { continue }
            guard let p = TimeAxis.place(l, bucket) else { return nil }
            places.append((p, row))
        }
        guard let first = places.map(\.place).min(), let last = places.map(\.place).max(), last - first < TimeAxis.maxBuckets else { return nil }
        var byPlace: [Int: Int] = [:]
        for p in places { byPlace[p.place] = p.row }
        self.bucket = bucket
        labels = (first...last).map { TimeAxis.label($0, bucket) }
        rows = (first...last).map { byPlace[$0] }
    }

    /// `2022` → 2022; `2022-Q2` → 2022·4+1; `2022-05` → 2022·12+4; `FY2022/23` → 2022.
    static func place(_ label: String, _ bucket: Bucket) -> Int? {
        let c = Array(label)
        func digits(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= c.count, r.allSatisfy({ c[$0].isASCII && c[$0].isNumber }) else { return nil }
            return Int(String(c[r]))
        }
        switch bucket {
        case .year:
            guard c.count == 4 else { return nil }
            return digits(0..<4)
        case .quarter:
            guard c.count == 7, c[4] == "-", c[5] == "Q", let y = digits(0..<4), let q = digits(6..<7), (1...4).contains(q) else { return nil }
            return y * 4 + q - 1
        case .month:
            guard c.count == 7, c[4] == "-", let y = digits(0..<4), let m = digits(5..<7), (1...12).contains(m) else { return nil }
            return y * 12 + m - 1
        case .fy:
            guard c.count == 9, label.hasPrefix("FY"), c[6] == "/", let y = digits(2..<6), let next = digits(7..<9), next == (y + 1) % 100 else { return nil }
            return y
        }
    }

    static func label(_ place: Int, _ bucket: Bucket) -> String {
        func y4(_ y: Int) -> String { String(y).leftPadded(4) }
        switch bucket {
        case .year: return y4(place)
        case .quarter: return "\(y4(place / 4))-Q\(place % 4 + 1)"
        case .month: return "\(y4(place / 12))-\(String(place % 12 + 1).leftPadded(2))"
        case .fy: return "FY\(y4(place))/\(String((place + 1) % 100).leftPadded(2))"
        }
    }
}
