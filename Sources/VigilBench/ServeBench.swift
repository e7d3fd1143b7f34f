import Foundation
import GRDB
import Logging
import Synchronization
import VigilCore
import VigilIngest
import VigilServer
import VigilService
import VigilStore
import VigilTestSupport

/// Issue 10's benchmark: `vigil serve` over a generated datacenter, loaded from a second process on loopback
/// (`wrk`): placement decisions beside a no-op route's ceiling from the same run, alert intake over the Unix
/// socket (durable), start-to-ready and resident memory.
public struct ServeBench {
    let full: Bool
    let parts: Set<String>
    /// The parts `--only` can pick.
    public static let parts: Set<String> = ["startup", "placements", "intake", "latency"]

    public init(full: Bool, parts: Set<String> = Self.parts) {
        self.full = full
        self.parts = parts
    }

    public func run() async throws -> BenchReport {
        var report = BenchReport(bench: "serve")
        if parts.contains("startup") { try startup(&report) }
        guard !parts.isDisjoint(with: ["placements", "intake", "latency"]) else { return report }
        let config =
            full
            ? GeneratorConfig(sites: 10, hosts: 5000, vms: 50_000, tenants: 400, days: 30, events: 100_000, seed: 10)
            : GeneratorConfig(sites: 3, hosts: 200, vms: 2000, tenants: 20, days: 30, events: 4000, seed: 10)
        let scratch = try BenchDirectory("serve")
        defer { scratch.remove() }
        let dir = scratch.path
        Console.error("generating \(config.hosts) hosts, \(config.vms) VMs, \(config.events) events …")
        var dc = DatacenterGenerator.generate(config)
        // Quarantine hosts reach every network of their site (the VM keeps its addresses; its anti-spoofing
        // filter isolates it), so a quarantine has somewhere to go.
        for i in dc.inventory.hosts.indices where dc.inventory.hosts[i].role == .quarantine {
            let site = dc.inventory.hosts[i].site
            dc.inventory.hosts[i].networks = dc.inventory.networks.map(\.id).filter { $0.hasPrefix(site + "-") }
        }
        let files = try GeneratedFiles.write(dc, to: dir)
        try Self.playbooks.write(toFile: dir + "/playbooks.yaml", atomically: true, encoding: .utf8)
        let db = try VigilDatabase(path: dir + "/serve.db")
        _ = try DocumentImporter.importFiles(
            files + [dir + "/playbooks.yaml"], into: db, now: config.start + Int64(config.days) * 86400)
        let token = try APIToken.generate()
        var configuration = VigilConfiguration()
        configuration.listen = "127.0.0.1:0"
        configuration.tokens = [.init(name: "bench", role: "admin", sha256: APIToken.hash(token))]
        configuration.suricataSocket = dir + "/eve.sock"
        let ready = Mutex<Int?>(nil)
        let started = nanos()
        let server = Task {
            try await VigilServer.run(
                db: db, configuration: configuration,
                logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }),
                onReady: { port in ready.withLock { $0 = port } })
        }
        defer { server.cancel() }
        var port = 0
        while true {
            if let p = ready.withLock({ $0 }) {
                port = p
                break
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        report.add(
            "start to ready (in process), \(config.vms) VMs / \(config.events) events", Double(nanos() - started) / 1e9,
            "s", target: "-")
        if parts.contains("placements") {
            let seconds = full ? 10 : 3
            // The ceiling: a no-op route through the same server.
            let noop = try Self.wrk(port: port, path: "/healthz", script: nil, seconds: seconds, dir: dir)
            let lua = """
                math.randomseed(7)
                wrk.method = "POST"
                wrk.headers["Authorization"] = "Bearer \(token)"
                wrk.headers["Content-Type"] = "application/json"
                request = function()
                  return wrk.format(nil, nil, nil, string.format('{"vm":"vm-%06d"}', math.random(1, \(config.vms))))
                end
                """
            let place = try Self.wrk(port: port, path: "/v1/placements", script: lua, seconds: seconds, dir: dir)
            report.add("no-op route (GET /healthz), 16 connections", noop.rps, "req/s", target: "ceiling")
            report.add(
                "POST /v1/placements, 16 connections", place.rps, "decisions/s", target: "≥ 5000", peer: noop.rps)
            report.add("POST /v1/placements p99", place.p99ms, "ms", target: "≤ 5")
            report.add("placements / no-op", place.rps / max(noop.rps, 1) * 100, "%", target: "≥ 50")
            if place.errors > 0 { throw ServiceError(.findings, "wrk saw \(place.errors) non-2xx placement answers") }
        }
        if parts.contains("intake") {
            // Unix-socket EVE intake, durable: the EVE mix of `vigil bench incident` (most lines are not alerts; most
            // alerts name external addresses; a few name VMs, some high: snapshot and quarantine), then alerts only.
            let lines = full ? 200_000 : 20_000
            let start = try db.historyEnd() + 60
            let mixed = try await intake(
                IncidentBench.eve(lines: lines, dc: dc, start: start), db: db, socket: configuration.suricataSocket,
                dir: dir)
            report.add(
                "Unix-socket EVE intake, durable, \(lines) lines (EVE mix of bench incident)", mixed, "lines/s",
                target: "≥ 50000")
            let alertsOnly = try await intake(
                try String(contentsOfFile: try Self.writeEVE(lines: lines, dir: dir), encoding: .utf8), db: db,
                socket: configuration.suricataSocket, dir: dir)
            report.add(
                "Unix-socket EVE intake, durable, \(lines) lines, every line an alert (an incident each)", alertsOnly,
                "lines/s", target: "-")
        }
        if parts.contains("latency") {
            // The intake left a long write-ahead log; copy it into the database first, so the latency run measures
            // alerts at 1,000/s rather than the checkpoint of the previous phase.
            try db.checkpoint()
            // 1 in 100 alerts a quarantine (10 a second, for 20 s: 200 changes asked for), then 1 in 20 (50 a second,
            // for 10 s) as a stress figure.
            var quarantined: Set<String> = []
            for every in [100, 20] {
                try alertLatency(
                    &report, port: port, token: token, dc: dc, db: db,
                    seconds: (full ? 10 : 3) * (every == 100 ? 2 : 1),
                    every: every,
                    skipping: &quarantined, dir: dir)
            }
        }
        report.add(
            "resident set of the bench process at end (generator, server, load)", Self.residentMiB(), "MiB", target: "-"
        )
        return report
    }

    /// Writes `text` (EVE lines) and a last sentinel alert into the intake socket from a second process and waits
    /// until the sentinel's incident is recorded (lines are handled in order); returns lines per second.
    func intake(_ text: String, db: VigilDatabase, socket: String?, dir: String) async throws -> Double {
        let sentinel = "192.0.2.\(Int.random(in: 1...254))"
        let marker =
            #"{"timestamp":"2026-12-31T00:00:00.000000+0000","flow_id":\#(Int.random(in: 1...1 << 40)),"event_type":"alert","src_ip":"\#(sentinel)","src_port":1,"dest_ip":"198.51.100.1","dest_port":1,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":1,"rev":1,"signature":"bench sentinel","category":"x","severity":3}}"#
        let file = dir + "/intake.jsonl"
        try (text + marker + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let lines = text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } + 1
        let t0 = nanos()
        try Self.sendEVE(file: file, to: socket ?? "", dir: dir)
        while try db.read({ db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents WHERE subject = ?", arguments: [sentinel])
        }) ?? 0 == 0 {
            try await Task.sleep(for: .milliseconds(10))
            if Double(nanos() - t0) / 1e9 > 600 {
                throw ServiceError(.findings, "the intake did not record every line")
            }
        }
        return Double(lines) / (Double(nanos() - t0) / 1e9)
    }

    static let playbooks = """
        apiVersion: vigil/v1
        kind: Playbooks
        playbooks:
          - name: contain-vm
            when: {subject: vm, minSeverity: high, role: attacker}
            actions: [snapshot, quarantine]

        """

    /// Suricata alerts POSTed at 1,000/s for `seconds` from a second process: 1 in `every` is a high-severity
    /// alert from a distinct running VM not yet quarantined (its playbook snapshots and quarantines it: a change),
    /// the rest name external addresses (recorded incidents, no response). Reports POST → first `change` event on
    /// `/v1/stream` for the former and POST → 200 for all.
    func alertLatency(
        _ report: inout BenchReport, port: Int, token: String, dc: GeneratedDatacenter, db: VigilDatabase,
        seconds: Int, every: Int, skipping quarantined: inout Set<String>, dir: String
    ) throws {
        let cmdb = try db.loadCmdb()
        var rng = SplitMix64(seed: 77)
        let candidates = dc.inventory.vms.filter { cmdb.vms[$0.id]?.state == .running && cmdb.vms[$0.id]?.host != nil }
        var chosen: [VM] = []
        let n = 1000 * seconds
        while chosen.count < n / every && quarantined.count < candidates.count {
            let v = candidates[rng.below(candidates.count)]
            if quarantined.insert(v.id).inserted { chosen.append(v) }
        }
        var out = ""
        let time = RFC3339.format(try db.historyEnd() + 60)
        for k in 0..<n {
            let vm = k % every == every / 2 && k / every < chosen.count ? chosen[k / every] : nil
            let src = vm?.nics.first?.ip ?? "203.0.\(k / 250 % 250).\(k % 250 + 1)"
            let line =
                #"{"timestamp":"\#(time)","flow_id":\#(9_000_000 + every * 100_000 + k),"event_type":"alert","src_ip":"\#(src)","src_port":40000,"dest_ip":"198.51.100.7","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2024897,"rev":3,"signature":"ET EXPLOIT bench","category":"A Network Trojan was detected","severity":\#(vm == nil ? 3 : 1)}}"#
            out += "\(vm?.id ?? "-")\t\(line)\n"
        }
        try out.write(toFile: dir + "/alerts.tsv", atomically: true, encoding: .utf8)
        try LoadScripts.alertLatency.write(toFile: dir + "/latency.py", atomically: true, encoding: .utf8)
        let json = try Self.capture(
            "/usr/bin/env",
            [
                "python3", dir + "/latency.py", String(port), token, dir + "/alerts.tsv", "1000",
                String(try db.headSeq()),
            ])
        let f = try Self.figures(json)
        Console.error(
            "  alerts: \(Int(f["rate"] ?? 0))/s sent, \(Int(f["errors"] ?? 0)) errors, change events for \(Int(f["seen"] ?? 0)) of \(Int(f["expected"] ?? 0)) VMs"
        )
        if (f["errors"] ?? 1) > 0 { throw ServiceError(.findings, "the alert load saw non-200 answers: \(json)") }
        let label = "1,000 alerts/s, 1 in \(every) a quarantine"
        report.add("\(label): rate achieved", f["rate"] ?? 0, "alerts/s", target: "1000")
        report.add("\(label): POST → 200 p99 (all alerts)", f["ack_p99"] ?? 0, "ms", target: "-")
        report.add(
            "\(label): POST → change event p50 (\(Int(f["seen"] ?? 0)) of \(Int(f["expected"] ?? 0)) changes)",
            f["change_p50"] ?? 0, "ms", target: "-")
        report.add(
            "\(label): POST → change event p99", f["change_p99"] ?? 0, "ms", target: every == 100 ? "≤ 20" : "-")
        report.add("\(label): POST → change event, slowest", f["change_max"] ?? 0, "ms", target: "-")
    }

    /// The numbers of the JSON object a load script printed last.
    static func figures(_ output: String) throws -> [String: Double] {
        guard let line = output.split(separator: "\n").last,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw ServiceError(.failure, "the load script gave no figures: \(output)") }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    /// Start to ready of a separate `vigil serve` process over 100k VMs / 1M events, and its resident set then.
    func startup(_ report: inout BenchReport) throws {
        var config =
            full
            ? GeneratorConfig(sites: 10, hosts: 5000, vms: 100_000, tenants: 400, days: 90, events: 1_000_000, seed: 42)
            : GeneratorConfig(sites: 3, hosts: 100, vms: 2000, tenants: 30, days: 90, events: 20_000, seed: 42)
        let growthEvents = full ? 1_000_000 : 20_000
        let scratch = try BenchDirectory("serve-startup")
        defer { scratch.remove() }
        let dir = scratch.path
        Console.error("start-up: generating \(config.vms) VMs, \(config.events) events and importing them …")
        // The server runs on the wall clock: the history and the growth load (one event a second after it) are
        // placed so they end an hour before today, whatever today is, so the figures do not depend on the date.
        var dc = DatacenterGenerator.generate(config)
        let span = (dc.events.last?.time ?? config.start) - config.start + 60 + Int64(growthEvents) + 3600
        config.start = (Int64(Date().timeIntervalSince1970) - span) / 86400 * 86400
        dc = DatacenterGenerator.generate(config)
        let files = try GeneratedFiles.write(dc, to: dir)
        let db = try VigilDatabase(path: dir + "/big.db")
        _ = try DocumentImporter.importFiles(files, into: db, now: config.start + Int64(config.days) * 86400)
        try db.checkpoint()
        let token = try APIToken.generate()
        try """
        apiVersion: vigil/v1
        kind: Configuration
        listen: 127.0.0.1:0
        tokens:
          - {name: bench, role: admin, sha256: \(APIToken.hash(token))}

        """.write(toFile: dir + "/vigil.yaml", atomically: true, encoding: .utf8)
        // The further load, written before the server starts: placement events (migrations between general hosts,
        // 10,000 per POST) and Suricata alerts (5,000 per POST).
        let (eventFiles, alertFiles) = try Self.growthLoad(
            db: db, events: growthEvents, alerts: full ? 100_000 : 5000, dir: dir)
        // A kept directory also keeps the database as the server found it, to rerun the growth load by hand.
        if scratch.kept { try FileManager.default.copyItem(atPath: dir + "/big.db", toPath: dir + "/before-load.db") }
        let t0 = nanos()
        let (p, seen) = try Self.startServer(dir: dir, log: "serve.log")
        defer {
            p.terminate()
            p.waitUntilExit()
        }
        let seconds = Double(nanos() - t0) / 1e9
        let rss = Self.residentMiB(pid: p.processIdentifier)
        report.add(
            "start to ready (separate process), \(config.vms) VMs / \(config.events) events", seconds, "s",
            target: full ? "≤ 3" : "-")
        report.add(
            "resident set at ready, \(config.vms) VMs / \(config.events) events", rss, "MiB",
            target: full ? "≤ 1024" : "-")
        // The baseline of the growth: once the alert session is prepared too (just after ready).
        let before = try Self.residentMiBOnce(p, logged: "response session prepared", in: dir + "/serve.log")
        guard
            let port = seen.split(separator: "ready on port").last?.prefix(while: { $0 != "\n" })
                .trimmingCharacters(in: .whitespaces)
        else { throw ServiceError(.failure, "no port in: \(seen)") }
        try LoadScripts.postFiles.write(toFile: dir + "/post.py", atomically: true, encoding: .utf8)
        for (path, files, what, per) in [
            ("/v1/events", eventFiles, "placement events", 10_000), ("/v1/alerts/suricata", alertFiles, "alerts", 5000),
        ] {
            let output = try Self.capture("/usr/bin/env", ["python3", dir + "/post.py", port, token, path] + files)
            let f = try Self.figures(output)
            // Every body must be accepted: a rejected one would measure the refusal, not the work.
            guard let secs = f["seconds"], f["failed"] == 0 else {
                throw ServiceError(.findings, "POST \(path) was not accepted every time: \(output.suffix(600))")
            }
            report.add(
                "POST \(path), \(files.count * per) \(what) in bodies of \(per), durable",
                Double(files.count * per) / secs,
                "\(what)/s", target: "-")
        }
        let grown = Self.residentMiB(pid: p.processIdentifier)
        report.add("resident set after them", grown, "MiB", target: "-")
        // What the new state itself needs: a server started afresh on the grown database holds exactly the state
        // (the same live engines, session and caches, with nothing left over from serving); its resident set at
        // ready, less the first one's, is the new state's size.
        let (fresh, _) = try Self.startServer(dir: dir, log: "restart.log")
        let restarted = try Self.residentMiBOnce(fresh, logged: "response session prepared", in: dir + "/restart.log")
        fresh.terminate()
        fresh.waitUntilExit()
        report.add("resident set with the alert session prepared, before the load", before, "MiB", target: "-")
        report.add(
            "resident set of a server started afresh on the grown database, alert session prepared", restarted, "MiB",
            target: "-")
        report.add(
            "growth", grown - before, "MiB",
            target: String(format: "≤ %.0f (the fresh server's − the first's)", restarted - before))
    }

    /// The resident set of `p` once its log at `path` contains `line` (within 60 s).
    static func residentMiBOnce(_ p: Process, logged line: String, in path: String) throws -> Double {
        let t0 = nanos()
        while !((try? String(contentsOfFile: path, encoding: .utf8))?.contains(line) ?? false) {
            guard p.isRunning, nanos() - t0 < 60_000_000_000 else {
                throw ServiceError(.findings, "vigil serve did not log \"\(line)\" within 60 s")
            }
            usleep(10_000)
        }
        return residentMiB(pid: p.processIdentifier)
    }

    /// Starts `vigil serve` on the bench database as a separate process and waits until it is ready; returns it
    /// and its log so far. Its log goes to a file: a pipe nobody drains after start-up would stall it once full.
    static func startServer(dir: String, log name: String) throws -> (Process, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["serve", "--db", dir + "/big.db", "--config", dir + "/vigil.yaml"]
        let log = dir + "/" + name
        FileManager.default.createFile(atPath: log, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: log)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = ""
        while !seen.contains("ready on port") || !seen.hasSuffix("\n") {
            guard p.isRunning else { throw ServiceError(.findings, "vigil serve ended before it was ready: \(seen)") }
            usleep(2000)
            seen = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        }
        return (p, seen)
    }

    /// Writes the files of the growth load: `events` migrations of placed VMs to other general hosts of their site,
    /// one second apart after the history, and `alerts` Suricata alerts (19 in 20 from external addresses, the
    /// others low severity from VMs: recorded incidents, no response).
    static func growthLoad(db: VigilDatabase, events: Int, alerts: Int, dir: String) throws -> (
        events: [String], alerts: [String]
    ) {
        let cmdb = try db.loadCmdb()
        var hostOf: [String] = []
        var vmIDs: [String] = []
        for (id, vm) in cmdb.vms.sorted(by: { $0.key < $1.key }) {
            guard let h = vm.host else { continue }
            vmIDs.append(id)
            hostOf.append(h)
        }
        var sites: [String: [String]] = [:]
        for h in cmdb.hosts.values.sorted(by: { $0.id < $1.id }) where h.role == .general {
            sites[h.site, default: []].append(h.id)
        }
        var rng = SplitMix64(seed: 99)
        var t = try db.historyEnd() + 60
        var eventFiles: [String] = []
        for chunk in 0..<(events / 10_000) {
            var text = ""
            text.reserveCapacity(10_000 * 120)
            for _ in 0..<10_000 {
                let k = rng.below(vmIDs.count)
                guard let pool = cmdb.hosts[hostOf[k]].flatMap({ sites[$0.site] }), pool.count > 1 else { continue }
                var to = pool[rng.below(pool.count)]
                if to == hostOf[k] { to = pool[(pool.firstIndex(of: to).map { $0 + 1 } ?? 0) % pool.count] }
                text +=
                    #"{"time":"\#(RFC3339.format(t))","type":"vm.migrated","vm":"\#(vmIDs[k])","from":"\#(hostOf[k])","to":"\#(to)"}"#
                    + "\n"
                hostOf[k] = to
                t += 1
            }
            let file = dir + "/events-\(chunk).ndjson"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            eventFiles.append(file)
        }
        let time = RFC3339.format(t + 60)
        var alertFiles: [String] = []
        for chunk in 0..<(alerts / 5000) {
            var text = ""
            for i in 0..<5000 {
                let k = chunk * 5000 + i
                let src =
                    k % 20 == 0
                    ? (cmdb.vms[vmIDs[k % vmIDs.count]]?.nics.first?.ip ?? "10.0.0.1")
                    : "203.0.\(k / 250 % 250).\(k % 250 + 1)"
                text +=
                    #"{"timestamp":"\#(time)","flow_id":\#(5_000_000 + k),"event_type":"alert","src_ip":"\#(src)","src_port":40000,"dest_ip":"198.51.100.7","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2100498,"rev":7,"signature":"GPL ATTACK_RESPONSE id check returned root","category":"x","severity":3}}"#
                    + "\n"
            }
            let file = dir + "/alerts-\(chunk).ndjson"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            alertFiles.append(file)
        }
        return (eventFiles, alertFiles)
    }

    struct WrkResult {
        var rps: Double
        var p99ms: Double
        var errors: Int
    }

    /// Runs `wrk` (a second process) against `path` and reads its requests/s, p99 latency and errors.
    static func wrk(port: Int, path: String, script: String?, seconds: Int, dir: String) throws -> WrkResult {
        var args = ["-t1", "-c16", "-d\(seconds)s", "--latency"]
        if let script {
            let file = dir + "/load.lua"
            try script.write(toFile: file, atomically: true, encoding: .utf8)
            args += ["-s", file]
        }
        args.append("http://127.0.0.1:\(port)\(path)")
        let out = try Self.capture("/usr/bin/wrk", args)
        func number(after label: String) -> Double? {
            guard let line = out.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
            return line.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .letters)) }.last
        }
        guard let rps = number(after: "Requests/sec:") else {
            throw ServiceError(.failure, "wrk gave no figures (apt-get install wrk): \(out)")
        }
        var p99 = 0.0
        if let line = out.split(separator: "\n").first(where: {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%")
        }) {
            let value = line.split(separator: " ").last.map(String.init) ?? ""
            let digits = Double(value.trimmingCharacters(in: .letters)) ?? 0
            p99 = value.hasSuffix("us") ? digits / 1000 : value.hasSuffix("ms") ? digits : digits * 1000
        }
        let errors =
            out.split(separator: "\n").first { $0.contains("Non-2xx") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        return WrkResult(rps: rps, p99ms: p99, errors: errors)
    }

    /// Writes `lines` EVE alert lines to a file (outside the timing).
    static func writeEVE(lines: Int, dir: String) throws -> String {
        let script = """
            import json, sys
            n = int(sys.argv[2])
            with open(sys.argv[1], "w") as f:
                for k in range(n):
                    f.write(json.dumps({"timestamp": "2026-12-01T00:%02d:%02d.%06d+0000" % (k // 60 % 60, k % 60, k),
                        "flow_id": k + 1, "event_type": "alert", "src_ip": "203.0.%d.%d" % (k // 250 % 250, k % 250 + 1),
                        "src_port": 1024 + k % 60000, "dest_ip": "198.51.100.7", "dest_port": 80, "proto": "TCP",
                        "alert": {"action": "allowed", "gid": 1, "signature_id": 2100498, "rev": 7,
                                  "signature": "GPL ATTACK_RESPONSE id check returned root", "category": "x",
                                  "severity": 3}}) + "\\n")
            """
        let file = dir + "/gen.py"
        let out = dir + "/eve.jsonl"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try capture("/usr/bin/env", ["python3", file, out, String(lines)])
        return out
    }

    /// Writes a file's EVE lines into the intake socket from a second process (python3), without pauses, as
    /// a busy sensor writes.
    static func sendEVE(file: String, to socket: String, dir: String) throws {
        let script = """
            import socket, sys
            data = open(sys.argv[2], "rb").read()
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            for i in range(0, len(data), 1 << 20):
                s.sendall(data[i:i + (1 << 20)])
            s.close()
            """
        let path = dir + "/send.py"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try capture("/usr/bin/env", ["python3", path, socket, file])
    }

    /// A tool's standard output and error, once it has finished.
    static func capture(_ tool: String, _ args: [String]) throws -> String {
        try ProcessRunner.run(tool, args).output
    }

    /// A process's resident set (VmRSS), in MiB (default: this process).
    static func residentMiB(pid: Int32? = nil) -> Double {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = line.split(separator: " ").compactMap({ Double($0) }).first
        else { return 0 }
        return kb / 1024
    }
}
