/// What a request may do (DESIGN §8 roles).
enum Permission: Sendable {
    /// Read the CMDB, history, audit, incidents, changes.
    case read
    /// Import documents and events, propose plans.
    case write
    /// Apply a plan as pre-authorised standard changes.
    case applyPreAuthorised
    /// Approve or reject changes.
    case decideChanges
    /// Post alerts.
    case postAlerts
}

/// A token's role: `admin`, `operator`, `cab`, `auditor`, `ids` or `tenant:<id>`.
enum Role: Sendable, Hashable {
    case admin, `operator`, cab, auditor, ids
    case tenant(String)

    init?(_ text: String) {
        switch text {
        case "admin": self = .admin
        case "operator": self = .operator
        case "cab": self = .cab
        case "auditor": self = .auditor
        case "ids": self = .ids
        default:
            guard text.hasPrefix("tenant:"), text.count > 7 else { return nil }
            self = .tenant(String(text.dropFirst(7)))
        }
    }

    /// Whether the role grants `p`. A tenant's own view has routes of its own; no general permission.
    func allows(_ p: Permission) -> Bool {
        switch (self, p) {
        case (.admin, _): true
        case (.operator, .read), (.operator, .write), (.operator, .applyPreAuthorised): true
        case (.cab, .read), (.cab, .decideChanges): true
        case (.auditor, .read): true
        case (.ids, .postAlerts): true
        default: false
        }
    }
}

/// Who made a request: the token's name (recorded with every write) and role.
struct Identity: Sendable, Hashable {
    var name: String
    var role: Role
}
