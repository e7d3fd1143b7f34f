import VigilCore

/// What the row writes of an import need beyond the batch, prepared off the writing thread: each VM's appends to
/// its packed history and the closed intervals of each host. Grouped by the batch's slots with counting sorts, so
/// a million records cost no dictionary lookups.
struct ImportLayout: Sendable {
    /// Closed intervals of each host in start order, hosts in id order.
    var closedByHost: [(host: String, intervals: [PlacementInterval])] = []
    /// What each of `batch.vms` appends to its `records` and `past` (`VMHistoryCodec`).
    var vmAppends: [(records: [UInt8], past: [UInt8])] = []
    /// The same for VMs named by records or intervals whose row is not among `batch.vms` (e.g. incidents).
    var otherAppends: [(vm: String, records: [UInt8], past: [UInt8])] = []

    init(_ batch: ImportBatch, firstSeq: Int64) {
        let slots = batch.slots
        let vmCount = slots.vmIDs.count
        let (seqStart, seqs) = Self.group(slots.entryVM, buckets: vmCount) { firstSeq + Int64($0) }
        let (pastStart, past) = Self.group(slots.closedVM, buckets: vmCount) { batch.closedIntervals[$0] }
        /// The packed appends of the VM in slot `s`.
        func appends(_ s: Int) -> (records: [UInt8], past: [UInt8]) {
            (
                VMHistoryCodec.packSeqs(Array(seqs[seqStart[s]..<seqStart[s + 1]])),
                VMHistoryCodec.packIntervals(Array(past[pastStart[s]..<pastStart[s + 1]]))
            )
        }
        var written = [Bool](repeating: false, count: vmCount)
        for slot in slots.vmOf {
            written[Int(slot)] = true
            vmAppends.append(appends(Int(slot)))
        }
        for s in 0..<vmCount where !written[s] && (seqStart[s] < seqStart[s + 1] || pastStart[s] < pastStart[s + 1]) {
            let (records, past) = appends(s)
            otherAppends.append((slots.vmIDs[s], records, past))
        }
        let (hostStart, byHost) = Self.group(slots.closedHost, buckets: slots.hostIDs.count) {
            batch.closedIntervals[$0]
        }
        closedByHost = slots.hostIDs.indices.filter { hostStart[$0] < hostStart[$0 + 1] }
            .map { h in (slots.hostIDs[h], byHost[hostStart[h]..<hostStart[h + 1]].sorted { $0.start < $1.start }) }
            .sorted { $0.host < $1.host }
    }

    /// Counting sort: the positions of `keys` (slot per item, -1 skipped) grouped by slot, as bucket offsets
    /// and the grouped values `value(position)`, in position order within each bucket.
    static func group<T>(_ keys: [Int32], buckets: Int, _ value: (Int) -> T) -> ([Int], [T]) {
        var start = [Int](repeating: 0, count: buckets + 1)
        for k in keys where k >= 0 { start[Int(k) + 1] += 1 }
        for b in 0..<buckets { start[b + 1] += start[b] }
        var next = start
        var positions = [Int](repeating: 0, count: start[buckets])
        for (p, k) in keys.enumerated() where k >= 0 {
            positions[next[Int(k)]] = p
            next[Int(k)] += 1
        }
        return (start, positions.map(value))
    }
}
