/// Least-significant-digit radix sort of unsigned integers by their low
/// `bits` bits (the rest must be zero), eleven bits a pass; a pass whose
/// digit is the same in every value is skipped (ids that share a prefix).
/// For orders of many groups and labels, where a comparison sort through
/// a closure took a sixth of a query.
enum RadixSort {
    static func sort(_ a: inout [UInt64], bits: Int) {
        var none: [UInt32] = []
        sort(&a, carrying: &none, bits: bits)
    }

    /// Sorts `a`, moving `payload[i]` with `a[i]` (stable: equal values
    /// keep their payloads' order). A payload of another length (empty)
    /// is left as it is.
    static func sort(_ a: inout [UInt64], carrying payload: inout [UInt32], bits: Int) {
        let n = a.count
        guard n > 1, bits > 0 else { return }
        let carry = payload.count == n
        let digit = 11, buckets = 1 << digit
        var scratch = [UInt64](repeating: 0, count: n)
        var scratchPayload = [UInt32](repeating: 0, count: carry ? n : 0)
        var count = [Int](repeating: 0, count: buckets)
        var shift = 0
        var inScratch = false
        while shift < bits {
            var moved = false
            a.withUnsafeMutableBufferPointer { x in
                scratch.withUnsafeMutableBufferPointer { y in
                    payload.withUnsafeMutableBufferPointer { px in
                        scratchPayload.withUnsafeMutableBufferPointer { py in
                            count.withUnsafeMutableBufferPointer { c in
                                let (src, dst) = inScratch ? (y, x) : (x, y)
                                let (psrc, pdst) = inScratch ? (py, px) : (px, py)
                                for i in 0..<buckets { c[i] = 0 }
                                let s = UInt64(shift), m = UInt64(buckets - 1)
                                for v in src { c[Int((v >> s) & m)] &+= 1 }
                                // Every value in one bucket: this digit orders nothing.
                                if c[Int((src[0] >> s) & m)] == n { return }
                                var sum = 0
                                for i in 0..<buckets { let k = c[i]; c[i] = sum; sum &+= k }
                                for i in 0..<n {
                                    let v = src[i]
                                    let b = Int((v >> s) & m)
                                    dst[c[b]] = v
                                    if carry { pdst[c[b]] = psrc[i] }
                                    c[b] &+= 1
                                }
                                moved = true
                            }
                        }
                    }
                }
            }
            if moved { inScratch.toggle() }
            shift += digit
        }
        if inScratch {
            a = scratch
            if carry { payload = scratchPayload }
        }
    }
}
