import VigilCore

/// Vigil's built-in hypervisor: in memory and deterministic, for the CLI without a hypervisor connection,
/// demos and tests. It carries actions out at once (or after `migrationDuration`), keeps each VM's host
/// and each host's anti-spoofing rules, and fails the next call of a step on request (`failNext`).
///
/// Like a careful real driver it refuses to let a VM run unfiltered: `migrate` requires the VM's rules
/// (`AntiSpoofRule.rules(for:)`) on the target, and `removeFilter` refuses the host the VM runs on.
/// Snapshot digests are synthetic: 64 hex digits derived from the VM id and the snapshot's sequence
/// number, not a hash of any content.
public actor SimulatedDriver: HypervisorDriver {
    /// A driver operation whose next call can be made to fail.
    public typealias Step = DriverStep

    /// How long a migration takes; zero (the default) completes it without suspending.
    public let migrationDuration: Duration
    private let now: @Sendable () -> Timestamp
    private var current: Inventory
    private var vmIndex: [String: Int] = [:]
    private var hostIDs: Set<String>
    /// host → vm → rules.
    private var filterTable: [String: [String: [AntiSpoofRule]]] = [:]
    private var injectedFailures: [Step: Int] = [:]
    private var snapshotCounts: [String: Int] = [:]
    private nonisolated let stream: AsyncStream<Event>
    private nonisolated let continuation: AsyncStream<Event>.Continuation

    /// A simulator holding `inventory`; every placed VM starts with its anti-spoofing rules on its host.
    /// - Parameters:
    ///   - migrationDuration: simulated time a migration takes (a real sleep, only when non-zero).
    ///   - now: the clock stamped on emitted events.
    public init(
        inventory: Inventory, migrationDuration: Duration = .zero, now: @escaping @Sendable () -> Timestamp = { 0 }
    ) {
        self.current = inventory
        self.migrationDuration = migrationDuration
        self.now = now
        self.hostIDs = Set(inventory.hosts.map(\.id))
        for (i, vm) in inventory.vms.enumerated() where vmIndex[vm.id] == nil {
            vmIndex[vm.id] = i
            if vm.isPlaced, let host = vm.host, hostIDs.contains(host) {
                filterTable[host, default: [:]][vm.id] = AntiSpoofRule.rules(for: vm)
            }
        }
        (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
    }

    deinit { continuation.finish() }

    // MARK: HypervisorDriver

    /// The inventory as given at init, with VMs' hosts as migrations left them.
    public func inventory() -> Inventory { current }

    /// The driver's one event stream, for a single consumer; it ends when the driver is released.
    public nonisolated func events() -> AsyncStream<Event> { stream }

    /// Moves the VM and emits `vm.migrated` at `now()`.
    public func migrate(vm: String, from: String, to: String) async throws(DriverError) {
        try checkMigration(vm: vm, from: from, to: to)
        try consumeInjectedFailure(.migrate)
        if migrationDuration > .zero {
            do { try await Task.sleep(for: migrationDuration) } catch { throw .cancelled(.migrate) }
            try checkMigration(vm: vm, from: from, to: to)  // another call may have moved it meanwhile
        }
        guard let i = vmIndex[vm] else { throw .vmUnknown(vm) }
        current.vms[i].host = to
        continuation.yield(Event(time: now(), body: .migrated(vm: vm, from: from, to: to)))
    }

    /// Snapshot ids are `<vm>-snap-<n>`, n counting from 1 per VM; the digest is synthetic (see the type).
    public func snapshot(vm: String) throws(DriverError) -> SnapshotResult {
        guard let i = vmIndex[vm] else { throw .vmUnknown(vm) }
        guard current.vms[i].host != nil else { throw .vmNotPlaced(vm) }
        try consumeInjectedFailure(.snapshot)
        let n = snapshotCounts[vm, default: 0] + 1
        snapshotCounts[vm] = n
        return SnapshotResult(snapshotID: "\(vm)-snap-\(n)", digest: Self.syntheticDigest(vm: vm, sequence: n))
    }

    /// Replaces the host's rules for each VM named in `rules`; an empty list changes nothing.
    public func applyFilter(host: String, rules: [AntiSpoofRule]) throws(DriverError) {
        guard hostIDs.contains(host) else { throw .hostUnknown(host) }
        if let unknown = rules.first(where: { vmIndex[$0.vm] == nil }) { throw .vmUnknown(unknown.vm) }
        try consumeInjectedFailure(.applyFilter)
        var byVM: [String: [AntiSpoofRule]] = [:]
        for rule in rules { byVM[rule.vm, default: []].append(rule) }
        for (vm, vmRules) in byVM { filterTable[host, default: [:]][vm] = vmRules }
    }

    /// Removes the VM's rules from the host; a VM the host holds no rules for (even an unknown one) is no error.
    public func removeFilter(host: String, vm: String) throws(DriverError) {
        guard hostIDs.contains(host) else { throw .hostUnknown(host) }
        if let i = vmIndex[vm], current.vms[i].host == host { throw .vmRunsOnHost(vm: vm, host: host) }
        try consumeInjectedFailure(.removeFilter)
        filterTable[host]?[vm] = nil
    }

    // MARK: Inspection and fault injection

    /// The anti-spoofing rules installed on `host`, by VM id, each VM's rules in the order applied.
    public func filters(on host: String) -> [AntiSpoofRule] {
        guard let table = filterTable[host] else { return [] }
        return table.keys.sorted().flatMap { table[$0] ?? [] }
    }

    /// The host `vm` runs on (nil: unknown or not placed on any host).
    public func host(of vm: String) -> String? {
        vmIndex[vm].flatMap { current.vms[$0].host }
    }

    /// Makes the next valid call of `step` throw `DriverError.injectedFailure(step)` without changing anything.
    /// Calls add up: two `failNext(.migrate)` fail the next two migrations.
    public func failNext(_ step: Step) {
        injectedFailures[step, default: 0] += 1
    }

    /// The simulator's stand-in for a SHA-256 digest: 64 lowercase hex digits from a SplitMix64 stream seeded
    /// with an FNV-1a hash of the VM id and the snapshot's sequence number. Deterministic; not a content hash.
    public static func syntheticDigest(vm: String, sequence: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in vm.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        var rng = SplitMix64(seed: hash ^ (UInt64(truncatingIfNeeded: sequence) &* 0x9e37_79b9_7f4a_7c15))
        return (0..<4).map { _ in String(rng.next(), radix: 16, zeroPaddedTo: 16) }.joined()
    }

    // MARK: Private

    private func checkMigration(vm: String, from: String, to: String) throws(DriverError) {
        guard let i = vmIndex[vm] else { throw .vmUnknown(vm) }
        for host in [from, to] where !hostIDs.contains(host) { throw .hostUnknown(host) }
        guard from != to else { throw .sameHost(vm: vm, host: from) }
        let placed = current.vms[i]
        guard placed.host == from else { throw .vmNotOnHost(vm: vm, host: from, actual: placed.host) }
        let installed = filterTable[to]?[vm] ?? []
        guard AntiSpoofRule.rules(for: placed).allSatisfy(installed.contains) else {
            throw .filtersMissing(vm: vm, host: to)
        }
    }

    private func consumeInjectedFailure(_ step: Step) throws(DriverError) {
        guard let n = injectedFailures[step], n > 0 else { return }
        injectedFailures[step] = n == 1 ? nil : n - 1
        throw .injectedFailure(step)
    }
}
