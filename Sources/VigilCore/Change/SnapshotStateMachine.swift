/// A forensic snapshot of a VM taken from outside it, through the hypervisor (DESIGN §4): capture the
/// VM's state, obtain the snapshot's SHA-256 digest, record both.
///
/// I/O-free: every input returns the next ``Action``. An input that does not fit the current state throws
/// ``SnapshotStateMachineError/invalidTransition(vm:input:state:)`` and leaves the state unchanged.
///
/// - success: idle → capturing → hashing → recording → recorded
/// - any step fails, or the digest is not 64 lowercase hex digits: → failed
public struct SnapshotStateMachine: Sendable, Hashable {
    /// Where the snapshot stands.
    public enum State: Sendable, Hashable {
        /// Not started.
        case idle
        /// The hypervisor is capturing the VM.
        case capturing
        /// The snapshot exists; its digest is being computed.
        case hashing(snapshotID: String)
        /// Snapshot and digest are known and being recorded.
        case recording(SnapshotRecord)
        /// The snapshot and its digest are recorded.
        case recorded(SnapshotRecord)
        /// A step failed; no record was made.
        case failed(reason: String)

        /// The state's name as used in messages (`hashing`).
        public var name: String {
            switch self {
            case .idle: "idle"
            case .capturing: "capturing"
            case .hashing: "hashing"
            case .recording: "recording"
            case .recorded: "recorded"
            case .failed: "failed"
            }
        }
    }

    /// What the shell must do next.
    public enum Action: Sendable, Hashable {
        /// Snapshot the VM from outside; answer `captured(snapshotID:)` or `stepFailed(reason:)`.
        case capture(vm: String)
        /// Compute the snapshot's SHA-256 digest; answer `digestComputed(_:)` or `stepFailed(reason:)`.
        case computeDigest(snapshotID: String)
        /// Record snapshot and digest; answer `recorded()` or `stepFailed(reason:)`.
        case record(vm: String, snapshotID: String, digest: String)
        /// The snapshot is recorded; nothing more to do.
        case complete(SnapshotRecord)
        /// The snapshot failed; nothing more to do.
        case fail(reason: String)
    }

    /// The VM to snapshot.
    public let vm: String
    /// Where the snapshot stands.
    public private(set) var state: State = .idle

    /// A snapshot of `vm`, not yet started.
    public init(vm: String) { self.vm = vm }

    /// How the snapshot ended, once it has.
    public var outcome: SnapshotOutcome? {
        switch state {
        case .recorded(let record): .recorded(record)
        case .failed(let reason): .failed(reason: reason)
        case .idle, .capturing, .hashing, .recording: nil
        }
    }

    /// Starts the snapshot.
    public mutating func start() throws(SnapshotStateMachineError) -> Action {
        guard state == .idle else { throw invalid("start") }
        state = .capturing
        return .capture(vm: vm)
    }

    /// The hypervisor captured the VM as `snapshotID`.
    public mutating func captured(snapshotID: String) throws(SnapshotStateMachineError) -> Action {
        guard state == .capturing else { throw invalid("captured") }
        state = .hashing(snapshotID: snapshotID)
        return .computeDigest(snapshotID: snapshotID)
    }

    /// The snapshot's digest; anything but 64 lowercase hex digits fails the snapshot.
    public mutating func digestComputed(_ digest: String) throws(SnapshotStateMachineError) -> Action {
        guard case .hashing(let snapshotID) = state else { throw invalid("digestComputed") }
        guard Self.isSHA256Hex(digest) else {
            return fail("digest of \(snapshotID) is not 64 lowercase hex digits (SHA-256): \"\(digest)\"")
        }
        let record = SnapshotRecord(vm: vm, snapshotID: snapshotID, digest: digest)
        state = .recording(record)
        return .record(vm: vm, snapshotID: snapshotID, digest: digest)
    }

    /// The record is stored.
    public mutating func recorded() throws(SnapshotStateMachineError) -> Action {
        guard case .recording(let record) = state else { throw invalid("recorded") }
        state = .recorded(record)
        return .complete(record)
    }

    /// The step the last action asked for failed.
    public mutating func stepFailed(reason: String) throws(SnapshotStateMachineError) -> Action {
        switch state {
        case .capturing, .hashing, .recording: return fail(reason)
        case .idle, .recorded, .failed: throw invalid("stepFailed")
        }
    }

    /// Whether `text` has the form of a SHA-256 digest: exactly 64 characters `0-9a-f`.
    public static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private mutating func fail(_ reason: String) -> Action {
        state = .failed(reason: reason)
        return .fail(reason: reason)
    }

    private func invalid(_ input: String) -> SnapshotStateMachineError {
        .invalidTransition(vm: vm, input: input, state: state)
    }
}

/// A recorded forensic snapshot: which VM, the hypervisor's snapshot id, and its SHA-256 digest (hex).
public struct SnapshotRecord: Sendable, Hashable {
    public var vm: String
    public var snapshotID: String
    public var digest: String

    public init(vm: String, snapshotID: String, digest: String) {
        self.vm = vm
        self.snapshotID = snapshotID
        self.digest = digest
    }
}

/// How a snapshot ended.
public enum SnapshotOutcome: Sendable, Hashable {
    /// Taken and recorded.
    case recorded(SnapshotRecord)
    /// Not recorded; the reason says which step failed and why.
    case failed(reason: String)
}

/// An input the snapshot's state does not allow: a bug in the shell driving the machine.
public enum SnapshotStateMachineError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidTransition(vm: String, input: String, state: SnapshotStateMachine.State)

    /// A stable code for the error kind.
    public var code: String { "snapshot.invalid-transition" }

    public var description: String {
        switch self {
        case .invalidTransition(let vm, let input, let state):
            "snapshot of \(vm): \(input) is not valid in state \(state.name) (a bug in the code driving the snapshot)"
        }
    }
}
