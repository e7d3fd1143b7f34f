import Testing
import VigilCore

@Suite struct SnapshotStateMachineTests {
    /// One input to the machine, so that paths can be written as tables.
    enum Input: Sendable, Hashable, CaseIterable, CustomTestStringConvertible {
        case start, captured, digestComputed, recorded, stepFailed

        var testDescription: String { name }

        /// The method's name, as invalid-transition errors name it.
        var name: String {
            switch self {
            case .start: "start"
            case .captured: "captured"
            case .digestComputed: "digestComputed"
            case .recorded: "recorded"
            case .stepFailed: "stepFailed"
            }
        }
    }

    /// One step of a path: the input (with its argument), the action returned and the state afterwards.
    struct Step: Sendable {
        var input: Input
        var argument: String
        var action: SnapshotStateMachine.Action
        var state: SnapshotStateMachine.State

        init(_ input: Input, _ action: SnapshotStateMachine.Action, _ state: SnapshotStateMachine.State) {
            self.init(input, "", action, state)
        }

        init(
            _ input: Input, _ argument: String, _ action: SnapshotStateMachine.Action,
            _ state: SnapshotStateMachine.State
        ) {
            self.input = input
            self.argument = argument
            self.action = action
            self.state = state
        }
    }

    struct Path: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var outcome: SnapshotOutcome
        var testDescription: String { name }
    }

    static let digest = String(repeating: "0123456789abcdef", count: 4)
    static let record = SnapshotRecord(vm: "vm-1", snapshotID: "s-1", digest: digest)
    static let capture = Step(.start, .capture(vm: "vm-1"), .capturing)
    static let hash = Step(.captured, "s-1", .computeDigest(snapshotID: "s-1"), .hashing(snapshotID: "s-1"))
    static let store = Step(
        .digestComputed, digest, .record(vm: "vm-1", snapshotID: "s-1", digest: digest), .recording(record))

    static func failing(_ input: Input, _ argument: String, _ reason: String) -> Step {
        Step(input, argument, .fail(reason: reason), .failed(reason: reason))
    }

    static func badDigest(_ digest: String) -> Path {
        let reason = "digest of s-1 is not 64 lowercase hex digits (SHA-256): \"\(digest)\""
        return Path(
            name: "bad digest \(digest)", steps: [capture, hash, failing(.digestComputed, digest, reason)],
            outcome: .failed(reason: reason))
    }

    static let paths: [Path] = [
        Path(
            name: "success", steps: [capture, hash, store, Step(.recorded, .complete(record), .recorded(record))],
            outcome: .recorded(record)),
        Path(
            name: "capture fails", steps: [capture, failing(.stepFailed, "paused", "paused")],
            outcome: .failed(reason: "paused")),
        Path(
            name: "hashing fails", steps: [capture, hash, failing(.stepFailed, "io", "io")],
            outcome: .failed(reason: "io")),
        Path(
            name: "recording fails", steps: [capture, hash, store, failing(.stepFailed, "disk full", "disk full")],
            outcome: .failed(reason: "disk full")),
        badDigest(String(digest.dropLast())),
        badDigest(digest.uppercased()),
        badDigest(String(digest.dropLast()) + "g"),
        badDigest(""),
    ]

    @Test(arguments: paths)
    func pathProducesExactActionsAndStates(path: Path) throws {
        var m = SnapshotStateMachine(vm: "vm-1")
        #expect(m.state == .idle)
        for step in path.steps {
            #expect(m.outcome == nil)
            let action = try m.handle(step.input, step.argument)
            #expect(action == step.action, "after \(step.input.name)")
            #expect(m.state == step.state, "after \(step.input.name)")
        }
        #expect(m.outcome == path.outcome)
    }

    /// Every reachable state with the inputs it accepts; every other input must throw.
    static let accepted: [(prefix: [(Input, String)], state: SnapshotStateMachine.State, valid: Set<Input>)] = [
        ([], .idle, [.start]),
        ([(.start, "")], .capturing, [.captured, .stepFailed]),
        ([(.start, ""), (.captured, "s-1")], .hashing(snapshotID: "s-1"), [.digestComputed, .stepFailed]),
        ([(.start, ""), (.captured, "s-1"), (.digestComputed, digest)], .recording(record), [.recorded, .stepFailed]),
        ([(.start, ""), (.captured, "s-1"), (.digestComputed, digest), (.recorded, "")], .recorded(record), []),
        ([(.start, ""), (.stepFailed, "x")], .failed(reason: "x"), []),
    ]

    static let invalidTransitions: [(prefix: [(Input, String)], input: Input)] = accepted.flatMap { row in
        Input.allCases.filter { !row.valid.contains($0) }.map { (row.prefix, $0) }
    }

    @Test func invalidTransitionTableIsComplete() {
        #expect(Self.invalidTransitions.count == 6 * 5 - 7)
    }

    @Test(arguments: accepted)
    func prefixReachesState(prefix: [(Input, String)], state: SnapshotStateMachine.State, valid: Set<Input>) throws {
        var m = SnapshotStateMachine(vm: "vm-1")
        for (input, argument) in prefix { _ = try m.handle(input, argument) }
        #expect(m.state == state)
    }

    @Test(arguments: invalidTransitions)
    func invalidTransitionThrowsAndChangesNothing(prefix: [(Input, String)], input: Input) throws {
        var m = SnapshotStateMachine(vm: "vm-1")
        for (step, argument) in prefix { _ = try m.handle(step, argument) }
        let before = m
        #expect(throws: SnapshotStateMachineError.invalidTransition(vm: "vm-1", input: input.name, state: m.state)) {
            _ = try m.handle(input, Self.digest)
        }
        #expect(m == before)
    }

    @Test(arguments: [
        (digest, true), (String(repeating: "f", count: 64), true), (String(repeating: "f", count: 63), false),
        (String(repeating: "f", count: 65), false), (digest.uppercased(), false), ("", false),
        (String(repeating: "é", count: 32), false),
    ])
    func sha256HexForm(text: String, valid: Bool) {
        #expect(SnapshotStateMachine.isSHA256Hex(text) == valid)
    }

    @Test func invalidTransitionMessage() {
        let error = SnapshotStateMachineError.invalidTransition(vm: "vm-1", input: "recorded", state: .capturing)
        #expect(error.code == "snapshot.invalid-transition")
        #expect(
            error.description
                == "snapshot of vm-1: recorded is not valid in state capturing (a bug in the code driving the snapshot)"
        )
    }
}

extension SnapshotStateMachine {
    /// Feeds one table input to the machine; `argument` is the snapshot id, digest or reason.
    fileprivate mutating func handle(
        _ input: SnapshotStateMachineTests.Input, _ argument: String
    ) throws(SnapshotStateMachineError) -> Action {
        switch input {
        case .start: try start()
        case .captured: try captured(snapshotID: argument)
        case .digestComputed: try digestComputed(argument)
        case .recorded: try recorded()
        case .stepFailed: try stepFailed(reason: argument)
        }
    }
}
