/// One live migration of a VM with its anti-spoofing rules handed over (DESIGN §4): the rules go onto the
/// target host before the VM runs there and come off the source host after it has left.
///
/// I/O-free: every input returns the next ``Action`` for a shell to perform, and the shell reports the
/// result back as the next input. An input that does not fit the current state throws
/// ``MigrationStateMachineError/invalidTransition(vm:input:state:)`` and leaves the state unchanged.
///
/// - success: idle → filtersOnTarget → migrating → filtersOffSource → done
/// - applying the target's rules fails: filtersOnTarget → failed (nothing to undo)
/// - the migration fails: migrating → rollingBack (target's rules removed, VM stays on source) → rolledBack
/// - removing the source's rules fails: filtersOffSource → done with leftover filters (the VM did move)
/// - removing the target's rules while rolling back fails: rollingBack → rolledBack with leftover filters
public struct MigrationStateMachine: Sendable, Hashable {
    /// Where the migration stands.
    public enum State: Sendable, Hashable {
        /// Not started.
        case idle
        /// The VM's rules are being applied to the target host; the VM still runs on the source.
        case filtersOnTarget
        /// The hypervisor is moving the VM; the target already filters its interfaces.
        case migrating
        /// The VM runs on the target; its rules are being removed from the source host.
        case filtersOffSource
        /// The migration failed; the rules are being removed from the target again. The VM stays on the source.
        case rollingBack(reason: String)
        /// The VM runs on the target. `leftoverFilters`: its rules could not be removed from the source.
        case done(leftoverFilters: Bool)
        /// Applying the rules to the target failed; nothing changed.
        case failed(reason: String)
        /// The migration failed and the VM stays on the source. `leftoverFilters`: the target still holds its rules.
        case rolledBack(reason: String, leftoverFilters: Bool)

        /// The state's name as used in messages (`filtersOnTarget`).
        public var name: String {
            switch self {
            case .idle: "idle"
            case .filtersOnTarget: "filtersOnTarget"
            case .migrating: "migrating"
            case .filtersOffSource: "filtersOffSource"
            case .rollingBack: "rollingBack"
            case .done: "done"
            case .failed: "failed"
            case .rolledBack: "rolledBack"
            }
        }
    }

    /// What the shell must do next.
    public enum Action: Sendable, Hashable {
        /// Apply these anti-spoofing rules on `host`; answer `filtersApplied()` or `stepFailed(reason:)`.
        case applyFilters(host: String, rules: [AntiSpoofRule])
        /// Live-migrate the VM; answer `migrationSucceeded()` or `migrationFailed(reason:)`.
        case migrate(vm: String, from: String, to: String)
        /// Remove the VM's anti-spoofing rules from `host`; answer `filtersRemoved()` or `stepFailed(reason:)`.
        case removeFilters(host: String, vm: String)
        /// The migration is over; nothing more to do.
        case complete(MigrationOutcome)
    }

    /// The VM being migrated.
    public let vm: String
    /// The host the VM runs on before the migration.
    public let source: String
    /// The host the VM should run on afterwards.
    public let target: String
    /// The VM's anti-spoofing rules, moved from source to target.
    public let rules: [AntiSpoofRule]
    /// Where the migration stands.
    public private(set) var state: State = .idle
    /// How the migration ended, once it has.
    public private(set) var outcome: MigrationOutcome?

    /// A migration of `vm` from `source` to `target`, moving `rules` (normally `AntiSpoofRule.rules(for:)`).
    /// - Throws: when an id is empty, source and target are the same host, or a rule belongs to another VM.
    public init(
        vm: String, from source: String, to target: String, rules: [AntiSpoofRule]
    ) throws(MigrationStateMachineError) {
        for (field, value) in [("vm", vm), ("from", source), ("to", target)] where value.isEmpty {
            throw .emptyIdentifier(field: field)
        }
        guard source != target else { throw .sameHost(vm: vm, host: source) }
        if let foreign = rules.first(where: { $0.vm != vm }) {
            throw .foreignRule(vm: vm, ruleVM: foreign.vm, interface: foreign.interface)
        }
        self.vm = vm
        self.source = source
        self.target = target
        self.rules = rules
    }

    /// Starts the migration: the target host gets the VM's rules first.
    public mutating func start() throws(MigrationStateMachineError) -> Action {
        guard state == .idle else { throw invalid("start") }
        state = .filtersOnTarget
        return .applyFilters(host: target, rules: rules)
    }

    /// The rules are on the target: the hypervisor may move the VM.
    public mutating func filtersApplied() throws(MigrationStateMachineError) -> Action {
        guard state == .filtersOnTarget else { throw invalid("filtersApplied") }
        state = .migrating
        return .migrate(vm: vm, from: source, to: target)
    }

    /// The VM now runs on the target: its rules come off the source.
    public mutating func migrationSucceeded() throws(MigrationStateMachineError) -> Action {
        guard state == .migrating else { throw invalid("migrationSucceeded") }
        state = .filtersOffSource
        return .removeFilters(host: source, vm: vm)
    }

