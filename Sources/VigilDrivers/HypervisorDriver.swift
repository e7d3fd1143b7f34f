import VigilCore

/// A connection to the hypervisors Vigil manages: reads the inventory and carries out actions (DESIGN §4).
///
/// Every action is all-or-nothing: when a method throws, the hypervisor is as it was before the call.
/// Implementations: ``SimulatedDriver`` (in memory); libvirt later.
public protocol HypervisorDriver: Sendable {
    /// The current inventory, with every VM's current host.
    func inventory() async throws(DriverError) -> Inventory

    /// Placement events (e.g. `vm.migrated`) as the hypervisor reports them.
    func events() -> AsyncStream<Event>

    /// Live-migrates `vm` from host `from` to host `to`.
    /// - Throws: only while the VM still runs on `from`; after a throw the VM has not moved.
    func migrate(vm: String, from: String, to: String) async throws(DriverError)

    /// Takes a forensic snapshot of `vm` from outside the VM and returns its id and SHA-256 digest.
    func snapshot(vm: String) async throws(DriverError) -> SnapshotResult

    /// Installs anti-spoofing rules on `host`, replacing any rules it holds for the same VMs.
    func applyFilter(host: String, rules: [AntiSpoofRule]) async throws(DriverError)

    /// Removes every anti-spoofing rule of `vm` from `host`; removing rules the host does not hold is no error.
    func removeFilter(host: String, vm: String) async throws(DriverError)
}

/// A snapshot taken by a driver: the hypervisor's snapshot id and the SHA-256 digest of its content (64 hex digits).
public struct SnapshotResult: Sendable, Hashable {
    public var snapshotID: String
    public var digest: String

    public init(snapshotID: String, digest: String) {
        self.snapshotID = snapshotID
        self.digest = digest
    }
}

/// The driver operations, named for injected failures and error messages.
public enum DriverStep: String, Sendable, Hashable, CaseIterable {
    case migrate, snapshot, applyFilter, removeFilter
}

/// Why a driver operation failed; each message says what to check or do next.
public enum DriverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The hypervisor does not know the VM.
    case vmUnknown(String)
    /// The hypervisor does not manage the host.
    case hostUnknown(String)
    /// The VM does not run on the host the request named (`actual`: where it runs, nil for nowhere).
    case vmNotOnHost(vm: String, host: String, actual: String?)
    /// The VM runs on no host, so there is nothing to snapshot.
    case vmNotPlaced(String)
    /// A migration's source and target are the same host.
    case sameHost(vm: String, host: String)
    /// The target host lacks the VM's anti-spoofing rules, so the VM would run unfiltered there.
    case filtersMissing(vm: String, host: String)
    /// Removing the rules of a VM from the host it runs on would leave it unfiltered.
    case vmRunsOnHost(vm: String, host: String)
    /// A failure injected by a test or demo (`SimulatedDriver.failNext`).
    case injectedFailure(DriverStep)
    /// The operation was cancelled before it took effect.
    case cancelled(DriverStep)
    /// The hypervisor reported an error of its own.
    case backend(step: DriverStep, message: String)

    /// A stable code for the error kind.
    public var code: String {
        switch self {
        case .vmUnknown: "driver.vm-unknown"
        case .hostUnknown: "driver.host-unknown"
        case .vmNotOnHost: "driver.vm-not-on-host"
        case .vmNotPlaced: "driver.vm-not-placed"
        case .sameHost: "driver.same-host"
        case .filtersMissing: "driver.filters-missing"
        case .vmRunsOnHost: "driver.vm-runs-on-host"
        case .injectedFailure: "driver.injected-failure"
        case .cancelled: "driver.cancelled"
        case .backend: "driver.backend"
        }
    }

    public var description: String {
        switch self {
        case .vmUnknown(let vm):
            "unknown VM \"\(vm)\": the hypervisor does not know it; check the id or refresh the inventory"
        case .hostUnknown(let host):
            "unknown host \"\(host)\": the hypervisor does not manage it; check the id or refresh the inventory"
        case .vmNotOnHost(let vm, let host, let actual):
            "\(vm) does not run on \(host) but on \(actual ?? "no host"); refresh the inventory and plan again"
        case .vmNotPlaced(let vm):
            "\(vm) runs on no host; only a placed VM can be snapshotted from outside"
        case .sameHost(let vm, let host):
            "\(vm) already runs on \(host); choose a different target host"
        case .filtersMissing(let vm, let host):
            "\(host) lacks the anti-spoofing rules of \(vm); apply them (applyFilter) before migrating"
        case .vmRunsOnHost(let vm, let host):
            "\(vm) still runs on \(host); removing its anti-spoofing rules would leave it unfiltered, migrate it first"
        case .injectedFailure(let step):
            "injected failure of step \(step.rawValue) (SimulatedDriver.failNext); nothing was changed"
        case .cancelled(let step):
            "step \(step.rawValue) was cancelled before it took effect; nothing was changed"
        case .backend(let step, let message):
            "hypervisor error during \(step.rawValue): \(message)"
        }
    }
}
