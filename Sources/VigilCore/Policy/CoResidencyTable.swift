/// One VM's co-residencies: for each other VM it began sharing a host with (through a placement event), the
/// latest begin. Eight bytes an entry, sorted by VM, in one array: a long-running engine holds 100k of these,
/// and a dictionary each cost three to four times the memory and left holes in the heap as they grew.
/// Begins are whole seconds from 1970 to 2106.
struct CoResidencyTable: Sendable, Equatable, Sequence {
    /// `vm << 32 | begin`, ascending (so by VM).
    private(set) var packed: [UInt64] = []

    init() {}

    init(minimumCapacity n: Int) { packed.reserveCapacity(n) }

    /// The table of `pairs`, keeping the latest begin of a VM named twice.
    init(_ pairs: [(vm: Int32, begin: Timestamp)]) {
        var p = pairs.map { Self.pack($0.vm, $0.begin) }
        Self.normalise(&p)
        packed = p
    }

    /// A table over entries already `normalise`d.
    init(packed: [UInt64]) { self.packed = packed }

    /// Sorts packed entries and keeps the latest begin of each VM, in place.
    static func normalise(_ p: inout [UInt64]) {
        p.sort()
        var n = 0
        for i in p.indices {
            // Sorted by VM then begin: a later entry of the same VM replaces the earlier one (n <= i: in place).
            let x = p[i]
            if n > 0, p[n - 1] >> 32 == x >> 32 {
                p[n - 1] = x
            } else {
                p[n] = x
                n += 1
            }
        }
        p.removeLast(p.count - n)
    }

    var count: Int { packed.count }
    var capacity: Int { packed.capacity }
    var isEmpty: Bool { packed.isEmpty }

    static func pack(_ vm: Int32, _ begin: Timestamp) -> UInt64 {
        UInt64(UInt32(bitPattern: vm)) << 32 | UInt64(UInt32(clamping: begin))
    }

    /// Where `vm`'s entry is, or where it would go.
    func position(of vm: Int32) -> (index: Int, found: Bool) {
        let key = UInt64(UInt32(bitPattern: vm))
        var lo = 0
        var hi = packed.count
        while lo < hi {
            let m = (lo + hi) / 2
            if packed[m] >> 32 < key { lo = m + 1 } else { hi = m }
        }
        return (lo, lo < packed.count && packed[lo] >> 32 == key)
    }

    /// The begin recorded for `vm`; setting nil removes it.
    subscript(vm: Int32) -> Timestamp? {
        get {
            let (i, found) = position(of: vm)
            return found ? Timestamp(packed[i] & 0xFFFF_FFFF) : nil
        }
        set {
            let (i, found) = position(of: vm)
            switch (newValue, found) {
            case (let b?, true): packed[i] = Self.pack(vm, b)
            case (let b?, false): packed.insert(Self.pack(vm, b), at: i)
            case (nil, true): packed.remove(at: i)
            case (nil, false): break
            }
        }
    }

    /// Records `begin` for `vm` unless a later one is recorded (one search).
    mutating func noteLatest(_ vm: Int32, _ begin: Timestamp) {
        let (i, found) = position(of: vm)
        if !found {
            packed.insert(Self.pack(vm, begin), at: i)
        } else if Timestamp(packed[i] & 0xFFFF_FFFF) < begin {
            packed[i] = Self.pack(vm, begin)
        }
    }

    /// `noteLatest` for each of `vms` (distinct), merged in one pass rather than one insertion each.
    mutating func noteLatest(_ vms: [Int32], _ begin: Timestamp) {
        guard vms.count > 4 else {
            for u in vms { noteLatest(u, begin) }
            return
        }
        let incoming = vms.sorted().map { Self.pack($0, begin) }
        var out: [UInt64] = []
        out.reserveCapacity(Swift.max(packed.capacity, packed.count + incoming.count))
        var i = 0
        var j = 0
        while i < packed.count || j < incoming.count {
            if j == incoming.count || (i < packed.count && packed[i] >> 32 < incoming[j] >> 32) {
                out.append(packed[i])
                i += 1
            } else if i == packed.count || incoming[j] >> 32 < packed[i] >> 32 {
                out.append(incoming[j])
                j += 1
            } else {
                out.append(Swift.max(packed[i], incoming[j]))
                i += 1
                j += 1
            }
        }
        packed = out
    }

    /// The begins, in VM order.
    var values: LazyMapSequence<[UInt64], Timestamp> { packed.lazy.map { Timestamp($0 & 0xFFFF_FFFF) } }

    /// The entries whose begin satisfies `keep`, fitted to their number plus `extra`.
    func filtered(reserving extra: Int = 0, _ keep: (Timestamp) -> Bool) -> CoResidencyTable {
        var kept = 0
        for x in packed where keep(Timestamp(x & 0xFFFF_FFFF)) { kept += 1 }
        var out = CoResidencyTable(minimumCapacity: kept + extra)
        for x in packed where keep(Timestamp(x & 0xFFFF_FFFF)) { out.packed.append(x) }
        return out
    }

    struct Iterator: IteratorProtocol {
        var inner: IndexingIterator<[UInt64]>
        mutating func next() -> (key: Int32, value: Timestamp)? {
            inner.next().map { (Int32(bitPattern: UInt32($0 >> 32)), Timestamp($0 & 0xFFFF_FFFF)) }
        }
    }

    func makeIterator() -> Iterator { Iterator(inner: packed.makeIterator()) }
}
