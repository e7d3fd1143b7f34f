import ArgumentParser
import Foundation
import VigilCore
import VigilDrivers
import VigilStore

/// `vigil changes [--state S]`: change records.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes", abstract: "List change records (migrations).")

    @OptionGroup var common: CommonOptions
    @Option(help: "proposed | approved | done | failed | rolled-back | rejected") var state: String?

    func run() throws {
        let filter = try state.map { s -> ChangeState in
            guard let st = ChangeState(rawValue: s) else { throw CLIError("--state: \"\(s)\" is not a change state") }
            return st
        }
        let db = try common.open()
        let changes = try db.changes(state: filter)
        if common.json {
            let handovers = try db.handovers()
            Console.json(
                .object([
                    (
                        "changes",
                        .array(
                            changes.map { c in
                                guard case .object(var m) = ChangeJSON.value(c), let h = handovers[c.id] else {
                                    return ChangeJSON.value(c)
                                }
                                m.append(("antiSpoofing", .raw(h)))
                                return .object(m)
                            })
                    )
                ]))
            return
        }
        var t = TextTable("CHANGE", "VM", "FROM", "TO", "STATE", "STANDARD", "APPROVALS", "REASON")
        for c in changes {
            t.add(
                c.id, c.vm, c.from ?? "-", c.to, c.state.rawValue, c.standard ? "yes" : "no",
                c.approvals.joined(separator: ","), c.reason)
        }
        t.print()
    }
}

/// `vigil approve ID --as NAME`: a CAB member approves a proposed change, which then runs.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a proposed change and carry it out.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption
    @Argument var id: String
    @Option(name: .customLong("as"), help: "Name of the approving CAB member.") var name: String

    func run() async throws {
        let db = try common.open()
        let change = try ChangeRunner.find(id, db)
        var lifecycle = ChangeLifecycle(change)
        if case .refuse(let why) = lifecycle.approve(by: name) { throw CLIError(why) }
        let final = try await ChangeRunner.execute(&lifecycle, db: db, now: try at.resolve())
        print(
            "\(final.id): \(final.state.rawValue) (\(final.vm) \(final.from ?? "-") → \(final.to)), approved by \(name)"
        )
        if final.state != .done { throw CLIError("", code: 1) }
    }
}

/// `vigil reject ID`: a CAB member rejects a proposed change.
struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a proposed change.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption
    @Argument var id: String
    @Option(name: .customLong("as"), help: "Name of the rejecting CAB member.") var name = "cab"

    func run() throws {
        let db = try common.open()
        var lifecycle = ChangeLifecycle(try ChangeRunner.find(id, db))
        if case .refuse(let why) = lifecycle.reject(by: name) { throw CLIError(why) }
        var batch = ResponseBatch()
        batch.changes = [lifecycle.change]
        _ = try db.recordResponse(batch, now: try at.resolve())
        print("\(id): rejected")
    }
}

/// Carries approved changes out through the driver and records the outcome with the CMDB kept truthful.
enum ChangeRunner {
    static func find(_ id: String, _ db: VigilDatabase) throws -> ChangeRecord {
        guard let c = try db.changes().first(where: { $0.id == id }) else { throw CLIError("unknown change \"\(id)\"") }
        return c
    }

    /// Carries out one change (re-checked for feasibility now).
    static func execute(_ lifecycle: inout ChangeLifecycle, db: VigilDatabase, now: Timestamp) async throws
        -> ChangeRecord
    {
        var session = try await ChangeSession(db, now: now)
        return try await session.execute(&lifecycle)
    }
}

/// Changes carried out one after another against one loaded world: each is re-checked for feasibility where
/// the earlier ones left the VMs, run through the driver, and recorded durably on its own. Loading the world
/// once matters for a pre-authorised plan of hundreds of moves on a large cloud.
struct ChangeSession {
    let db: VigilDatabase
    let now: Timestamp
    /// The CMDB as the recorded changes leave it (handed to the store, which keeps it current).
    var cmdb: Cmdb?
    var world: PolicyWorld
    /// Host-level verdicts do not change while changes run (they only move VMs).
    let cache: HostVerdictCache
    let driver: SimulatedDriver

    init(_ db: VigilDatabase, now: Timestamp) async throws {
        self.db = db
        self.now = now
        let input = try WorldLoader.input(db, at: now, historical: false)
        cmdb = input.cmdb
        world = PolicyWorld.build(input)
        cache = HostVerdictCache(world)
        driver = await ResponseExecutor.makeDriver(input.cmdb, now: now)
    }

    /// Carries out the change of `lifecycle` and records its outcome.
    mutating func execute(_ lifecycle: inout ChangeLifecycle) async throws -> ChangeRecord {
        let change = lifecycle.change
        var batch = ResponseBatch()
        guard let v = world.index(ofVM: change.vm), let h = world.index(ofHost: change.to),
            let from = change.from, world.hostOf[Int(v)] >= 0, world.hostID(world.hostOf[Int(v)]) == from
        else {
            _ = lifecycle.executionFailed(rolledBack: false)
            batch.changes = [lifecycle.change]
            _ = try db.recordResponse(batch, now: now, current: &cmdb)
            return lifecycle.change
        }
        let verdict = Placer.evaluate(v, on: h, in: world, cache: cache)
        if case .rejected(let policy, let rule) = verdict {
            Console.error("\(change.id): no longer feasible (\(policy)/\(rule.rawValue)); not carried out")
            _ = lifecycle.executionFailed(rolledBack: false)
        } else {
            let handover = FilterHandover.forMigration(vm: cmdb!.vms[change.vm]!, from: from, to: change.to)
            var record = lifecycle.change
            record.from = from
            record.handover = handover
            lifecycle = ChangeLifecycle(record)
            switch await runMigration(vm: change.vm, from: from, to: change.to, rules: handover.add, driver: driver) {
            case .done, .doneWithLeftoverFilters:
                _ = lifecycle.executed()
                let last = cmdb!.tracks[change.vm]?.lastEvent ?? now
                batch.events = [Event(time: max(now, last), body: .migrated(vm: change.vm, from: from, to: change.to))]
                world.move(v, to: h)
            case .failed:
                _ = lifecycle.executionFailed(rolledBack: false)
            case .rolledBack, .rolledBackWithLeftoverFilters:
                _ = lifecycle.executionFailed(rolledBack: true)
            }
        }
        batch.changes = [lifecycle.change]
        _ = try db.recordResponse(batch, now: now, current: &cmdb)
        return lifecycle.change
    }
}
