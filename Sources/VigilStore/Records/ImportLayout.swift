import VigilCore

/// What the row writes of an import need beyond the batch, prepared off the writing thread (see `HashChain`):
/// the log records and closed intervals of each VM, and the closed intervals of each host.
struct ImportLayout: Sendable {
    /// Sequence numbers of the records naming each VM.
    var seqs: [String: [Int64]] = [:]
    /// Closed intervals of each VM.
    var past: [String: [PlacementInterval]] = [:]
    /// Closed intervals of each host in start order, hosts in id order.
    var closedByHost: [(host: String, intervals: [PlacementInterval])] = []

    init() {}

    init(_ batch: ImportBatch, firstSeq: Int64) {
        for (k, e) in batch.entries.enumerated() {
            if let vm = e.vm { seqs[vm, default: []].append(firstSeq + Int64(k)) }
        }
        for i in batch.closedIntervals { past[i.vm, default: []].append(i) }
        var byHost: [String: [PlacementInterval]] = [:]
        for i in batch.closedIntervals { byHost[i.host, default: []].append(i) }
        closedByHost = byHost.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted { $0.start < $1.start }) }
    }
}
