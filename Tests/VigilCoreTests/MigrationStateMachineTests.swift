import Testing
import VigilCore

@Suite struct MigrationStateMachineTests {
    /// One input to the machine, so that paths can be written as tables.
    enum Input: Sendable, Hashable, CaseIterable, CustomTestStringConvertible {
        case start, filtersApplied, migrationSucceeded, migrationFailed, filtersRemoved, stepFailed

        var testDescription: String { name }

        /// The method's name, as invalid-transition errors name it.
        var name: String {
            switch self {
            case .start: "start"
            case .filtersApplied: "filtersApplied"
            case .migrationSucceeded: "migrationSucceeded"
            case .migrationFailed: "migrationFailed"
            case .filtersRemoved: "filtersRemoved"
            case .stepFailed: "stepFailed"
            }
        }
    }

    /// One step of a path: the input given, the action returned and the state afterwards.
    struct Step: Sendable {
        var input: Input
        var reason: String
        var action: MigrationStateMachine.Action
        var state: MigrationStateMachine.State

        init(_ input: Input, _ action: MigrationStateMachine.Action, _ state: MigrationStateMachine.State) {
            self.init(input, "", action, state)
        }

        init(
            _ input: Input, _ reason: String, _ action: MigrationStateMachine.Action,
            _ state: MigrationStateMachine.State
        ) {
            self.input = input
            self.reason = reason
            self.action = action
            self.state = state
        }
    }

