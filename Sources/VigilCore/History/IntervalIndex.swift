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
        var rows = intervals.map { i -> Row in
            guard let vm = vmIndex[i.vm], let host = hostIndex[i.host] else {
                preconditionFailure("every interval's VM and host are indexed above")
            }
            return Row(vm: vm, host: host, start: i.start, end: i.end ?? Int64.max)
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
        hMaxEnd.withUnsafeBufferPointer { maxEnd in
            hStart.withUnsafeBufferPointer { start in
                hEnd.withUnsafeBufferPointer { end in
                    hVM.withUnsafeBufferPointer { vm in
                        // first index whose running max end exceeds s
                        var a = lo
                        var b = hi
                        while a < b {
                            let m = (a + b) >> 1
                            if maxEnd[m] > s { b = m } else { a = m + 1 }
                        }
                        let first = a
                        // first index whose start is >= e
                        a = first
                        b = hi
                        while a < b {
                            let m = (a + b) >> 1
                            if start[m] < e { a = m + 1 } else { b = m }
                        }
                        var i = first
                        while i < a {
                            let x = end[i]
                            if x > s && vm[i] != excluding {
                                hits.append(ExposureHit(vm: vm[i], host: host, from: max(start[i], s), to: min(x, e)))
                            }
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// Exposure of a VM over [since, until): every other VM that shared a host with it, grouped.
    public func exposure(vm id: String, since: Timestamp, until: Timestamp) -> [ExposureEntry] {
        guard let v = vmIndex[id] else { return [] }
        var scratch = ExposureScratch(self)
        return exposure(vm: v, since: since, until: until, scratch: &scratch).entries(in: self)
    }

    /// Exposure of a host over [since, until): every VM placed on it, grouped.
    public func exposure(host id: String, since: Timestamp, until: Timestamp) -> [ExposureEntry] {
        guard let h = hostIndex[id], since < until else { return [] }
        var scratch = ExposureScratch(self)
        scratch.hits.removeAll(keepingCapacity: true)
        overlaps(host: h, from: since, to: until, excluding: -1, into: &scratch.hits)
        return scratch.group().entries(in: self)
    }

    /// The fast path: exposure of VM `vm` (a dense index) using reusable scratch space, no string work.
    public func exposure(vm: Int32, since: Timestamp, until: Timestamp, scratch: inout ExposureScratch)
        -> ExposureResult
    {
        scratch.hits.removeAll(keepingCapacity: true)
        neighbourHits(vm: vm, since: since, until: until, into: &scratch.hits)
        return scratch.group()
    }
}

/// An exposure answer in dense form: entries sorted by VM id then host, each with its ranges.
public struct ExposureResult: Sendable, Hashable {
    /// One (vm, host) pair: dense indexes and the slice `ranges[first..<first+count]`.
    public struct Entry: Sendable, Hashable {
        public var vm: Int32
        public var host: Int32
        public var first: Int32
        public var count: Int32
    }

    public var entries: [Entry] = []
    public var ranges: [TimeRange] = []

    /// The answer with string ids, as printed.
    public func entries(in index: IntervalIndex) -> [ExposureEntry] {
        entries.map { e in
            ExposureEntry(
                vm: index.vmIDs[Int(e.vm)], host: index.hostIDs[Int(e.host)],
                intervals: Array(ranges[Int(e.first)..<Int(e.first + e.count)]))
        }
    }
}

/// Scratch space reused across exposure queries on one index: per-VM chains of hits and a bitmap of the
/// VMs seen, so results come out sorted by VM without a comparison sort. One per thread.
public struct ExposureScratch {
    var hits: [ExposureHit] = []
    var next: [Int32] = []
    var head: [Int32]
    var tail: [Int32]
    var seen: [UInt64]
    var chain: [ExposureHit] = []

    /// Scratch sized for `index`.
    public init(_ index: IntervalIndex) {
        head = [Int32](repeating: -1, count: index.vmIDs.count)
        tail = head
        seen = [UInt64](repeating: 0, count: (index.vmIDs.count + 63) / 64)
    }

    mutating func group() -> ExposureResult {
        var result = ExposureResult()
        let n = hits.count
        guard n > 0 else { return result }
        result.entries.reserveCapacity(n)
        result.ranges.reserveCapacity(n)
        if next.count < n { next = [Int32](repeating: -1, count: max(n, 2 * next.count)) }
        var summary = [UInt64](repeating: 0, count: (seen.count + 63) / 64)
        // Chain each VM's hits (in arrival order) and mark the VM in the bitmap; unchecked buffers: this is
        // the inner loop of every exposure query.
        hits.withUnsafeBufferPointer { hits in
            next.withUnsafeMutableBufferPointer { next in
                head.withUnsafeMutableBufferPointer { head in
                    tail.withUnsafeMutableBufferPointer { tail in
                        seen.withUnsafeMutableBufferPointer { seen in
                            for i in 0..<n {
                                let v = Int(hits[i].vm)
                                next[i] = -1
                                if head[v] < 0 {
                                    head[v] = Int32(i)
                                    seen[v >> 6] |= 1 << UInt64(v & 63)
                                    summary[v >> 12] |= 1 << UInt64((v >> 6) & 63)
                                } else {
                                    next[Int(tail[v])] = Int32(i)
                                }
                                tail[v] = Int32(i)
                            }
                            // Only the words of `seen` that `summary` marks: a query meets a few hundred of
                            // a hundred thousand VMs.
                            for sw in 0..<summary.count where summary[sw] != 0 {
                                var marked = summary[sw]
                                summary[sw] = 0
                                while marked != 0 {
                                    let w = sw << 6 + marked.trailingZeroBitCount
                                    marked &= marked - 1
                                    var bits = seen[w]
                                    seen[w] = 0
                                    while bits != 0 {
                                        let v = w << 6 + bits.trailingZeroBitCount
                                        bits &= bits - 1
                                        var i = head[v]
                                        head[v] = -1
                                        if next[Int(i)] < 0 {
                                            // one overlap: the common case
                                            let h = hits[Int(i)]
                                            result.entries.append(
                                                ExposureResult.Entry(
                                                    vm: h.vm, host: h.host, first: Int32(result.ranges.count), count: 1)
                                            )
                                            result.ranges.append(TimeRange(from: h.from, to: h.to))
                                            continue
                                        }
                                        chain.removeAll(keepingCapacity: true)
                                        while i >= 0 {
                                            // insertion by (host, from): chains are short, usually already ordered
                                            let h = hits[Int(i)]
                                            var k = chain.count
                                            chain.append(h)
                                            while k > 0 && (chain[k - 1].host, chain[k - 1].from) > (h.host, h.from) {
                                                chain[k] = chain[k - 1]
                                                k -= 1
                                            }
                                            chain[k] = h
                                            i = next[Int(i)]
                                        }
                                        var entry = -1
                                        for h in chain {
                                            if entry >= 0, result.entries[entry].host == h.host {
                                                let r = result.ranges.count - 1
                                                if result.ranges[r].to >= h.from {
                                                    result.ranges[r].to = max(result.ranges[r].to, h.to)
                                                } else {
                                                    result.ranges.append(TimeRange(from: h.from, to: h.to))
                                                    result.entries[entry].count += 1
                                                }
                                            } else {
                                                result.entries.append(
                                                    ExposureResult.Entry(
                                                        vm: h.vm, host: h.host, first: Int32(result.ranges.count),
                                                        count: 1)
                                                )
                                                result.ranges.append(TimeRange(from: h.from, to: h.to))
                                                entry = result.entries.count - 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
