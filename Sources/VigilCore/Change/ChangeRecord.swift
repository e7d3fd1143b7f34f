/// The states of a change (DESIGN §4): proposed → approved → executing → done | failed | rolled-back; or
/// rejected. `executing` is the committed intent of a driver call whose outcome is not recorded yet.
public enum ChangeState: String, Sendable, CaseIterable {
    case proposed, approved, executing, done, failed
    case rolledBack = "rolled-back"
    case rejected
}

/// A change record: one migration with why, who approved it and how it ended.
public struct ChangeRecord: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var vm: String
    public var from: String?
    public var to: String
    public var reason: String
    public var state: ChangeState
    /// Standard changes (playbook actions, pre-authorised plans) run at once without CAB approval.
    public var standard: Bool
    public var approvals: [String]
    /// The incident that caused it, if any.
    public var incident: String?
    /// Anti-spoofing rules removed from the source and added to the target.
    public var handover: FilterHandover?

    public init(
        id: String, kind: String = "migration", vm: String, from: String?, to: String, reason: String,
        state: ChangeState,
        standard: Bool, approvals: [String] = [], incident: String? = nil, handover: FilterHandover? = nil
    ) {
        self.id = id
        self.kind = kind
        self.vm = vm
        self.from = from
        self.to = to
        self.reason = reason
        self.state = state
        self.standard = standard
        self.approvals = approvals
        self.incident = incident
        self.handover = handover
    }
}

/// The lifecycle of a change as an I/O-free state machine: each input returns what to do next.
public struct ChangeLifecycle: Sendable {
    /// What the shell must do after an input.
    public enum Action: Sendable, Hashable {
        /// Commit the intent (`start`), carry the migration out through the driver, then report `executed` or
        /// `executionFailed`.
        case execute
        /// Record the new state; nothing else to do.
        case record(ChangeState)
        /// The input is not allowed in this state; say why.
        case refuse(String)
    }

    public private(set) var change: ChangeRecord

    public init(_ change: ChangeRecord) { self.change = change }

    /// A standard change is pre-authorised: it is approved and executed at once.
    public mutating func submit() -> Action {
        guard change.state == .proposed else {
            return .refuse("\(change.id) is \(change.state.rawValue), not proposed")
        }
        if change.standard {
            change.state = .approved
            change.approvals = ["standard"]
            return .execute
        }
        return .record(.proposed)
    }

    /// A CAB member approves a proposed change; it then runs.
    public mutating func approve(by name: String) -> Action {
        guard change.state == .proposed else {
            return .refuse("\(change.id) is \(change.state.rawValue); only proposed changes can be approved")
        }
        change.approvals.append(name)
        change.state = .approved
        return .execute
    }

    /// A CAB member rejects a proposed change.
    public mutating func reject(by name: String) -> Action {
        guard change.state == .proposed else {
            return .refuse("\(change.id) is \(change.state.rawValue); only proposed changes can be rejected")
        }
        change.state = .rejected
        change.approvals.append("rejected by \(name)")
        return .record(.rejected)
    }

    /// The intent to carry out an approved change: recorded (committed) before the driver is called.
    public mutating func start() -> Action {
        guard change.state == .approved else {
            return .refuse("\(change.id) is \(change.state.rawValue); only approved changes can start")
        }
        change.state = .executing
        return .record(.executing)
    }

    /// The driver carried the change out.
    public mutating func executed() -> Action {
        guard change.state == .executing else { return .refuse(notExecuting) }
        change.state = .done
        return .record(.done)
    }

    /// The driver failed; `rolledBack` when it restored the previous placement.
    public mutating func executionFailed(rolledBack: Bool) -> Action {
        guard change.state == .executing else { return .refuse(notExecuting) }
        change.state = rolledBack ? .rolledBack : .failed
        return .record(change.state)
    }

    /// An approved change that is not carried out after all (e.g. no longer feasible when its turn came).
    public mutating func abandoned() -> Action {
        guard change.state == .approved else {
            return .refuse("\(change.id) is \(change.state.rawValue); only approved changes can be abandoned")
        }
        change.state = .failed
        return .record(.failed)
    }

    /// A change left `executing` by a crash (intent without outcome), settled by where the driver says the VM
    /// runs now: on the target, it is done; anywhere else, it failed (the VM did not arrive).
    public mutating func reconcile(vmRunsOn host: String?) -> Action {
        guard change.state == .executing else { return .refuse(notExecuting) }
        change.state = host == change.to ? .done : .failed
        return .record(change.state)
    }

    var notExecuting: String { "\(change.id) is \(change.state.rawValue), not executing" }
}
