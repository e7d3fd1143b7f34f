import VigilCore

/// Vigil's durable store (DESIGN §1): the hash-chained event log, the state derived from it, and the response
/// records (changes, actions, problems, snapshots). Every write is one named, invariant-preserving transaction:
/// ids are allocated inside it, state transitions are compare-and-set, and on error nothing is written.
/// ``VigilDatabase`` (SQLite) implements it; PostgreSQL later behind the same protocol.
public protocol VigilStore: Sendable {
    // MARK: Log and state

    /// Imports documents and event history atomically; `parse` runs while the state loads.
    func importDocuments(
        now: Timestamp, progress: ((ImportPhase) -> Void)?, parse: @escaping @Sendable () throws -> [SourceDocument]
    ) throws -> ImportResult
    /// Group commit: several callers' documents in one transaction, each checked after the ones before it.
    func importGroup(_ requests: [ImportRequest], now: Timestamp, current: inout Cmdb?) throws -> [Result<
        ImportResult, Error
    >]
    /// Changes when another process commits (for long-lived in-memory views).
    func dataVersion() throws -> Int64
    /// Recomputes the hash chain and names the first altered or missing record.
    func verify() throws -> ChainReport
    /// The whole current CMDB.
    func loadCmdb() throws -> Cmdb
    func vm(_ id: String) throws -> VM?
    func host(_ id: String) throws -> Host?
    /// The text of the latest imported document of a kind.
    func documentText(kind: String) throws -> String?
    /// Every incident with its time, oldest first.
    func incidents() throws -> [(time: Timestamp, incident: Incident)]

    // MARK: History

    /// VM → host of every placed VM at `at`, from the history.
    func placements(at: Timestamp) throws -> [String: String]
    func intervals(vm: String) throws -> [PlacementInterval]
    func intervals(overlapping since: Timestamp, until: Timestamp) throws -> [PlacementInterval]
    func intervals(onHosts hosts: [String], since: Timestamp, until: Timestamp) throws -> [PlacementInterval]
    func allIntervals() throws -> [PlacementInterval]
    func records(vm: String) throws -> [LogRecord]
    /// Log records after `seq`, oldest first (live updates, the event stream).
    func records(after seq: Int64, limit: Int) throws -> [LogRecord]
    func headSeq() throws -> Int64
    func historyStart() throws -> Timestamp?
    func historyEnd() throws -> Timestamp
    /// Ids of the VMs configured like `vm` (same template and patch level).
    func identicallyConfigured(as vm: VM) throws -> [String]
    /// Every recorded stretch of IP ownership by a VM, for attributing alerts at their time.
    func addressHistory() throws -> [AddressOwnership]

    // MARK: Response records

    func recordResponse(_ r: ResponseBatch, now: Timestamp, current: inout Cmdb?) throws -> ImportResult
    func startAction(
        incident: String, kind: String, detail: String, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?
    ) throws -> Int64
    @discardableResult
    func finishAction(
        _ id: Int64, state: String, detail: String, snapshot: SnapshotRecord?, path: String?, now: Timestamp
    ) throws -> String?
    func recordProblem(
        incident: String, subject: IncidentSubject, since: Timestamp, until: Timestamp, body: String,
        detail: (String) -> String, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?
    ) throws -> ProblemRecord
    func actions() throws -> [String: [ActionRecord]]
    func problems() throws -> [ProblemRecord]

    // MARK: Changes

    func change(_ id: String) throws -> ChangeRecord?
    func changes(state: ChangeState?) throws -> [ChangeRecord]
    func handovers() throws -> [String: String]
    func proposeChanges(_ drafts: [ChangeDraft], now: Timestamp) throws -> [ChangeRecord]
    func approveChange(_ id: String, by name: String, now: Timestamp) throws -> ChangeRecord
    func rejectChange(_ id: String, by name: String, now: Timestamp) throws -> ChangeRecord
    func startChange(
        _ id: String, from: String, handover: FilterHandover?, batch: ResponseBatch, now: Timestamp,
        current: inout Cmdb?
    ) throws -> ChangeRecord
    func startStandardChange(_ draft: ChangeDraft, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?)
        throws -> ChangeRecord
    func finishChange(_ record: ChangeRecord, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?) throws
        -> ImportResult
    func executingChanges() throws -> [ChangeRecord]
}

extension VigilDatabase: VigilStore {}
