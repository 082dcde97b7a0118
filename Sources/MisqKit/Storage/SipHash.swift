/// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
/// 2012): a keyed hash that is a MAC, so a cache file cannot be forged or
/// altered without the key and still pass (see `CacheTrust`). Streaming,
/// because cache files are hashed as they are written, a block at a time.
/// About 1.5 GB/s here: paid when a cache is written, or read back without
/// a fingerprint that vouches for it, never on the warm path.
struct SipHash {
    private var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64
    /// Bytes not yet making a whole 8-byte word, low byte first.
    private var tail: UInt64 = 0
    private var tailCount = 0
    private var length = 0

    init(key: (UInt64, UInt64)) {
        v0 = 0x736f_6d65_7073_6575 ^ key.0
        v1 = 0x646f_7261_6e64_6f6d ^ key.1
        v2 = 0x6c79_6765_6e65_7261 ^ key.0
        v3 = 0x7465_6462_7974_6573 ^ key.1
    }

    @inline(__always) private mutating func round() {
        v0 = v0 &+ v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32)
        v2 = v2 &+ v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2
        v0 = v0 &+ v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0
        v2 = v2 &+ v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32)
    }

    @inline(__always) private mutating func compress(_ m: UInt64) {
        v3 ^= m
        round(); round()
        v0 ^= m
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let p = bytes.baseAddress, !bytes.isEmpty else { return }
        length &+= bytes.count
        var i = 0
        let n = bytes.count
        while tailCount != 0 && i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(tailCount))
            tailCount += 1; i += 1
            if tailCount == 8 { compress(tail); tail = 0; tailCount = 0 }
        }
        while i &+ 8 <= n {
            compress(UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i &+= 8
        }
        while i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(tailCount))
            tailCount += 1; i += 1
        }
    }

    mutating func update(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { update($0) } }
    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The tag. The hasher is spent: finish a copy to keep going.
    mutating func finish() -> UInt64 {
        compress(tail | (UInt64(truncatingIfNeeded: length) << 56))
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, key: (UInt64, UInt64)) -> UInt64 {
        var h = SipHash(key: key)
        h.update(bytes)
        return h.finish()
    }
}
