import VigilCore
import VigilDrivers
import VigilStore

/// Approved changes carried out one after another against one loaded world: each is re-checked for feasibility
/// where the earlier ones left the VMs, its intent committed, run through the driver, and its outcome committed.
/// Loading the world once matters for a pre-authorised plan of hundreds of moves on a large cloud.
public struct ChangeSession {
    let db: any VigilStore
    let now: Timestamp
    /// The CMDB as the recorded changes leave it (handed to the store, which keeps it current).
    var cmdb: Cmdb?
    var world: PolicyWorld
    /// Host-level verdicts do not change while changes run (they only move VMs).
    let cache: HostVerdictCache
    let driver: any HypervisorDriver

    /// What became of one change, and why when it was not carried out.
    public struct Outcome: Sendable {
        public var change: ChangeRecord
        public var note: String?
    }

    public init(db: any VigilStore, now: Timestamp, drivers: DriverConfiguration) async throws {
        self.db = db
        self.now = now
        let input = try WorldLoader.input(db, at: now, historical: false)
        cmdb = input.cmdb
        world = PolicyWorld.build(input)
        cache = HostVerdictCache(world)
        driver = await drivers.makeDriver(for: input.cmdb, now: now)
    }

    /// Carries out an approved change and records its outcome.
    public mutating func execute(_ change: ChangeRecord) async throws -> Outcome {
        var lifecycle = ChangeLifecycle(change)
        guard let v = world.index(ofVM: change.vm), let h = world.index(ofHost: change.to),
            let from = change.from, world.hostOf[Int(v)] >= 0, world.hostID(world.hostOf[Int(v)]) == from,
            let vm = cmdb?.vms[change.vm]
        else {
            return try abandon(&lifecycle, note: "\(change.vm) is no longer on \(change.from ?? "a host")")
        }
        if case .rejected(let policy, let rule) = Placer.evaluate(v, on: h, in: world, cache: cache) {
            return try abandon(&lifecycle, note: "no longer feasible (\(policy)/\(rule.rawValue)); not carried out")
        }
        let handover = FilterHandover.forMigration(vm: vm, from: from, to: change.to)
        lifecycle = ChangeLifecycle(
            try db.startChange(
                change.id, from: from, handover: handover, batch: ResponseBatch(), now: now, current: &cmdb))
        let input: ChangeLifecycle.Action
        var batch = ResponseBatch()
        switch await runMigration(vm: change.vm, from: from, to: change.to, rules: handover.add, driver: driver) {
        case .done, .doneWithLeftoverFilters:
            input = lifecycle.executed()
            let last = cmdb?.tracks[change.vm]?.lastEvent ?? now
            batch.events = [Event(time: max(now, last), body: .migrated(vm: change.vm, from: from, to: change.to))]
        case .failed:
            input = lifecycle.executionFailed(rolledBack: false)
        case .rolledBack, .rolledBackWithLeftoverFilters:
            input = lifecycle.executionFailed(rolledBack: true)
        }
        if case .refuse(let why) = input { throw ServiceError(.conflict, why) }
        _ = try db.finishChange(lifecycle.change, batch: batch, now: now, current: &cmdb)
        if lifecycle.change.state == .done { world.move(v, to: h) }
        return Outcome(change: lifecycle.change, note: nil)
    }

    /// An approved change that will not run: recorded as failed, with why.
    mutating func abandon(_ lifecycle: inout ChangeLifecycle, note: String) throws -> Outcome {
        if case .refuse(let why) = lifecycle.abandoned() { throw ServiceError(.conflict, why) }
        _ = try db.finishChange(lifecycle.change, batch: ResponseBatch(), now: now, current: &cmdb)
        return Outcome(change: lifecycle.change, note: note)
    }
}
