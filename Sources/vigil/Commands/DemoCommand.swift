import ArgumentParser
import Foundation
import VigilCore
import VigilService
import VigilStore

/// `vigil demo`: imports the bundled example datacenter into a fresh database and walks through it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import examples/ into a fresh database and show state, a VM's neighbours over time and its exposure."
    )

    @Option(help: "Directory of the example datacenter.") var examples = "examples"
    @Option(help: "Database to create (replaced if it exists).") var db = "./vigil-demo.db"

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let files = ["inventory.yaml", "policies.yaml", "vulnerabilities.yaml", "playbooks.yaml", "events.jsonl"].map {
            (examples as NSString).appendingPathComponent($0)
        }
        let database = try VigilDatabase(path: db)
        section("1. Import the example datacenter (durable, hash-chained)")
        print("$ vigil import \(files.joined(separator: " "))")
        let result = try DocumentImporter.importFiles(
            files, into: database, now: Timestamp(Date().timeIntervalSince1970))
        print("ok: \(result.records) log records, \(result.events) events")
        let cmdb = try database.loadCmdb()
        let view = StateView(cmdb: cmdb, placement: PlacementMap(current: cmdb))
        section("2. Sites and hosts now")
        view.printSites()
        print("")
        view.printHosts()
        section("3. Tenants")
        view.printTenants()
        let intervals = try database.allIntervals()
        let moved = Dictionary(grouping: intervals, by: \.vm).max {
            ($0.value.count, $1.key) < ($1.value.count, $0.key)
        }
        guard let (vm, own) = moved else { return }
        section("4. Where \(vm) ran, and with whom (placement history)")
        let index = IntervalIndex(intervals)
        let end = try database.historyEnd()
        for i in own.sorted(by: { $0.start < $1.start }) {
            let until = i.end ?? end
            let others = index.exposure(vm: vm, since: i.start, until: max(until, i.start + 1)).filter {
                $0.host == i.host
            }
            print(
                "\(RFC3339.format(i.start)) → \(i.end.map(RFC3339.format) ?? "now"): on \(i.host) with \(others.map(\.vm).joined(separator: ", "))"
            )
        }
        let start = end - 30 * 86400
        section("5. Exposure of \(vm) over the last 30 days of history")
        print("$ vigil exposure --vm \(vm) --since \(RFC3339.format(start)) --until \(RFC3339.format(end))")
        try ExposureReport.forVM(vm, db: database, since: start, until: end).printTable()
        let now = Timestamp(Date().timeIntervalSince1970)
        let world = PolicyWorld.build(try WorldLoader.input(database, at: now, historical: false, cmdb: cmdb))
        section("6. Audit against the policies (DESIGN §2)")
        print("$ vigil audit")
        let violations = Auditor.audit(world)
        AuditTable.print(violations, at: now)
        if let hard = violations.first(where: { $0.enforcement == .hard }) {
            let subject = hard.related.first ?? hard.vm ?? ""
            section("7. Where may \(subject) go instead? (placement with reasons)")
            print("$ vigil place --vm \(subject)")
            if let v = world.index(ofVM: subject) {
                PlaceTable.print(Placer.place(v, in: world, cache: HostVerdictCache(world)), all: false)
            }
        }
        section("8. Remediation plan: fewest feasible migrations that repair the hard violations")
        print("$ vigil plan")
        PlanTable.print(Planner.plan(world))
        try await adaptiveLoop(database)
        section("13. The event log's hash chain")
        let report = try database.verify()
        print(report.isValid ? "ok: \(report.intact) records, chain intact" : "TAMPERED: \(report.reason ?? "")")
        print("\nDatabase: \(db). Try: vigil show vm \(vm) --db \(db)")
    }

    func section(_ title: String) { print("\n== \(title)") }

    /// The adaptive loop: an IDS reports a production VM attacking; Vigil snapshots, quarantines, records the
    /// exposure, and the neighbours' incident rules react.
    func adaptiveLoop(_ db: VigilDatabase) async throws {
        let file = (examples as NSString).appendingPathComponent("alerts/eve-attack.jsonl")
        section("9. Suricata reports vm-acme-web-1 (10.10.1.11) attacking: replay the EVE alerts")
        print("$ vigil ingest --format suricata \(file)")
        let now = Timestamp(Date().timeIntervalSince1970)
        let summary = try await AlertIngestion.run(
            text: try InputFile.read(file), format: .suricata, db: db, now: now)
        summary.printTable()
        print("")
        var t = TextTable("INCIDENT", "SUBJECT", "ROLE", "ACTION", "STATE", "DETAIL")
        let actions = try db.actions()
        let incidents = try db.incidents()
        for (_, i) in incidents where i.source == "suricata" {
            for a in actions[i.id] ?? [] {
                t.add(i.id, "\(i.subject.kind) \(i.subject.value)", i.role ?? "-", a.kind, a.state, a.detail)
            }
        }
        t.print()
        section("10. The quarantine migration is a standard change that moved the VM's anti-spoofing rules")
        print("$ vigil changes")
        let changes = try db.changes()
        for c in changes {
            print(
                "\(c.id): \(c.vm) \(c.from ?? "-") → \(c.to), \(c.state.rawValue), standard: \(c.standard), \(c.reason)"
            )
        }
        if let c = changes.first {
            print("\n$ vigil antispoof --host \(c.to) --format nft")
            let rules = AntiSpoofRule.rules(on: c.to, cmdb: try db.loadCmdb())
            print(NftablesRenderer.render(host: c.to, rules: rules), terminator: "")
        }
        section("11. Problem records: who was exposed, and which VMs are configured identically")
        for p in try db.problems() {
            print("\(p.id) for \(p.incident): \(p.subject.kind) \(p.subject.value) since \(RFC3339.format(p.since))")
            print("  " + p.body.prefix(400) + (p.body.count > 400 ? "…" : ""))
        }
        let at = incidents.map(\.time).max() ?? now
        let world = PolicyWorld.build(try WorldLoader.input(db, at: at + 60, historical: false))
        section("12. The neighbours' maxIncidents rules see the incidents: audit and remediation plan")
        print("$ vigil audit --at \(RFC3339.format(at + 60))")
        AuditTable.print(Auditor.audit(world), at: at + 60)
        print("\n$ vigil plan --at \(RFC3339.format(at + 60))")
        PlanTable.print(Planner.plan(world))
    }
}
