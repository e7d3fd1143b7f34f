/// How serious an incident is; ordered low < medium < high < critical.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// What an incident concerns: a VM, a host, or an address Vigil could not attribute.
public enum IncidentSubject: Sendable, Hashable {
    case vm(String)
    case host(String)
    case unmatched(String)

    /// The subject's kind as written in JSON (`vm`, `host`, `unmatched`).
    public var kind: String {
        switch self {
        case .vm: "vm"
        case .host: "host"
        case .unmatched: "unmatched"
        }
    }

    /// The id or address.
    public var value: String {
        switch self {
        case .vm(let v), .host(let v), .unmatched(let v): v
        }
    }

    /// The subject stored as `kind` and `value` (an unknown kind reads as unmatched).
    public init(kind: String, value: String) {
        self = kind == "vm" ? .vm(value) : kind == "host" ? .host(value) : .unmatched(value)
    }
}

/// A security incident, from an IDS alert or recorded directly.
public struct Incident: Sendable, Hashable {
    public var id: String
    public var subject: IncidentSubject
    public var severity: Severity
    public var source: String
    public var signature: String
    /// `attacker` or `victim` when the subject was found by an alert's address.
    public var role: String?

    public init(
        id: String, subject: IncidentSubject, severity: Severity, source: String, signature: String,
        role: String? = nil
    ) {
        self.id = id
        self.subject = subject
        self.severity = severity
        self.source = source
        self.signature = signature
        self.role = role
    }
}
