/// An in-memory index of placement intervals for exposure queries in microseconds.
///
/// Ids are mapped to dense integers in sorted order, so sorting by index sorts by id. Intervals are kept
/// per host sorted by start (CSR arrays) with a running maximum of their ends: the overlaps of a range
/// [s, e) on a host are found between the first interval whose running end exceeds s and the last whose
/// start is before e, by two binary searches.
public struct IntervalIndex: Sendable {
    /// VM ids, sorted; a VM's dense index is its position.
    public let vmIDs: [String]
    /// Host ids, sorted.
    public let hostIDs: [String]
    let vmIndex: [String: Int32]
    let hostIndex: [String: Int32]
    let hostOffsets: [Int]
    let hStart: [Int64]
    let hEnd: [Int64]
    let hVM: [Int32]
    let hMaxEnd: [Int64]
    let vmOffsets: [Int]
    let vStart: [Int64]
    let vEnd: [Int64]
    let vHost: [Int32]

    /// Builds the index; open intervals (nil end) run to the end of time.
    public init(_ intervals: [PlacementInterval]) {
        let vms = Array(Set(intervals.map(\.vm))).sorted()
        let hosts = Array(Set(intervals.map(\.host))).sorted()
        var vmIndex: [String: Int32] = [:]
        vmIndex.reserveCapacity(vms.count)
        for (i, v) in vms.enumerated() { vmIndex[v] = Int32(i) }
        var hostIndex: [String: Int32] = [:]
        for (i, h) in hosts.enumerated() { hostIndex[h] = Int32(i) }
        struct Row {
            var vm: Int32
            var host: Int32
            var start: Int64
            var end: Int64
        }
        var rows = intervals.map {
            Row(vm: vmIndex[$0.vm]!, host: hostIndex[$0.host]!, start: $0.start, end: $0.end ?? Int64.max)
        }
        rows.sort { ($0.host, $0.start, $0.vm) < ($1.host, $1.start, $1.vm) }
        var hostOffsets = [Int](repeating: 0, count: hosts.count + 1)
        for r in rows { hostOffsets[Int(r.host) + 1] += 1 }
        for i in 0..<hosts.count { hostOffsets[i + 1] += hostOffsets[i] }
        var hMaxEnd = [Int64](repeating: 0, count: rows.count)
        for h in 0..<hosts.count {
            var m = Int64.min
            for i in hostOffsets[h]..<hostOffsets[h + 1] {
                m = max(m, rows[i].end)
                hMaxEnd[i] = m
            }
        }
        self.hStart = rows.map(\.start)
        self.hEnd = rows.map(\.end)
        self.hVM = rows.map(\.vm)
        self.hMaxEnd = hMaxEnd
        rows.sort { ($0.vm, $0.start) < ($1.vm, $1.start) }
        var vmOffsets = [Int](repeating: 0, count: vms.count + 1)
        for r in rows { vmOffsets[Int(r.vm) + 1] += 1 }
        for i in 0..<vms.count { vmOffsets[i + 1] += vmOffsets[i] }
        self.vStart = rows.map(\.start)
        self.vEnd = rows.map(\.end)
        self.vHost = rows.map(\.host)
        self.vmIDs = vms
        self.hostIDs = hosts
        self.vmIndex = vmIndex
        self.hostIndex = hostIndex
        self.hostOffsets = hostOffsets
        self.vmOffsets = vmOffsets
    }

    /// Number of intervals held.
    public var count: Int { hStart.count }

    /// The dense index of a VM id, if it has any interval.
    public func index(ofVM id: String) -> Int32? { vmIndex[id] }

    /// Appends to `hits` every overlap of another VM with `vm` inside [since, until).
    public func neighbourHits(vm: Int32, since: Timestamp, until: Timestamp, into hits: inout [ExposureHit]) {
        for k in vmOffsets[Int(vm)]..<vmOffsets[Int(vm) + 1] {
            let s = max(vStart[k], since)
            let e = min(vEnd[k], until)
            guard s < e else { continue }
            overlaps(host: vHost[k], from: s, to: e, excluding: vm, into: &hits)
        }
    }

    /// Appends every interval on `host` overlapping [from, to), clipped, except those of `excluding`.
    func overlaps(host: Int32, from s: Timestamp, to e: Timestamp, excluding: Int32, into hits: inout [ExposureHit]) {
        let lo = hostOffsets[Int(host)]
        let hi = hostOffsets[Int(host) + 1]
        // first index whose running max end exceeds s
        var a = lo
        var b = hi
        while a < b {
            let m = (a + b) >> 1
            if hMaxEnd[m] > s { b = m } else { a = m + 1 }
        }
        let first = a
        // first index whose start is >= e
        a = first
        b = hi
        while a < b {
            let m = (a + b) >> 1
            if hStart[m] < e { a = m + 1 } else { b = m }
        }
        var i = first
        while i < a {
            let end = hEnd[i]
            if end > s && hVM[i] != excluding {
                hits.append(ExposureHit(vm: hVM[i], host: host, from: max(hStart[i], s), to: min(end, e)))
            }
            i += 1
        }
    }

    /// Exposure of a VM over [since, until): every other VM that shared a host with it, grouped.
    public func exposure(vm id: String, since: Timestamp, until: Timestamp) -> [ExposureEntry] {
        guard let v = vmIndex[id] else { return [] }
        var hits: [ExposureHit] = []
        neighbourHits(vm: v, since: since, until: until, into: &hits)
        return group(hits)
    }

    /// Exposure of a host over [since, until): every VM placed on it, grouped.
    public func exposure(host id: String, since: Timestamp, until: Timestamp) -> [ExposureEntry] {
        guard let h = hostIndex[id], since < until else { return [] }
        var hits: [ExposureHit] = []
        overlaps(host: h, from: since, to: until, excluding: -1, into: &hits)
        return group(hits)
    }

    func group(_ hits: [ExposureHit]) -> [ExposureEntry] {
        let sorted = hits.sorted { ($0.vm, $0.host, $0.from) < ($1.vm, $1.host, $1.from) }
        var out: [ExposureEntry] = []
        var lastVM: Int32 = -1
        var lastHost: Int32 = -1
        for h in sorted {
            if h.vm == lastVM && h.host == lastHost {
                let n = out.count - 1
                let r = out[n].intervals[out[n].intervals.count - 1]
                if h.from <= r.to {
                    out[n].intervals[out[n].intervals.count - 1].to = max(r.to, h.to)
                } else {
                    out[n].intervals.append(TimeRange(from: h.from, to: h.to))
                }
            } else {
                out.append(
                    ExposureEntry(
                        vm: vmIDs[Int(h.vm)], host: hostIDs[Int(h.host)], intervals: [TimeRange(from: h.from, to: h.to)]
                    ))
                lastVM = h.vm
                lastHost = h.host
            }
        }
        return out
    }
}
