import VigilCore

/// What the row writes of an import need beyond the batch, prepared off the writing thread (see `HashChain`):
/// the log records and closed intervals of each VM, and the order to insert intervals in.
struct ImportLayout: Sendable {
    /// Sequence numbers of the records naming each VM.
    var seqs: [String: [Int64]] = [:]
    /// Closed intervals of each VM.
    var past: [String: [PlacementInterval]] = [:]
    /// `closedIntervals + openIntervals` indices in (host, start) order: inserting in key order appends to the
    /// clustered B-tree instead of scattering writes over it.
    var intervalOrder: [Int] = []

    init() {}

    init(_ batch: ImportBatch, firstSeq: Int64) {
        for (k, e) in batch.entries.enumerated() {
            if let vm = e.vm { seqs[vm, default: []].append(firstSeq + Int64(k)) }
        }
        for i in batch.closedIntervals { past[i.vm, default: []].append(i) }
        // Hosts are ranked once so the sort compares integers, not strings.
        let all = batch.closedIntervals + batch.openIntervals
        let rank = Dictionary(uniqueKeysWithValues: Set(all.map(\.host)).sorted().enumerated().map { ($1, $0) })
        let keys = all.map { (rank[$0.host]!, $0.start) }
        intervalOrder = all.indices.sorted { keys[$0] < keys[$1] }
    }
}
