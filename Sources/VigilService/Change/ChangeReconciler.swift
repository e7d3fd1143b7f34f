import VigilCore
import VigilDrivers
import VigilStore

/// Settles changes left `executing` by a crash (intent committed, outcome missing) by asking the driver where
/// each VM runs now: on the target, the change is done and the migration is recorded; anywhere else it failed.
/// Every command that drives the hypervisor runs this first; the server runs it at start.
public enum ChangeReconciler {
    /// One settled change and where its VM was found.
    public struct Settled: Sendable, Hashable {
        public var change: ChangeRecord
        public var foundOn: String?
    }

    /// Reconciles every executing change, building the configured driver only when there is one.
    public static func reconcile(db: any VigilStore, drivers: DriverConfiguration, now: Timestamp) async throws
        -> [Settled]
    {
        let open = try db.executingChanges()
        guard !open.isEmpty else { return [] }
        let driver = await drivers.makeDriver(for: try db.loadCmdb(), now: now)
        return try await reconcile(open, db: db, driver: driver, now: now)
    }

    static func reconcile(_ open: [ChangeRecord], db: any VigilStore, driver: any HypervisorDriver, now: Timestamp)
        async throws -> [Settled]
    {
        let inventory: Inventory
        do {
            inventory = try await driver.inventory()
        } catch {
            throw ServiceError(
                .failure, "cannot reconcile \(open.map(\.id).joined(separator: ", ")): the driver failed: \(error)")
        }
        let hostOf = Dictionary(inventory.vms.map { ($0.id, $0.isPlaced ? $0.host : nil) }) { a, _ in a }
        var cmdb: Cmdb? = try db.loadCmdb()
        var settled: [Settled] = []
        for change in open {
            var lifecycle = ChangeLifecycle(change)
            let found = hostOf[change.vm] ?? nil
            if case .refuse(let why) = lifecycle.reconcile(vmRunsOn: found) { throw ServiceError(.conflict, why) }
            var batch = ResponseBatch()
            let recordedHost = cmdb?.vms[change.vm]?.host
            if lifecycle.change.state == .done, let from = change.from, recordedHost == from {
                let last = cmdb?.tracks[change.vm]?.lastEvent ?? now
                batch.events = [Event(time: max(now, last), body: .migrated(vm: change.vm, from: from, to: change.to))]
            }
            if let incident = change.incident {
                batch.actions = [
                    ActionRecord(
                        incident: incident, kind: change.reason.hasPrefix("evacuation") ? "evacuate" : "quarantine",
                        state: lifecycle.change.state == .done ? "done" : "failed",
                        change: change.id,
                        detail: "reconciled after a crash: \(change.vm) found on \(found ?? "no host")")
                ]
            }
            _ = try db.finishChange(lifecycle.change, batch: batch, now: now, current: &cmdb)
            settled.append(Settled(change: lifecycle.change, foundOn: found))
        }
        return settled
    }
}