    /// The hypervisor could not move the VM, which still runs on the source: the target's rules come off again.
    public mutating func migrationFailed(reason: String) throws(MigrationStateMachineError) -> Action {
        guard state == .migrating else { throw invalid("migrationFailed") }
        state = .rollingBack(reason: reason)
        return .removeFilters(host: target, vm: vm)
    }

    /// The rules were removed from the host named by the last `removeFilters` action.
    public mutating func filtersRemoved() throws(MigrationStateMachineError) -> Action {
        switch state {
        case .filtersOffSource:
            return finish(.done(leftoverFilters: false), .done)
        case .rollingBack(let reason):
            return finish(.rolledBack(reason: reason, leftoverFilters: false), .rolledBack(reason: reason))
        default:
            throw invalid("filtersRemoved")
        }
    }

    /// A filter step failed: applying to the target (nothing to undo), removing from the source after the move
    /// (done, with leftover rules on the source to retry), or removing from the target while rolling back.
    public mutating func stepFailed(reason: String) throws(MigrationStateMachineError) -> Action {
        switch state {
        case .filtersOnTarget:
            return finish(.failed(reason: reason), .failed(reason: reason))
        case .filtersOffSource:
            let leftover = LeftoverFilters(host: source, vm: vm, reason: reason)
            return finish(.done(leftoverFilters: true), .doneWithLeftoverFilters(leftover))
        case .rollingBack(let migrationReason):
            let leftover = LeftoverFilters(host: target, vm: vm, reason: reason)
            return finish(
                .rolledBack(reason: migrationReason, leftoverFilters: true),
                .rolledBackWithLeftoverFilters(reason: migrationReason, leftover))
        default:
            throw invalid("stepFailed")
        }
    }

    private mutating func finish(_ final: State, _ result: MigrationOutcome) -> Action {
        state = final
        outcome = result
        return .complete(result)
    }

    private func invalid(_ input: String) -> MigrationStateMachineError {
        .invalidTransition(vm: vm, input: input, state: state)
    }
}

/// Anti-spoofing rules left on a host the VM does not run on; retry `removeFilter(host:vm:)` to clean up.
public struct LeftoverFilters: Sendable, Hashable {
    /// The host still holding the rules.
    public var host: String
    /// The VM the rules belong to.
    public var vm: String
    /// Why removing them failed.
    public var reason: String

    public init(host: String, vm: String, reason: String) {
        self.host = host
        self.vm = vm
        self.reason = reason
    }
}

/// How a migration ended. The change record follows it: `done*` → done, `failed` → failed, `rolledBack*` → rolled-back.
public enum MigrationOutcome: Sendable, Hashable {
    /// The VM runs on the target; its rules are on the target only.
    case done
    /// The VM runs on the target, but its rules are still on the source too.
    case doneWithLeftoverFilters(LeftoverFilters)
    /// Nothing changed: the rules could not be applied to the target (or the request was invalid).
    case failed(reason: String)
    /// The VM stays on the source; the target's rules were removed again.
    case rolledBack(reason: String)
    /// The VM stays on the source, but the target still holds its rules.
    case rolledBackWithLeftoverFilters(reason: String, LeftoverFilters)

    /// Whether the VM now runs on the target.
    public var vmMoved: Bool {
        switch self {
        case .done, .doneWithLeftoverFilters: true
        case .failed, .rolledBack, .rolledBackWithLeftoverFilters: false
        }
    }

    /// Rules left on a host the VM does not run on, if any.
    public var leftoverFilters: LeftoverFilters? {
        switch self {
        case .doneWithLeftoverFilters(let l), .rolledBackWithLeftoverFilters(_, let l): l
        case .done, .failed, .rolledBack: nil
        }
    }
}

/// A migration request that cannot start, or an input the migration's state does not allow.
public enum MigrationStateMachineError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyIdentifier(field: String)
    case sameHost(vm: String, host: String)
    case foreignRule(vm: String, ruleVM: String, interface: String)
    /// A bug in the shell driving the machine: it reported a result no action asked for.
    case invalidTransition(vm: String, input: String, state: MigrationStateMachine.State)

    /// A stable code for the error kind.
    public var code: String {
        switch self {
        case .emptyIdentifier: "migration.empty-id"
        case .sameHost: "migration.same-host"
        case .foreignRule: "migration.foreign-rule"
        case .invalidTransition: "migration.invalid-transition"
        }
    }

    public var description: String {
        switch self {
        case .emptyIdentifier(let field):
            "migration request has an empty \(field); give the id of the \(field == "vm" ? "VM" : "host")"
        case .sameHost(let vm, let host):
            "\(vm) would migrate from \(host) to itself; choose a different target host"
        case .foreignRule(let vm, let ruleVM, let interface):
            "anti-spoofing rule for interface \(interface) belongs to \(ruleVM), not \(vm); pass only \(vm)'s rules"
        case .invalidTransition(let vm, let input, let state):
            "migration of \(vm): \(input) is not valid in state \(state.name) (a bug in the code driving the migration)"
        }
    }
}
