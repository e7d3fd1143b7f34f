/// One decided response step for an incident, before the driver carries it out.
public enum ResponseStep: Sendable, Hashable {
    /// Forensic snapshot of a VM from outside.
    case snapshot(vm: String)
    /// Quarantine: VM state `quarantined`, migrated to a quarantine host with room.
    case quarantine(vm: String, from: String?, to: String)
    /// No quarantine host has room: the VM is isolated by filter where it is (state `quarantined`).
    case isolate(vm: String, host: String?, reason: String)
    /// Mark a host compromised.
    case markCompromised(host: String)
    /// Move one VM off an evacuated host.
    case evacuate(vm: String, from: String, to: String)
    /// A VM that cannot leave an evacuated host (no feasible host).
    case stranded(vm: String, host: String, reason: String)
    /// Open a problem record with the exposure since `since`.
    case exposure(subject: IncidentSubject, since: Timestamp)
    /// The subject is a VM already quarantined or an unknown address: nothing to move.
    case skipped(action: PlaybookAction, reason: String)

    /// The action kind as recorded (`snapshot`, `quarantine`, …).
    public var kind: String {
        switch self {
        case .snapshot: "snapshot"
        case .quarantine: "quarantine"
        case .isolate: "isolate"
        case .markCompromised: "mark-compromised"
        case .evacuate: "evacuate"
        case .stranded: "stranded"
        case .exposure: "exposure"
        case .skipped(let a, _): a.rawValue
        }
    }
}

/// What Vigil decided for one incident: the matching playbooks and the steps, in order.
public struct ResponseDecision: Sendable, Hashable {
    public var incident: Incident
    public var playbooks: [String]
    public var steps: [ResponseStep]

    public init(incident: Incident, playbooks: [String], steps: [ResponseStep]) {
        self.incident = incident
        self.playbooks = playbooks
        self.steps = steps
    }
}
