import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// `vigil demo`: imports the bundled example datacenter into a fresh database and walks through it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import examples/ into a fresh database and show state, a VM's neighbours over time and its exposure."
    )

    @Option(help: "Directory of the example datacenter.") var examples = "examples"
    @Option(help: "Database to create (replaced if it exists).") var db = "./vigil-demo.db"

    func run() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let files = ["inventory.yaml", "policies.yaml", "vulnerabilities.yaml", "events.jsonl"].map {
            (examples as NSString).appendingPathComponent($0)
        }
        let database = try VigilDatabase(path: db)
        section("1. Import the example datacenter (durable, hash-chained)")
        print("$ vigil import \(files.joined(separator: " "))")
        let result = try Importer.importFiles(files, into: database, now: Timestamp(Date().timeIntervalSince1970))
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
        let historyEnd = try database.historyEnd()
        for i in own.sorted(by: { $0.start < $1.start }) {
            let until = i.end ?? historyEnd
            let others = index.exposure(vm: vm, since: i.start, until: max(until, i.start + 1)).filter {
                $0.host == i.host
            }
            print(
                "\(RFC3339.format(i.start)) → \(i.end.map(RFC3339.format) ?? "now"): on \(i.host) with \(others.map(\.vm).joined(separator: ", "))"
            )
        }
        let end = try database.historyEnd()
        let start = end - 30 * 86400
        section("5. Exposure of \(vm) over the last 30 days of history")
        print("$ vigil exposure --vm \(vm) --since \(RFC3339.format(start)) --until \(RFC3339.format(end))")
        try ExposureReport.forVM(vm, db: database, since: start, until: end).printTable()
        let now = Timestamp(Date().timeIntervalSince1970)
        let world = PolicyWorld.build(try WorldLoader.input(database, at: now, historical: false))
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
        section("9. The event log's hash chain")
        let report = try database.verify()
        print(report.isValid ? "ok: \(report.intact) records, chain intact" : "TAMPERED: \(report.reason ?? "")")
        print("\nDatabase: \(db). Try: vigil show vm \(vm) --db \(db)")
    }

    func section(_ title: String) { print("\n== \(title)") }
}
