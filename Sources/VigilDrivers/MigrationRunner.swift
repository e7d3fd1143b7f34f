import VigilCore

/// Migrates `vm` from `source` to `target` through `driver`, moving its anti-spoofing `rules` with it: the
/// shell around ``MigrationStateMachine``, which decides every step. Never throws; failures are outcomes.
/// - Parameter rules: the VM's rules, normally `AntiSpoofRule.rules(for:)`.
/// - Returns: `.done` when the VM runs on the target with its rules there only; `.failed` when nothing changed;
///   `.rolledBack` when the migration failed and the VM stays on the source; `…WithLeftoverFilters` when rules
///   remain on a host the VM does not run on (retry `driver.removeFilter(host:vm:)`).
public func runMigration(
    vm: String, from source: String, to target: String, rules: [AntiSpoofRule], driver: some HypervisorDriver
) async -> MigrationOutcome {
    do throws(MigrationStateMachineError) {
        var machine = try MigrationStateMachine(vm: vm, from: source, to: target, rules: rules)
        var action = try machine.start()
        while true {
            switch action {
            case .applyFilters(let host, let rules):
                do {
                    try await driver.applyFilter(host: host, rules: rules)
                } catch {
                    action = try machine.stepFailed(reason: error.description)
                    continue
                }
                action = try machine.filtersApplied()
            case .migrate(let vm, let from, let to):
                do {
                    try await driver.migrate(vm: vm, from: from, to: to)
                } catch {
                    action = try machine.migrationFailed(reason: error.description)
                    continue
                }
                action = try machine.migrationSucceeded()
            case .removeFilters(let host, let vm):
                do {
                    try await driver.removeFilter(host: host, vm: vm)
                } catch {
                    action = try machine.stepFailed(reason: error.description)
                    continue
                }
                action = try machine.filtersRemoved()
            case .complete(let outcome):
                return outcome
            }
        }
    } catch {
        return .failed(reason: error.description)
    }
}

/// Takes a forensic snapshot of `vm` through `driver` and records it: the shell around ``SnapshotStateMachine``.
/// The driver returns the digest with the snapshot (it reads the image outside the VM), so the machine's
/// `computeDigest` step hands that digest on, and the machine checks its form before anything is recorded.
/// - Parameter record: stores the record (e.g. appends it to the event log); a throw fails the snapshot.
///   Default: nothing, the caller stores the returned record.
public func runSnapshot(
    vm: String, driver: some HypervisorDriver,
    record: (SnapshotRecord) async throws -> Void = { _ in }
) async -> SnapshotOutcome {
    do throws(SnapshotStateMachineError) {
        var machine = SnapshotStateMachine(vm: vm)
        var action = try machine.start()
        var taken: SnapshotResult?
        while true {
            switch action {
            case .capture(let vm):
                let result: SnapshotResult
                do {
                    result = try await driver.snapshot(vm: vm)
                } catch {
                    action = try machine.stepFailed(reason: error.description)
                    continue
                }
                taken = result
                action = try machine.captured(snapshotID: result.snapshotID)
            case .computeDigest(let snapshotID):
                if let taken, taken.snapshotID == snapshotID {
                    action = try machine.digestComputed(taken.digest)
                } else {
                    action = try machine.stepFailed(reason: "the driver returned no digest for \(snapshotID)")
                }
            case .record(let vm, let snapshotID, let digest):
                do {
                    try await record(SnapshotRecord(vm: vm, snapshotID: snapshotID, digest: digest))
                } catch {
                    action = try machine.stepFailed(reason: "recording \(snapshotID) failed: \(error)")
                    continue
                }
                action = try machine.recorded()
            case .complete(let snapshot):
                return .recorded(snapshot)
            case .fail(let reason):
                return .failed(reason: reason)
            }
        }
    } catch {
        return .failed(reason: error.description)
    }
}
