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

/// Everything one batch of incident response records, written in one transaction.
public struct ResponseBatch: Sendable {
    /// Incidents and the placement/state events the actions caused, in order.
    public var events: [Event] = []
    /// New or updated change records.
    public var changes: [ChangeRecord] = []
    public var actions: [ActionRecord] = []
    public var problems: [ProblemRecord] = []

    public init() {}

    public var isEmpty: Bool { events.isEmpty && changes.isEmpty && actions.isEmpty && problems.isEmpty }
}
