/// A set of host indexes as a bit array: the static filters of placement (state, role, networks, host rules)
/// are intersected a word at a time.
struct HostBits: Sendable {
    private(set) var words: [UInt64]

    /// The empty set (`full: false`) or every host below `count`.
    init(count: Int, full: Bool) {
        words = [UInt64](repeating: full ? ~0 : 0, count: (count + 63) / 64)
        if full && count % 64 != 0 { words[words.count - 1] = (1 << UInt64(count % 64)) - 1 }
    }

    mutating func insert(_ h: Int32) { words[Int(h) >> 6] |= 1 << UInt64(h & 63) }
    mutating func remove(_ h: Int32) { words[Int(h) >> 6] &= ~(1 << UInt64(h & 63)) }
    func contains(_ h: Int32) -> Bool { words[Int(h) >> 6] & (1 << UInt64(h & 63)) != 0 }

    /// Keeps only the hosts also in `other`.
    mutating func formIntersection(_ other: HostBits) {
        words.withUnsafeMutableBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in for i in a.indices { a[i] &= b[i] } }
        }
    }

    /// Calls `body` with each host in the set, ascending.
    @inline(__always)
    func forEach(_ body: (Int32) -> Void) {
        words.withUnsafeBufferPointer { ws in
            for (i, w) in ws.enumerated() {
                var bits = w
                while bits != 0 {
                    body(Int32(i << 6 + bits.trailingZeroBitCount))
                    bits &= bits - 1
                }
            }
        }
    }
}
