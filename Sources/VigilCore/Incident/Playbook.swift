/// What a playbook does for a matching incident (DESIGN §4).
public enum PlaybookAction: String, Sendable, CaseIterable {
    case snapshot, quarantine, evacuate
    case markCompromised = "mark-compromised"
    case exposure
}

/// When a playbook applies: subject kind, minimum severity, and (for VMs) the role in the alert.
public struct PlaybookCondition: Sendable, Hashable {
    public var subject: String?
    public var minSeverity: Severity?
    public var role: String?

    public init(subject: String? = nil, minSeverity: Severity? = nil, role: String? = nil) {
        self.subject = subject
        self.minSeverity = minSeverity
        self.role = role
    }

    /// Whether the incident matches.
    public func matches(_ i: Incident) -> Bool {
        if let subject, subject != i.subject.kind { return false }
        if let minSeverity, i.severity < minSeverity { return false }
        if let role, role != i.role { return false }
        return true
    }
}

/// A named playbook: condition and ordered actions.
public struct Playbook: Sendable, Hashable {
    public var name: String
    public var when: PlaybookCondition
    public var actions: [PlaybookAction]
    /// Exposure lookback (default 30 days).
    public var lookback: Int64

    public init(name: String, when: PlaybookCondition, actions: [PlaybookAction], lookback: Int64 = 30 * 86400) {
        self.name = name
        self.when = when
        self.actions = actions
        self.lookback = lookback
    }
}

/// A `Playbooks` document.
public struct PlaybookSet: Sendable {
    public var playbooks: [Playbook]

    public init(playbooks: [Playbook]) { self.playbooks = playbooks }

    /// Every playbook whose condition matches, in document order.
    public func matching(_ i: Incident) -> [Playbook] { playbooks.filter { $0.when.matches(i) } }
}
