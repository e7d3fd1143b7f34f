import Foundation
import GRDB
import Testing
import VigilCore
import VigilIngest
import VigilTestFixtures
import VigilTestSupport

@testable import VigilStore

/// A fresh database in a temporary directory, removed at deinit.
final class TempDB {
    let dir: String
    let db: VigilDatabase
    var path: String { dir + "/test.db" }

    init() throws {
        dir = NSTemporaryDirectory() + "vigil-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        db = try VigilDatabase(path: dir + "/test.db")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func load(_ file: String, _ text: String) throws -> SourceDocument {
        try DocumentLoader.load(file: file, text: text)
    }

    func importFixtures() throws -> ImportResult {
        try db.importDocuments(
            [
                load("inv.yaml", Fixtures.inventory), load("pol.yaml", Fixtures.policies),
                load("vul.yaml", Fixtures.vulnerabilities), load("ev.jsonl", Fixtures.events),
            ], now: 1_800_000_000)
    }

    /// Turns the file back into schema v3: one `intervals` row per interval, open ones included, no chunks.
    func downgradeToVersion3() throws {
        let all = try db.allIntervals()
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE intervals(
                        host TEXT NOT NULL, start INTEGER NOT NULL, vm TEXT NOT NULL, end INTEGER,
                        baseline INTEGER NOT NULL DEFAULT 0, CHECK(end IS NULL OR end > start),
                        CONSTRAINT intervals_host PRIMARY KEY(host, start, vm)) WITHOUT ROWID;
                    DROP TABLE host_intervals;
                    DELETE FROM grdb_migrations WHERE identifier = 'v4-host-interval-chunks';
                    """)
            for i in all {
                try db.execute(
                    sql: "INSERT INTO intervals(vm, host, start, end, baseline) VALUES (?, ?, ?, ?, ?)",
                    arguments: [i.vm, i.host, i.start, i.end, i.baseline])
            }
        }
    }

    /// Runs raw SQL on the file behind Vigil's back, as an attacker with sqlite3 would.
    func tamper(_ sql: String) throws {
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: sql) }
    }
}

@Suite struct StoreTests {
    @Test func importRecordsStateAndHistory() throws {
        let t = try TempDB()
        let r = try t.importFixtures()
        #expect(r.records == 7)
        #expect(r.events == 4)
        #expect(try t.db.verify() == ChainReport(intact: 7, firstBad: nil, reason: nil))
        let t0 = RFC3339.parse("2026-09-01T00:00:00Z")!
        let t1 = RFC3339.parse("2026-10-01T12:00:00Z")!
        let t2 = RFC3339.parse("2026-10-02T08:30:00Z")!
        let t3 = RFC3339.parse("2026-10-03T00:00:00Z")!
        #expect(
            try t.db.intervals(vm: "vm-0002") == [
                PlacementInterval(vm: "vm-0002", host: "h-001", start: t0, end: t1, baseline: true),
                PlacementInterval(vm: "vm-0002", host: "h-002", start: t1, end: t2),
                PlacementInterval(vm: "vm-0002", host: "h-001", start: t2, end: nil),
            ])
        #expect(
            try t.db.intervals(vm: "vm-0001") == [
                PlacementInterval(vm: "vm-0001", host: "h-001", start: t0, end: t3, baseline: true)
            ])
        let cmdb = try t.db.loadCmdb()
        #expect(cmdb.vms["vm-0001"]?.host == nil)
        #expect(cmdb.vms["vm-0002"]?.host == "h-001")
        #expect(cmdb.tracks["vm-0002"] == VMTrack(host: "h-001", state: .running, lastEvent: t2, openStart: t2))
        #expect(cmdb.incidentIDs == ["inc-7"])
        #expect(try t.db.incidents().map(\.incident.subject) == [.vm("vm-0002")])
        #expect(try t.db.documentText(kind: "PolicySet") == Fixtures.policies)
        #expect(try t.db.placements(at: t1 + 10) == ["vm-0001": "h-001", "vm-0002": "h-002"])
    }

    @Test(arguments: [
        ("ip: 10.1.2.9", "ip: 10.1.2.3", "vms[0].nics[0].ip: ip 10.1.2.3 of vm-0003 is already owned by vm-0001"),
        (
            "mac: \"52:54:00:aa:bb:cc\"", "mac: \"52:54:00:12:34:57\"",
            "vms[0].nics[0].mac: mac 52:54:00:12:34:57 of vm-0003 is already owned by vm-0002"
        ),
    ])
    func anAddressHeldByAVMOutsideTheDocumentIsReportedAtTheNewcomer(from: String, to: String, message: String)
        throws
    {
        let t = try TempDB()
        _ = try t.importFixtures()
        let before = try t.db.loadCmdb()
        // A partial inventory adding one VM: vm-0001 and vm-0002 stay in the CMDB, untouched by it.
        let add = """
            apiVersion: vigil/v1
            kind: Inventory
            observedAt: 2026-10-01T00:00:00Z
            vms:
              - id: vm-0003
                tenant: acme
                environment: production
                securityLevel: 2
                resources: {vcpus: 2, memoryMiB: 4096}
                template: {id: debian-12, patchLevel: "2026.09"}
                nics: [{mac: "52:54:00:aa:bb:cc", ip: 10.1.2.9, network: int-1}]

            """
        let bad = Fixtures.replacing(add, from, to)
        let error = #expect(throws: DocumentError.self) {
            try t.db.importDocuments([t.load("add.yaml", bad)], now: 0)
        }
        #expect(error?.description == "add.yaml:11: " + message)
        #expect(try t.db.loadCmdb().vms.keys.sorted() == before.vms.keys.sorted())
        // Without the clash the same document is accepted.
        #expect(try t.db.importDocuments([t.load("add.yaml", add)], now: 0).records == 1)
    }

    @Test func reimportedInventoryBecomesEvents() throws {
        let t = try TempDB()
        _ = try t.db.importDocuments([t.load("inv.yaml", Fixtures.inventory)], now: 0)
        var second = Fixtures.replacing(
            Fixtures.inventory, "observedAt: 2026-09-01T00:00:00Z", "observedAt: 2026-09-05T00:00:00Z")
        second = Fixtures.replacing(
            second, "    host: h-001\n    state: running", "    host: h-002\n    state: quarantined")
        second = Fixtures.replacing(second, "    host: h-001\n", "")
        let r = try t.db.importDocuments([t.load("inv2.yaml", second)], now: 0)
        #expect(r.events == 3)
        let records = try t.db.records(vm: "vm-0002").map(\.body)
        #expect(
            records == [
                "{\"time\":\"2026-09-05T00:00:00Z\",\"type\":\"vm.migrated\",\"vm\":\"vm-0002\",\"from\":\"h-001\",\"to\":\"h-002\"}",
                "{\"time\":\"2026-09-05T00:00:00Z\",\"type\":\"vm.state\",\"vm\":\"vm-0002\",\"state\":\"quarantined\"}",
            ])
        #expect(try t.db.records(vm: "vm-0001").map(\.type) == ["vm.removed"])
        let cmdb = try t.db.loadCmdb()
        #expect(cmdb.vms["vm-0002"]?.state == .quarantined)
        #expect(cmdb.vms["vm-0001"]?.host == nil)
        // The same inventory again changes nothing but the document record.
        let again = try t.db.importDocuments([t.load("inv2.yaml", second)], now: 0)
        #expect(again.events == 0)
        // An inventory observed before the VMs' last events is rejected.
        let stale = Fixtures.replacing(
            Fixtures.inventory, "observedAt: 2026-09-01T00:00:00Z", "observedAt: 2026-09-03T00:00:00Z")
        let error = #expect(throws: DocumentError.self) {
            try t.db.importDocuments([t.load("old.yaml", stale)], now: 0)
        }
        #expect(
            error?.description.hasPrefix(
                "old.yaml:26: vms[0]: event at 2026-09-03T00:00:00Z is older than vm-0001's last recorded event")
                == true, "\(String(describing: error))")
    }

    @Test func errorInTheLastLineOfALargeFileChangesNothing() throws {
        let t = try TempDB()
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 2, hosts: 30, vms: 1000, tenants: 10, days: 30, events: 60_000, seed: 11))
        let inventory = JSONWriter.write(DocumentEncoder.inventory(dc.inventory))
        _ = try t.db.importDocuments([t.load("inv.json", inventory)], now: 0)
        let firstHalf = dc.events.prefix(30_000).map(\.jsonLine).joined(separator: "\n")
        _ = try t.db.importDocuments([t.load("a.jsonl", firstHalf)], now: 0)
        let before = (try t.db.recordCount(), try t.db.allIntervals().count, try t.db.loadCmdb().tracks)
        var lines = dc.events.dropFirst(30_000).map(\.jsonLine)
        lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: "\"time\"", with: "\"tim\"")
        let error = #expect(throws: DocumentError.self) {
            try t.db.importDocuments([t.load("b.jsonl", lines.joined(separator: "\n"))], now: 0)
        }
        #expect(error?.line == 30_000)
        #expect(try t.db.recordCount() == before.0)
        #expect(try t.db.allIntervals().count == before.1)
        #expect(try t.db.loadCmdb().tracks == before.2)
        #expect(try t.db.verify().isValid)
        // A semantic error (a migration from the wrong, existing host) in the last line: also nothing.
        var bad = dc.events.dropFirst(30_000).map { $0 }
        var tracker = PlacementTracker(tracks: before.2, hosts: Set(dc.inventory.hosts.map(\.id)))
        for e in bad { try tracker.apply(e) }
        let actual = tracker.track(of: "vm-000001")!.host
        let wrong = dc.inventory.hosts.map(\.id).first { $0 != actual && $0 != "h-00001" }!
        bad.append(Event(time: bad.last!.time + 1, body: .migrated(vm: "vm-000001", from: wrong, to: "h-00001")))
        let semantic = #expect(throws: DocumentError.self) {
            try t.db.importDocuments([t.load("c.jsonl", bad.map(\.jsonLine).joined(separator: "\n"))], now: 0)
        }
        #expect(semantic?.description == "c.jsonl:30001: vm-000001 is on \(actual ?? "no host"), not on \(wrong)")
        #expect(try t.db.recordCount() == before.0)
        #expect(try t.db.allIntervals().count == before.1)
    }

    @Test func storedIntervalsEqualAFreshReplayAndExposureMatchesReference() throws {
        let t = try TempDB()
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 2, hosts: 20, vms: 300, tenants: 8, days: 20, events: 8000, seed: 5))
        _ = try t.db.importDocuments(
            [t.load("inv.json", JSONWriter.write(DocumentEncoder.inventory(dc.inventory)))], now: 0)
        // Import in several files, so intervals cross import boundaries.
        for (i, chunk) in stride(from: 0, to: dc.events.count, by: 2500).enumerated() {
            let text = dc.events[chunk..<min(chunk + 2500, dc.events.count)].map(\.jsonLine).joined(separator: "\n")
            _ = try t.db.importDocuments([t.load("e\(i).jsonl", text)], now: 0)
        }
        var tracker = PlacementTracker(tracks: [:], hosts: Set(dc.inventory.hosts.map(\.id)))
        for vm in dc.inventory.vms {
            tracker.introduce(vm: vm.id, host: vm.host, state: vm.state, at: dc.inventory.observedAt!, baseline: true)
        }
        for e in dc.events { try tracker.apply(e) }
        let replayed = tracker.closed + tracker.openIntervalsOfTouched
        let key = { (i: PlacementInterval) in "\(i.vm) \(i.start) \(i.host) \(i.end ?? -1) \(i.baseline)" }
        let stored = try t.db.allIntervals()
        #expect(stored.map(key).sorted() == replayed.map(key).sorted())
        // The per-VM history packed in each VM's row agrees with the interval table and with the log.
        var byVM: [String: [PlacementInterval]] = [:]
        for i in stored { byVM[i.vm, default: []].append(i) }
        for vm in dc.inventory.vms.map(\.id) {
            #expect(try t.db.intervals(vm: vm).map(key) == (byVM[vm] ?? []).sorted { $0.start < $1.start }.map(key))
        }
        for vm in dc.inventory.vms.prefix(60).map(\.id) {
            let expected = dc.events.filter { $0.vm == vm }.map(\.jsonLine)
            #expect(try t.db.records(vm: vm).map(\.body) == expected)
        }
        // Host and window queries read only the chunks that reach into the window: same answer as filtering all.
        let hosts = dc.inventory.hosts.map(\.id)
        let t0 = dc.inventory.observedAt!
        var rng = SplitMix64(seed: 21)
        for k in 0..<40 {
            let since = t0 - 3600 + Int64(rng.below(21 * 86400))
            let until = since + 3600 + Int64(rng.below(5 * 86400))
            let picked = k % 4 == 0 ? hosts : [hosts[rng.below(hosts.count)], hosts[rng.below(hosts.count)]]
            let expected = stored.filter { picked.contains($0.host) && $0.start < until && ($0.end ?? .max) > since }
            #expect(
                try t.db.intervals(onHosts: picked, since: since, until: until).map(key).sorted()
                    == expected.map(key).sorted())
            let overlapping = stored.filter { $0.start <= until && ($0.end ?? .max) > since }
            #expect(
                try t.db.intervals(overlapping: since, until: until).map(key).sorted()
                    == overlapping.map(key).sorted())
        }
        let index = IntervalIndex(stored)
        let until = dc.inventory.observedAt! + 20 * 86400
        for vm in dc.inventory.vms.prefix(120).map(\.id) {
            #expect(
                index.exposure(vm: vm, since: until - 10 * 86400, until: until)
                    == ExposureReference.exposure(of: vm, in: stored, since: until - 10 * 86400, until: until))
        }
    }

    @Test func aVersion2DatabaseIsMigratedWithItsHistory() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        let vms = ["vm-0001", "vm-0002", "vm-0003"]
        let records = try vms.map { try t.db.records(vm: $0) }
        let intervals = try vms.map { try t.db.intervals(vm: $0) }
        #expect(records.map(\.count).reduce(0, +) > 0)
        #expect(intervals.joined().contains { $0.end != nil })
        // Turn the file back into the schema before v3: VM-keyed indexes, a prev column, no packed history.
        try t.downgradeToVersion3()
        try t.tamper(
            """
            ALTER TABLE vms DROP COLUMN records;
            ALTER TABLE vms DROP COLUMN past;
            ALTER TABLE events ADD COLUMN prev BLOB NOT NULL DEFAULT x'00';
            CREATE INDEX events_vm ON events(vm, seq) WHERE vm IS NOT NULL;
            CREATE INDEX intervals_vm ON intervals(vm, start);
            DELETE FROM grdb_migrations WHERE identifier = 'v3-vm-history';
            """)
        let reopened = try VigilDatabase(path: t.path)
        #expect(try vms.map { try reopened.records(vm: $0) } == records)
        #expect(try vms.map { try reopened.intervals(vm: $0) } == intervals)
        #expect(try reopened.verify().isValid)
    }

    @Test func aVersion3DatabaseGetsItsIntervalsInChunks() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        let key = { (i: PlacementInterval) in "\(i.vm) \(i.start) \(i.host) \(i.end ?? -1) \(i.baseline)" }
        let all = try t.db.allIntervals().map(key).sorted()
        let (start, end) = (try t.db.historyStart(), try t.db.historyEnd())
        let onHost = try t.db.intervals(onHosts: ["h-001", "h-002"], since: 1_788_000_000, until: 1_800_000_000)
        #expect(all.count > 3)
        #expect(all.contains { !$0.hasSuffix("-1 false") && !$0.hasSuffix("-1 true") })
        try t.downgradeToVersion3()
        let reopened = try VigilDatabase(path: t.path)
        #expect(try reopened.allIntervals().map(key).sorted() == all)
        #expect(try reopened.historyStart() == start)
        #expect(try reopened.historyEnd() == end)
        #expect(
            try reopened.intervals(onHosts: ["h-001", "h-002"], since: 1_788_000_000, until: 1_800_000_000).map(key)
                .sorted() == onHost.map(key).sorted())
        #expect(try reopened.verify().isValid)
    }

    @Test func anEarlyErrorInALongHistoryIsReportedAndChangesNothing() throws {
        let t = try TempDB()
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 2, hosts: 30, vms: 1000, tenants: 10, days: 30, events: 140_000, seed: 12))
        _ = try t.db.importDocuments(
            [t.load("inv.json", JSONWriter.write(DocumentEncoder.inventory(dc.inventory)))], now: 0)
        let records = try t.db.recordCount()
        var lines = dc.events.map(\.jsonLine)
        lines[2] = #"{"time":"2026-09-01T00:00:00Z","type":"vm.removed","vm":"vm-zzz"}"#
        let error = #expect(throws: DocumentError.self) {
            try t.db.importDocuments([t.load("long.jsonl", lines.joined(separator: "\n"))], now: 0)
        }
        #expect(error?.description == "long.jsonl:3: unknown vm \"vm-zzz\"")
        #expect(try t.db.recordCount() == records)
        #expect(try t.db.verify().isValid)
    }

    @Test func aTruncatedHeadHashStopsTheNextImport() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        let records = try t.db.recordCount()
        try t.tamper("UPDATE meta SET value = x'0102' WHERE key = 'head_hash'")
        let more = #"{"time":"2026-10-05T00:00:00Z","type":"vm.removed","vm":"vm-0002"}"#
        let error = #expect(throws: StoreError.self) {
            try t.db.importDocuments([t.load("more.jsonl", more)], now: 1_800_000_000)
        }
        #expect(
            error?.message
                == "the log's head hash in meta is 2 bytes, not 32: the database was altered; run vigil verify")
        #expect(try t.db.recordCount() == records)
    }

    @Test func verifyNamesTheFirstAlteredOrMissingRecord() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        try t.tamper("UPDATE events SET body = replace(body, 'h-002', 'h-003') WHERE seq = 5")
        #expect(
            try t.db.verify() == ChainReport(intact: 4, firstBad: 5, reason: "record 5 was altered (hash mismatch)"))
    }

    @Test func verifyDetectsRecomputedHashesDeletionsAndTruncation() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        try t.tamper("UPDATE events SET time = time + 1 WHERE seq = 6")
        #expect(
            try t.db.verify() == ChainReport(intact: 5, firstBad: 6, reason: "record 6 was altered (hash mismatch)"))
        let u = try TempDB()
        _ = try u.importFixtures()
        try u.tamper("DELETE FROM events WHERE seq = 3")
        #expect(
            try u.db.verify()
                == ChainReport(intact: 2, firstBad: 3, reason: "record 3 is missing (next present record is 4)"))
        let v = try TempDB()
        _ = try v.importFixtures()
        try v.tamper("DELETE FROM events WHERE seq = 7")
        #expect(
            try v.db.verify()
                == ChainReport(intact: 6, firstBad: 7, reason: "records 7…7 are missing (the log ends early)"))
        let w = try TempDB()
        _ = try w.importFixtures()
        // Overwriting a record's hash breaks that record.
        try w.tamper("UPDATE events SET hash = zeroblob(32) WHERE seq = 2")
        #expect(
            try w.db.verify() == ChainReport(intact: 1, firstBad: 2, reason: "record 2 was altered (hash mismatch)"))
        // Altering a record and recomputing its hash does not help: the next record's link breaks.
        let x = try TempDB()
        _ = try x.importFixtures()
        let row = try DatabaseQueue(path: x.path).read { db in
            try Row.fetchOne(
                db, sql: "SELECT e.time, e.type, e.vm, p.hash FROM events e, events p WHERE e.seq = 5 AND p.seq = 4")!
        }
        let body = "{\"time\":\"2026-10-01T00:00:00Z\",\"type\":\"vm.removed\",\"vm\":\"vm-0001\"}"
        let prev: Data = row[3]
        var scratch: [UInt8] = []
        let rehashed = EventLog.digest(
            prev: [UInt8](prev), seq: 5, time: row[0], type: row[1], vm: row[2], body: body, scratch: &scratch)
        try DatabaseQueue(path: x.path).write { db in
            try db.execute(
                sql: "UPDATE events SET body = ?, hash = ? WHERE seq = 5", arguments: [body, Data(rehashed)])
        }
        #expect(
            try x.db.verify() == ChainReport(intact: 5, firstBad: 6, reason: "record 6 was altered (hash mismatch)"))
    }
}
