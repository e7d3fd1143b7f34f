import Foundation
import Synchronization
import Testing
import VigilCore
import VigilDrivers
import VigilService
import VigilStore

/// Incident response through `AlertIngestion` and `ResponseSession`: attribution at the alert's time, committed
/// intents before driver calls, and driver failures fed back to later decisions.
@Suite struct ResponseSessionTests {
    static let now = RFC3339.parse("2026-11-20T12:00:00Z") ?? 0

    func ingest(_ f: ServiceFixture, _ lines: [String], drivers: DriverConfiguration = DriverConfiguration())
        async throws -> AlertIngestion.Summary
    {
        try await AlertIngestion.run(
            text: lines.joined(separator: "\n") + "\n", format: .suricata, db: f.db, now: Self.now, drivers: drivers)
    }

    struct Attribution: Sendable, CustomTestStringConvertible {
        var ip: String
        var time: String
        var subject: IncidentSubject
        var testDescription: String { "\(ip) at \(time)" }
    }

    /// x held 10.0.0.5 and y 10.0.0.6 until an inventory observed on 2026-11-10 gave 10.0.0.5 to y and 10.0.0.7
    /// to x; 10.0.0.6 was released. A late alert is pinned on the VM that held the address when it was raised.
    @Test(arguments: [
        Attribution(ip: "10.0.0.5", time: "2026-11-05T00:00:00Z", subject: .vm("x")),
        Attribution(ip: "10.0.0.5", time: "2026-11-12T00:00:00Z", subject: .vm("y")),
        Attribution(ip: "10.0.0.6", time: "2026-11-05T00:00:00Z", subject: .vm("y")),
        Attribution(ip: "10.0.0.6", time: "2026-11-12T00:00:00Z", subject: .unmatched("10.0.0.6")),
        Attribution(ip: "10.0.0.7", time: "2026-11-05T00:00:00Z", subject: .unmatched("10.0.0.7")),
        Attribution(ip: "10.0.0.7", time: "2026-11-10T00:00:00Z", subject: .vm("x")),
        Attribution(ip: "10.0.0.5", time: "2026-10-01T00:00:00Z", subject: .vm("x")),
    ])
    func alertsGoToTheOwnerAtTheAlertsTime(a: Attribution) async throws {
        let f = try ServiceFixture()
        try f.load(ServiceFixture.inventory(observedAt: "2026-11-10T00:00:00Z", xIP: "10.0.0.7", yIP: "10.0.0.5"))
        let summary = try await ingest(f, [ServiceFixture.eve(flow: 1, time: a.time, src: a.ip, severity: 3)])
        #expect(summary.incidents == 1)
        let recorded = try f.db.incidents().map(\.incident).filter { $0.source == "suricata" }
        #expect(recorded.map(\.subject) == [a.subject])
    }