    struct Path: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var outcome: MigrationOutcome
        var testDescription: String { name }
    }

    static let rules = [
        AntiSpoofRule(vm: "vm-1", interface: "vg00000001-0", mac: "52:54:00:00:00:01", ips: ["10.0.0.1"]),
        AntiSpoofRule(vm: "vm-1", interface: "vg00000001-1", mac: "52:54:00:00:00:02", ips: ["10.0.1.1"]),
    ]

    static func machine() -> MigrationStateMachine {
        try! MigrationStateMachine(vm: "vm-1", from: "h-1", to: "h-2", rules: rules)
    }

    static let sourceLeftover = LeftoverFilters(host: "h-1", vm: "vm-1", reason: "nft busy")
    static let targetLeftover = LeftoverFilters(host: "h-2", vm: "vm-1", reason: "nft busy")

    // The shared prefix of every path that gets the VM to migrate.
    static let toMigrating = [
        Step(.start, .applyFilters(host: "h-2", rules: rules), .filtersOnTarget),
        Step(.filtersApplied, .migrate(vm: "vm-1", from: "h-1", to: "h-2"), .migrating),
    ]

    static let paths: [Path] = [
        Path(
            name: "success",
            steps: toMigrating + [
                Step(.migrationSucceeded, .removeFilters(host: "h-1", vm: "vm-1"), .filtersOffSource),
                Step(.filtersRemoved, .complete(.done), .done(leftoverFilters: false)),
            ], outcome: .done),
        Path(
            name: "target filters fail",
            steps: [
                Step(.start, .applyFilters(host: "h-2", rules: rules), .filtersOnTarget),
                Step(
                    .stepFailed, "no such table", .complete(.failed(reason: "no such table")),
                    .failed(reason: "no such table")),
            ], outcome: .failed(reason: "no such table")),
        Path(
            name: "migration fails, rolled back",
            steps: toMigrating + [
                Step(
                    .migrationFailed, "link down", .removeFilters(host: "h-2", vm: "vm-1"),
                    .rollingBack(reason: "link down")),
                Step(
                    .filtersRemoved, .complete(.rolledBack(reason: "link down")),
                    .rolledBack(reason: "link down", leftoverFilters: false)),
            ], outcome: .rolledBack(reason: "link down")),
        Path(
            name: "migration fails, target cleanup fails",
            steps: toMigrating + [
                Step(
                    .migrationFailed, "link down", .removeFilters(host: "h-2", vm: "vm-1"),
                    .rollingBack(reason: "link down")),
                Step(
                    .stepFailed, "nft busy",
                    .complete(.rolledBackWithLeftoverFilters(reason: "link down", targetLeftover)),
                    .rolledBack(reason: "link down", leftoverFilters: true)),
            ], outcome: .rolledBackWithLeftoverFilters(reason: "link down", targetLeftover)),
        Path(
            name: "source cleanup fails after the move",
            steps: toMigrating + [
                Step(.migrationSucceeded, .removeFilters(host: "h-1", vm: "vm-1"), .filtersOffSource),
                Step(
                    .stepFailed, "nft busy", .complete(.doneWithLeftoverFilters(sourceLeftover)),
                    .done(leftoverFilters: true)),
            ], outcome: .doneWithLeftoverFilters(sourceLeftover)),
    ]

    @Test(arguments: paths)
    func pathProducesExactActionsAndStates(path: Path) throws {
        var m = Self.machine()
        #expect(m.state == .idle)
        for step in path.steps {
            #expect(m.outcome == nil)
            let action = try m.handle(step.input, reason: step.reason)
            #expect(action == step.action, "after \(step.input.name)")
            #expect(m.state == step.state, "after \(step.input.name)")
        }
        #expect(m.outcome == path.outcome)
    }

    /// Every reachable state with the inputs it accepts; every other input must throw.
    static let accepted: [(prefix: [Input], state: MigrationStateMachine.State, valid: Set<Input>)] = [
        ([], .idle, [.start]),
        ([.start], .filtersOnTarget, [.filtersApplied, .stepFailed]),
        ([.start, .filtersApplied], .migrating, [.migrationSucceeded, .migrationFailed]),
        ([.start, .filtersApplied, .migrationSucceeded], .filtersOffSource, [.filtersRemoved, .stepFailed]),
        ([.start, .filtersApplied, .migrationFailed], .rollingBack(reason: "r"), [.filtersRemoved, .stepFailed]),
        ([.start, .filtersApplied, .migrationSucceeded, .filtersRemoved], .done(leftoverFilters: false), []),
        ([.start, .filtersApplied, .migrationSucceeded, .stepFailed], .done(leftoverFilters: true), []),
        ([.start, .stepFailed], .failed(reason: "r"), []),
        (
            [.start, .filtersApplied, .migrationFailed, .filtersRemoved],
            .rolledBack(reason: "r", leftoverFilters: false), []
        ),
        (
            [.start, .filtersApplied, .migrationFailed, .stepFailed], .rolledBack(reason: "r", leftoverFilters: true),
            []
        ),
    ]

    static let invalidTransitions: [(prefix: [Input], input: Input)] = accepted.flatMap { row in
        Input.allCases.filter { !row.valid.contains($0) }.map { (row.prefix, $0) }
    }

    @Test func invalidTransitionTableIsComplete() {
        #expect(Self.accepted.count == 10)
        #expect(Self.invalidTransitions.count == 10 * 6 - 9)
    }

    @Test(arguments: accepted)
    func prefixReachesState(prefix: [Input], state: MigrationStateMachine.State, valid: Set<Input>) throws {
        var m = Self.machine()
        for input in prefix { _ = try m.handle(input, reason: "r") }
        #expect(m.state == state)
    }

    @Test(arguments: invalidTransitions)
    func invalidTransitionThrowsAndChangesNothing(prefix: [Input], input: Input) throws {
        var m = Self.machine()
        for step in prefix { _ = try m.handle(step, reason: "r") }
        let before = m
        #expect(throws: MigrationStateMachineError.invalidTransition(vm: "vm-1", input: input.name, state: m.state)) {
            _ = try m.handle(input, reason: "late")
        }
        #expect(m == before)
    }

    @Test(arguments: [
        ("", "h-1", "h-2", [AntiSpoofRule](), MigrationStateMachineError.emptyIdentifier(field: "vm")),
        ("vm-1", "", "h-2", [], .emptyIdentifier(field: "from")),
        ("vm-1", "h-1", "", [], .emptyIdentifier(field: "to")),
        ("vm-1", "h-1", "h-1", rules, .sameHost(vm: "vm-1", host: "h-1")),
        (
            "vm-1", "h-1", "h-2", rules + [AntiSpoofRule(vm: "vm-2", interface: "vgx-0", mac: "m", ips: [])],
            .foreignRule(vm: "vm-1", ruleVM: "vm-2", interface: "vgx-0")
        ),
    ])
    func rejectsInvalidRequests(
        vm: String, from: String, to: String, rules: [AntiSpoofRule], error: MigrationStateMachineError
    ) {
        #expect(throws: error) { _ = try MigrationStateMachine(vm: vm, from: from, to: to, rules: rules) }
    }

    @Test func vmWithoutNICsStillHandsOverAnEmptyRuleSet() throws {
        var m = try MigrationStateMachine(vm: "vm-9", from: "h-1", to: "h-2", rules: [])
        #expect(try m.start() == .applyFilters(host: "h-2", rules: []))
    }

    @Test(arguments: [
        (MigrationOutcome.done, true, LeftoverFilters?.none),
        (.doneWithLeftoverFilters(sourceLeftover), true, sourceLeftover),
        (.failed(reason: "x"), false, nil),
        (.rolledBack(reason: "x"), false, nil),
        (.rolledBackWithLeftoverFilters(reason: "x", targetLeftover), false, targetLeftover),
    ])
    func outcomeSaysWhereTheVMIsAndWhatIsLeft(outcome: MigrationOutcome, moved: Bool, leftover: LeftoverFilters?) {
        #expect(outcome.vmMoved == moved)
        #expect(outcome.leftoverFilters == leftover)
    }

    @Test(arguments: [
        (
            MigrationStateMachineError.sameHost(vm: "vm-1", host: "h-1"), "migration.same-host",
            "vm-1 would migrate from h-1 to itself; choose a different target host"
        ),
        (
            .invalidTransition(vm: "vm-1", input: "filtersRemoved", state: .migrating), "migration.invalid-transition",
            "migration of vm-1: filtersRemoved is not valid in state migrating (a bug in the code driving the migration)"
        ),
        (
            .foreignRule(vm: "vm-1", ruleVM: "vm-2", interface: "vgx-0"), "migration.foreign-rule",
            "anti-spoofing rule for interface vgx-0 belongs to vm-2, not vm-1; pass only vm-1's rules"
        ),
        (
            .emptyIdentifier(field: "to"), "migration.empty-id",
            "migration request has an empty to; give the id of the host"
        ),
    ])
    func errorsHaveCodesAndActionableMessages(error: MigrationStateMachineError, code: String, message: String) {
        #expect(error.code == code)
        #expect(error.description == message)
    }
}

extension MigrationStateMachine {
    /// Feeds one table input to the machine.
    fileprivate mutating func handle(
        _ input: MigrationStateMachineTests.Input, reason: String
    ) throws(MigrationStateMachineError) -> Action {
        switch input {
        case .start: try start()
        case .filtersApplied: try filtersApplied()
        case .migrationSucceeded: try migrationSucceeded()
        case .migrationFailed: try migrationFailed(reason: reason)
        case .filtersRemoved: try filtersRemoved()
        case .stepFailed: try stepFailed(reason: reason)
        }
    }
}
