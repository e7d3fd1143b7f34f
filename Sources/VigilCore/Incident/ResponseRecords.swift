/// One carried-out (or refused) response action, as recorded for `vigil incidents`.
public struct ActionRecord: Sendable, Hashable {
    public var incident: String
    public var kind: String
    /// `done`, `failed`, `isolated`, `skipped`, `stranded`.
    public var state: String
    public var change: String?
    public var detail: String

    public init(incident: String, kind: String, state: String, change: String?, detail: String) {
        self.incident = incident
        self.kind = kind
        self.state = state
        self.change = change
        self.detail = detail
    }
}

/// A problem record: the exposure of an incident's subject and its identically configured VMs.
public struct ProblemRecord: Sendable, Hashable {
    public var id: String
    public var incident: String
    public var subject: IncidentSubject
    public var since: Timestamp
    public var until: Timestamp
    /// The exposure as JSON (the shape of `vigil exposure --json`).
    public var body: String

    public init(
        id: String, incident: String, subject: IncidentSubject, since: Timestamp, until: Timestamp, body: String
    ) {
        self.id = id
        self.incident = incident
        self.subject = subject
        self.since = since
        self.until = until
        self.body = body
    }
}

/// Incidents, the events response caused and finished action records, written in one transaction. Records
/// that need an id (changes, problems, snapshots) have named transactions of their own that allocate it.
public struct ResponseBatch: Sendable {
    /// Outcomes of started actions, written first (before the next driver call's intent, in its transaction).
    public var finishes: [ActionFinish] = []
    /// Incidents and the placement/state events the actions caused, in order.
    public var events: [Event] = []
    public var actions: [ActionRecord] = []

    public init(events: [Event] = [], actions: [ActionRecord] = []) {
        self.events = events
        self.actions = actions
    }

    public var isEmpty: Bool { finishes.isEmpty && events.isEmpty && actions.isEmpty }
}

/// The outcome of a started action (compare-and-set on `started`), with the snapshot it took, if any.
public struct ActionFinish: Sendable {
    public var id: Int64
    public var state: String
    public var detail: String
    public var snapshot: SnapshotRecord?
    public var path: String?

    public init(id: Int64, state: String, detail: String, snapshot: SnapshotRecord? = nil, path: String? = nil) {
        self.id = id
        self.state = state
        self.detail = detail
        self.snapshot = snapshot
        self.path = path
    }
}

/// A change not yet recorded: the store allocates its id in the transaction that writes it.
public struct ChangeDraft: Sendable, Hashable {
    public var vm: String
    public var from: String?
    public var to: String
    public var reason: String
    public var standard: Bool
    public var incident: String?
    public var handover: FilterHandover?

    public init(
        vm: String, from: String?, to: String, reason: String, standard: Bool, incident: String? = nil,
        handover: FilterHandover? = nil
    ) {
        self.vm = vm
        self.from = from
        self.to = to
        self.reason = reason
        self.standard = standard
        self.incident = incident
        self.handover = handover
    }

    /// The record this draft becomes under `id`, in state `proposed`.
    public func record(id: String) -> ChangeRecord {
        ChangeRecord(
            id: id, vm: vm, from: from, to: to, reason: reason, state: .proposed, standard: standard,
            incident: incident, handover: handover)
    }
}