    /// The quarantine migration of x fails in the driver, so x stays on h-a. When h-a is then reported
    /// compromised, the evacuation must move x too: the responder was told where x really is.
    @Test func aFailedMigrationIsFedBackToLaterDecisions() async throws {
        let f = try ServiceFixture()
        let summary = try await ingest(
            f,
            [
                ServiceFixture.eve(flow: 1, time: "2026-11-20T10:00:00Z", src: "10.0.0.5"),
                ServiceFixture.eve(flow: 2, time: "2026-11-20T10:05:00Z", src: "192.0.2.1"),
            ], drivers: DriverConfiguration(simulatorFailNext: [.migrate]))
        #expect(summary.decisions.map(\.playbooks) == [["contain-vm"], ["evacuate-host"]])
        #expect(summary.decisions[1].steps.map(\.kind) == ["mark-compromised", "evacuate", "evacuate"])
        let changes = try f.db.changes(state: nil)
        #expect(
            changes.map { "\($0.id) \($0.vm) \($0.from ?? "-")→\($0.to) \($0.state.rawValue)" } == [
                "chg-000001 x h-a→h-q rolled-back", "chg-000002 x h-a→h-q done", "chg-000003 y h-a→h-b done",
            ])
        let cmdb = try f.db.loadCmdb()
        #expect(cmdb.vms["x"]?.host == "h-q" && cmdb.vms["x"]?.state == .quarantined)
        #expect(cmdb.vms["y"]?.host == "h-b")
        #expect(cmdb.hosts["h-a"]?.state == .compromised)
        #expect(try f.db.verify().isValid)
    }

    /// While the driver migrates, another connection already sees the change `executing` (the committed
    /// intent) and the snapshot taken before it `done` (its outcome, committed with that intent); afterwards the
    /// change is `done` and the CMDB follows.
    @Test func everyDriverCallFollowsACommittedIntent() async throws {
        let f = try ServiceFixture()
        let seen = Mutex<[String]>([])
        let path = f.path
        let simulator = SimulatedDriver(inventory: try inventory(f.db))
        let probe = ProbeDriver(simulator) { vm in
            let other = try VigilDatabase(path: path)
            let executing = try other.changes(state: .executing).map { "\($0.id) \($0.vm)" }
            let snapshots = try other.actions().values.flatMap { $0 }.filter { $0.kind == "snapshot" }
                .map { "snapshot \($0.state)" }
            seen.withLock { $0 += executing + snapshots + ["migrate \(vm)"] }
        }
        _ = try await ingest(
            f, [ServiceFixture.eve(flow: 1, time: "2026-11-20T10:00:00Z", src: "10.0.0.5")],
            drivers: DriverConfiguration(given: probe))
        #expect(seen.withLock { $0 } == ["chg-000001 x", "snapshot done", "migrate x"])
        #expect(try f.db.changes(state: nil).map(\.state) == [.done])
        #expect(try f.db.loadCmdb().vms["x"]?.host == "h-q")
        #expect(await simulator.host(of: "x") == "h-q")
    }

    struct Crash: Sendable, CustomTestStringConvertible {
        var foundOn: String
        var state: ChangeState
        var host: String
        var testDescription: String { "VM found on \(foundOn)" }
    }

    /// A change left `executing` (intent committed, then a crash) is settled by asking the driver where the VM is.
    @Test(arguments: [
        Crash(foundOn: "h-q", state: .done, host: "h-q"), Crash(foundOn: "h-a", state: .failed, host: "h-a"),
    ])
    func aChangeLeftExecutingIsReconciled(c: Crash) async throws {
        let f = try ServiceFixture()
        var cmdb: Cmdb? = nil
        let started = try f.db.startStandardChange(
            ChangeDraft(vm: "x", from: "h-a", to: "h-q", reason: "quarantine after incident i", standard: true),
            batch: ResponseBatch(), now: Self.now, current: &cmdb)
        #expect(started.state == .executing)
        var inv = try inventory(f.db)
        if let k = inv.vms.firstIndex(where: { $0.id == "x" }) { inv.vms[k].host = c.foundOn }
        let settled = try await ChangeReconciler.reconcile(
            db: f.db, drivers: DriverConfiguration(given: SimulatedDriver(inventory: inv)), now: Self.now)
        #expect(settled.map(\.change.state) == [c.state])
        #expect(try f.db.change(started.id)?.state == c.state)
        #expect(try f.db.loadCmdb().vms["x"]?.host == c.host)
        #expect(try f.db.executingChanges().isEmpty)
        // Nothing is left to reconcile the second time.
        #expect(try await ChangeReconciler.reconcile(db: f.db, drivers: DriverConfiguration(), now: Self.now).isEmpty)
    }

    func inventory(_ db: VigilDatabase) throws -> Inventory {
        let c = try db.loadCmdb()
        return Inventory(
            sites: Array(c.sites.values), networks: Array(c.networks.values),
            hosts: c.hosts.values.sorted { $0.id < $1.id }, tenants: Array(c.tenants.values),
            vms: c.vms.values.sorted { $0.id < $1.id })
    }
}
