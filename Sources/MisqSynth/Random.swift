/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast and the same on
/// every platform, so a seed reproduces the file byte for byte. Written by
/// hand because Swift's SystemRandomNumberGenerator cannot be seeded and no
/// allowed package ships a seedable one.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n, without modulo bias.
    mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next()
            if r >= threshold { return Int(r % bound) }
        }
    }

    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }

    /// True with probability `percent`/100, in integer arithmetic.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// Picks by integer weights.
    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var x = below(total)
        for (item, w) in items {
            if x < w { return item }
            x -= w
        }
        return items[items.count - 1].0
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
