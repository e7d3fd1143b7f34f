import Foundation
import VigilCore
import VigilIngest
import VigilService
import VigilStore
import VigilTestSupport

/// Issue 4's benchmarks: EVE ingest throughput (parse, IP→VM attribution, playbooks, durable recording) and
/// alert → action decision latency on a generated datacenter.
public struct IncidentBench {
    let full: Bool

    public init(full: Bool) { self.full = full }

    static let playbooks = """
        apiVersion: vigil/v1
        kind: Playbooks
        playbooks:
          - name: contain-vm
            when: {subject: vm, minSeverity: high, role: attacker}
            actions: [snapshot, quarantine, exposure]
          - name: evacuate-host
            when: {subject: host, minSeverity: high}
            actions: [mark-compromised, evacuate, exposure]
          - name: snapshot-victim
            when: {subject: vm, minSeverity: medium, role: victim}
            actions: [snapshot]

        """

    public func run() async throws -> BenchReport {
        var report = BenchReport(bench: "incident")
        let config =
            full
            ? GeneratorConfig(sites: 10, hosts: 5000, vms: 100_000, tenants: 400, days: 30, events: 100_000, seed: 8)
            : GeneratorConfig(sites: 3, hosts: 200, vms: 4000, tenants: 30, days: 30, events: 10_000, seed: 8)
        let scratch = try BenchDirectory("incident")
        let dir = scratch.path
        defer { scratch.remove() }
        Console.error("generating \(config.hosts) hosts, \(config.vms) VMs …")
        let dc = DatacenterGenerator.generate(config)
        let files = try GeneratedFiles.write(dc, to: dir)
        try Self.playbooks.write(toFile: dir + "/playbooks.yaml", atomically: true, encoding: .utf8)
        let db = try VigilDatabase(path: dir + "/bench.db")
        let now = (dc.events.last?.time ?? config.start) + 3600
        _ = try DocumentImporter.importFiles(files + [dir + "/playbooks.yaml"], into: db, now: now)

        // EVE ingest: a realistic mix — most records are not alerts; most alerts are low severity and name
        // external addresses; a few name VMs (some high: quarantine) and host management addresses.
        let lines = full ? 200_000 : 20_000
        let eve = Self.eve(lines: lines, dc: dc, start: now)
        var t0 = nanos()
        let summary = try await AlertIngestion.run(text: eve, format: .suricata, db: db, now: now)
        let seconds = Double(nanos() - t0) / 1e9
        Console.error(
            "  \(summary.alerts) alerts, \(summary.incidents) incidents, \(summary.decisions.filter { !$0.playbooks.isEmpty }.count) responses"
        )
        report.add(
            "EVE ingest (parse, IP→VM, playbooks, durable)", Double(lines) / seconds, "lines/s", target: "≥ 50000")

        // Decision latency, in process.
        t0 = nanos()
        let input = try WorldLoader.input(db, at: now, historical: false)
        var responder = IncidentResponder(world: PolicyWorld.build(input), playbooks: try Self.playbookSet())
        Console.error("  responder ready in \((nanos() - t0) / 1_000_000) ms")
        var rng = SplitMix64(seed: 4)
        var times: [Double] = []
        var hostTimes: [Double] = []
        let vmIDs = input.cmdb.vms.keys.sorted()
        let hostIDs = input.cmdb.hosts.values.filter { $0.role == .general }.map(\.id).sorted()
        for k in 0..<2000 {
            let hostIncident = k % 50 == 0
            let subject: IncidentSubject =
                hostIncident ? .host(hostIDs[rng.below(hostIDs.count)]) : .vm(vmIDs[rng.below(vmIDs.count)])
            let incident = Incident(
                id: "bench-\(k)", subject: subject, severity: [.low, .medium, .high][rng.below(3)], source: "suricata",
                signature: "bench", role: hostIncident ? nil : (rng.chance(0.5) ? "attacker" : "victim"))
            let s = nanos()
            _ = responder.respond(to: incident, at: now + Int64(k))
            let us = Double(nanos() - s) / 1e6
            if hostIncident { hostTimes.append(us) } else { times.append(us) }
        }
        let all = (times + hostTimes).sorted()
        times.sort()
        hostTimes.sort()
        report.add("alert → action decision p99 (all, 2% host incidents)", quantile(all, 0.99), "ms", target: "≤ 5")
        report.add("alert → action decision p50 (VM subjects)", quantile(times, 0.5), "ms", target: "-")
        report.add("alert → action decision p99 (VM subjects)", quantile(times, 0.99), "ms", target: "≤ 5")
        report.add("alert → action decision p99 (host: evacuate)", quantile(hostTimes, 0.99), "ms", target: "≤ 5")
        return report
    }

    static func playbookSet() throws -> PlaybookSet {
        guard case .playbooks(let p) = try DocumentLoader.load(file: "playbooks.yaml", text: playbooks).document else {
            return PlaybookSet(playbooks: [])
        }
        return p
    }

    static func eve(lines: Int, dc: GeneratedDatacenter, start: Timestamp) -> String {
        var rng = SplitMix64(seed: 21)
        var out = ""
        out.reserveCapacity(lines * 420)
        let types = ["flow", "dns", "http", "tls", "fileinfo", "netflow"]
        for i in 0..<lines {
            let ts = RFC3339.format(start + Int64(i / 50)).replacingOccurrences(
                of: "Z", with: ".\(100_000 + i % 900_000)+0000")
            let vm = dc.inventory.vms[rng.below(dc.inventory.vms.count)]
            let vmIP = vm.nics.first?.ip ?? "10.0.0.1"
            let external = "203.0.\(rng.below(256)).\(rng.below(256))"
            if rng.below(10) < 6 {
                let t = types[rng.below(types.count)]
                out +=
                    "{\"timestamp\":\"\(ts)\",\"flow_id\":\(1_000_000 + i),\"in_iface\":\"ens2f1\",\"event_type\":\"\(t)\",\"src_ip\":\"\(vmIP)\",\"src_port\":\(1024 + rng.below(60000)),\"dest_ip\":\"\(external)\",\"dest_port\":443,\"proto\":\"TCP\",\"\(t)\":{\"pkts_toserver\":12,\"bytes_toserver\":2048}}\n"
                continue
            }
            let roll = rng.below(1000)
            let severity = roll < 2 ? 1 : (roll < 30 ? 2 : 3)
            let (src, dest): (String, String) =
                roll < 400
                ? (external, "198.51.100.\(rng.below(256))") : (rng.chance(0.5) ? (vmIP, external) : (external, vmIP))
            out +=
                "{\"timestamp\":\"\(ts)\",\"flow_id\":\(1_000_000 + i),\"in_iface\":\"ens2f1\",\"event_type\":\"alert\",\"src_ip\":\"\(src)\",\"src_port\":\(1024 + rng.below(60000)),\"dest_ip\":\"\(dest)\",\"dest_port\":80,\"proto\":\"TCP\",\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":\(2_000_000 + rng.below(5000)),\"rev\":3,\"signature\":\"ET SCAN bench signature \(rng.below(300))\",\"category\":\"Attempted Information Leak\",\"severity\":\(severity)},\"app_proto\":\"http\"}\n"
        }
        return out
    }
}
