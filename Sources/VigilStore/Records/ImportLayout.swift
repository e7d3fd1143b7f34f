import VigilCore

/// What the row writes of an import need beyond the batch, prepared off the writing thread (see `HashChain`):
/// the log records and closed intervals of each VM, and the closed intervals of each host. Grouped by the
/// batch's slots with counting sorts, so a million records cost no dictionary lookups.
struct ImportLayout: Sendable {
    /// Sequence numbers of the records naming each VM slot: `seqs[seqStart[s]..<seqStart[s + 1]]`.
    private var seqs: [Int64] = []
    private var seqStart: [Int] = [0]
    /// Indices into `closedIntervals` of each VM slot, likewise.
    private var past: [Int32] = []
    private var pastStart: [Int] = [0]
    /// Records and intervals of VMs without a slot (not expected from the planner; kept for safety).
    private var extraSeqs: [String: [Int64]] = [:]
    private var extraPast: [String: [PlacementInterval]] = [:]
    /// Closed intervals of each host in start order, hosts in id order.
    var closedByHost: [(host: String, intervals: [PlacementInterval])] = []
    /// What each of `batch.vms` appends to its `records` and `past` (`VMHistoryCodec`), packed here.
    var vmAppends: [(records: [UInt8], past: [UInt8])] = []
    /// The same for VMs named by records or intervals whose row is not among `batch.vms` (e.g. incidents).
    var otherAppends: [(vm: String, records: [UInt8], past: [UInt8])] = []

    init() {}

    init(_ batch: ImportBatch, firstSeq: Int64) {
        let slots = batch.slots
        let vmCount = slots.vmIDs.count
        (seqStart, seqs) = Self.group(slots.entryVM, buckets: vmCount) { firstSeq + Int64($0) }
        (pastStart, past) = Self.group(slots.closedVM, buckets: vmCount) { Int32($0) }
        for (k, e) in batch.entries.enumerated() where slots.entryVM[k] < 0 {
            if let vm = e.vm { extraSeqs[vm, default: []].append(firstSeq + Int64(k)) }
        }
        for (k, i) in batch.closedIntervals.enumerated() where slots.closedVM[k] < 0 {
            extraPast[i.vm, default: []].append(i)
        }
        let (hostStart, byHost) = Self.group(slots.closedHost, buckets: slots.hostIDs.count) { $0 }
        var hosts: [(host: String, intervals: [PlacementInterval])] = []
        for h in slots.hostIDs.indices where hostStart[h] < hostStart[h + 1] {
            let intervals = byHost[hostStart[h]..<hostStart[h + 1]].map { batch.closedIntervals[$0] }
            hosts.append((slots.hostIDs[h], intervals.sorted { $0.start < $1.start }))
        }
        // Intervals closed on a host without a slot (one the tracker did not know then) join its group by name.
        var unslotted: [String: [PlacementInterval]] = [:]
        for (k, i) in batch.closedIntervals.enumerated() where slots.closedHost[k] < 0 {
            unslotted[i.host, default: []].append(i)
        }
        if !unslotted.isEmpty {
            for k in hosts.indices {
                if let more = unslotted.removeValue(forKey: hosts[k].host) {
                    hosts[k].intervals = (hosts[k].intervals + more).sorted { $0.start < $1.start }
                }
            }
            hosts += unslotted.map { ($0.key, $0.value.sorted { $0.start < $1.start }) }
        }
        closedByHost = hosts.sorted { $0.host < $1.host }
        var written = [Bool](repeating: false, count: vmCount)
        for (v, slot) in zip(batch.vms, slots.vmOf) {
            written[Int(slot)] = true
            vmAppends.append(
                (
                    VMHistoryCodec.packSeqs(seqs(slot: slot, vm: v.id)),
                    VMHistoryCodec.packIntervals(past(slot: slot, vm: v.id, in: batch))
                ))
        }
        for (slot, id) in namedVMs(batch) {
            if slot >= 0 ? written[Int(slot)] : batch.tracks[id] != nil { continue }
            otherAppends.append(
                (
                    id, VMHistoryCodec.packSeqs(seqs(slot: slot, vm: id)),
                    VMHistoryCodec.packIntervals(past(slot: slot, vm: id, in: batch))
                ))
        }
    }

    /// Counting sort: the positions of `keys` (slot per item, -1 skipped) grouped by slot, as bucket offsets
    /// and the grouped values `value(position)`, in position order within each bucket.
    static func group<T>(_ keys: [Int32], buckets: Int, _ value: (Int) -> T) -> ([Int], [T]) {
        var start = [Int](repeating: 0, count: buckets + 1)
        for k in keys where k >= 0 { start[Int(k) + 1] += 1 }
        for b in 0..<buckets { start[b + 1] += start[b] }
        var next = start
        var out = [T?](repeating: nil, count: start[buckets])
        for (p, k) in keys.enumerated() where k >= 0 {
            out[next[Int(k)]] = value(p)
            next[Int(k)] += 1
        }
        return (start, out.map { $0! })
    }

    /// The sequence numbers of the records naming the VM in `slot` (-1: look up by id).
    func seqs(slot: Int32, vm: String) -> [Int64] {
        guard slot >= 0, Int(slot) + 1 < seqStart.count else { return extraSeqs[vm] ?? [] }
        return Array(seqs[seqStart[Int(slot)]..<seqStart[Int(slot) + 1]]) + (extraSeqs[vm] ?? [])
    }

    /// The closed intervals of the VM in `slot`.
    func past(slot: Int32, vm: String, in batch: ImportBatch) -> [PlacementInterval] {
        guard slot >= 0, Int(slot) + 1 < pastStart.count else { return extraPast[vm] ?? [] }
        return past[pastStart[Int(slot)]..<pastStart[Int(slot) + 1]].map { batch.closedIntervals[Int($0)] }
            + (extraPast[vm] ?? [])
    }

    /// VMs with records or closed intervals, by slot, then those without one: (slot, id) pairs.
    func namedVMs(_ batch: ImportBatch) -> [(slot: Int32, vm: String)] {
        var out: [(slot: Int32, vm: String)] = []
        for s in batch.slots.vmIDs.indices
        where seqStart[s] < seqStart[s + 1] || pastStart[s] < pastStart[s + 1] {
            out.append((Int32(s), batch.slots.vmIDs[s]))
        }
        let slotted = Set(out.map(\.vm))
        for vm in Set(extraSeqs.keys).union(extraPast.keys).sorted() where !slotted.contains(vm) {
            out.append((-1, vm))
        }
        return out
    }
}
