import Foundation
import GRDB
import VigilCore

/// What an import recorded.
public struct ImportResult: Sendable, Hashable {
    /// Log records appended (documents and events).
    public var records: Int
    /// Placement and incident events among them.
    public var events: Int
    /// Sequence numbers of the first and last appended record (0 when none).
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// Wall time of each step of the import, in order (for benchmarks).
    public var phases: [ImportPhase] = []
}

/// One timed step of an import.
public struct ImportPhase: Sendable, Hashable {
    public var name: String
    public var seconds: Double

    public init(name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }
}

/// Records the wall time between successive laps, telling `progress` about each as it ends.
struct PhaseClock {
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private(set) var phases: [ImportPhase] = []
    var progress: ((ImportPhase) -> Void)?

    init(progress: ((ImportPhase) -> Void)? = nil) {
        last = clock.now
        self.progress = progress
    }

    mutating func lap(_ name: String) {
        let now = clock.now
        let d = now - last
        let phase = ImportPhase(
            name: name, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        phases.append(phase)
        progress?(phase)
        last = now
    }
}

extension VigilDatabase {
    /// Checks `documents` against the current state and records them in one transaction: the log records,
    /// the entities, the placement intervals and the incidents. Durable (fsync'd) when this returns; on any
    /// error nothing is written. The commit only appends to the write-ahead log: copying it into the main file
    /// is left to `checkpoint()`, which the caller runs after acknowledging (durability does not depend on it).
    public func importDocuments(_ documents: [SourceDocument], now: Timestamp) throws -> ImportResult {
        try importDocuments(now: now) { documents }
    }

    /// `importDocuments` with the parsing done by `parse` on another core while this one loads the state; an error
    /// from `parse` is rethrown as it is, and nothing is written. `progress` hears of each step as it ends.
    public func importDocuments(
        now: Timestamp, progress: ((ImportPhase) -> Void)? = nil,
        parse: @escaping @Sendable () throws -> [SourceDocument]
    ) throws -> ImportResult {
        // The log records of a history-only import are built on the parsing core too.
        let parsing = Background {
            let documents = try parse()
            return (documents, ImportPlanner.logEntries(ofHistory: documents))
        }
        let requests = WriteActor.entries(now: now)
        return try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            defer { try? db.execute(sql: "PRAGMA wal_autocheckpoint = \(autocheckpointPages)") }
            // The planner has checked every reference (tenant, host, network) against the state it loaded inside
            // this transaction; SQLite re-checking each of 100k VM rows only repeats that.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var result: ImportResult?
            var clock = PhaseClock(progress: progress)
            try db.inTransaction {
                let cmdb = try Self.loadCmdb(db)
                clock.lap("load state")
                let (documents, historyEntries) = try parsing.value()
                clock.lap("parse (beyond load state)")
                if !requests.isEmpty { _ = try EventLog.append(requests, to: db) }
                let head = try EventLog.head(db)
                let files = documents.map(\.file)
                if let entries = historyEntries {
                    // Event history only: its log records are known before checking, so they are hashed and
                    // inserted while the other core checks the events. A failed check rolls the inserts back.
                    let planning = Background { [cmdb] in
                        var batch = try ImportPlanner.plan(
                            current: cmdb, documents: documents, now: now, keepingEntries: false)
                        guard batch.slots.entryVM.count == entries.count else {
                            throw StoreError(
                                "internal error: the import checked \(batch.slots.entryVM.count) records, not \(entries.count)"
                            )
                        }
                        batch.entries = entries
                        return (batch, ImportLayout(batch, firstSeq: head.seq + 1))
                    }
                    result = try Self.write(
                        entries: entries, head: head, plan: { try planning.value() },
                        abandon: { planning.hasFailed() }, files: files, now: now, to: db, clock: &clock)
                } else {
                    let batch = try ImportPlanner.plan(current: cmdb, documents: documents, now: now)
                    clock.lap("check")
                    result = try Self.write(batch, head: head, files: files, now: now, to: db, clock: &clock)
                }
                return .commit
            }
            clock.lap("commit")
            // Both branches of the transaction set `result` before committing.
            guard var result else { throw StoreError("internal error: the import committed without a result") }
            result.phases = clock.phases
            return result
        }
    }

    /// Copies the write-ahead log into the database file and truncates it (after a large import, so the log
    /// does not stay hundreds of megabytes long). Safe to skip: SQLite replays the log on the next open.
    public func checkpoint() throws {
        try writer.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Writes a planned batch after the log's `head`.
    static func write(
        _ batch: ImportBatch, head: (seq: Int64, hash: Data), files: [String], now: Timestamp, to db: Database,
        clock: inout PhaseClock
    ) throws -> ImportResult {
        try write(
            entries: batch.entries, head: head, plan: { (batch, ImportLayout(batch, firstSeq: head.seq + 1)) },
            files: files, now: now, to: db, clock: &clock)
    }

    /// Appends `entries` to the log (hashed on another thread as they are inserted), then writes what `plan`
    /// returns, whose batch must hold exactly these entries. When `abandon` says the plan has already failed, the
    /// appending stops and the plan's error is thrown.
    static func write(
        entries: [LogEntry], head: (seq: Int64, hash: Data), plan: () throws -> (ImportBatch, ImportLayout),
        abandon: () -> Bool = { false }, files: [String], now: Timestamp, to db: Database, clock: inout PhaseClock
    ) throws -> ImportResult {
        guard !entries.isEmpty else {
            _ = try plan()
            return ImportResult(records: 0, events: 0, firstSeq: 0, lastSeq: 0)
        }
        let chain = HashChain(entries: entries, head: head)
        let first: Int64
        let last: Int64
        do {
            (first, last) = try EventLog.append(entries, chain: chain, to: db, abandon: abandon)
        } catch is EventLog.Abandoned {
            _ = try plan()
            throw StoreError("internal error: the import's check failed without an error")
        }
        clock.lap("log")
        let (batch, layout) = try plan()
        clock.lap("check (beyond log)")
        let site = try db.cachedStatement(
            sql: """
                INSERT INTO sites(id, tier, jurisdiction) VALUES (?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET tier = excluded.tier, jurisdiction = excluded.jurisdiction
                """)
        for s in batch.sites {
            site.setUncheckedArguments([s.id, s.tier, s.jurisdiction])
            try site.execute()
        }
        let net = try db.cachedStatement(
            sql: "INSERT INTO networks(id, zone) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET zone = excluded.zone")
        for n in batch.networks {
            net.setUncheckedArguments([n.id, n.zone])
            try net.execute()
        }
        let tenant = try db.cachedStatement(
            sql: "INSERT INTO tenants(id, labels) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET labels = excluded.labels")
        for t in batch.tenants {
            tenant.setUncheckedArguments([t.id, Codec.labels(t.labels)])
            try tenant.execute()
        }
        let host = try db.cachedStatement(
            sql: """
                INSERT INTO hosts(id, site, networks, product, version, virtualization, vcpus, memory_mib,
                    role, state, management_ips, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET site = excluded.site, networks = excluded.networks,
                    product = excluded.product, version = excluded.version, virtualization = excluded.virtualization,
                    vcpus = excluded.vcpus, memory_mib = excluded.memory_mib, role = excluded.role,
                    state = excluded.state, management_ips = excluded.management_ips, labels = excluded.labels
                """)
        for h in batch.hosts {
            host.setUncheckedArguments([
                h.id, h.site, Codec.strings(h.networks), h.hypervisor.product, h.hypervisor.version.text,
                h.hypervisor.virtualization, h.capacity.vcpus, h.capacity.memoryMiB, h.role.rawValue, h.state.rawValue,
                Codec.strings(h.managementIps), Codec.labels(h.labels),
            ])
            try host.execute()
        }
        try writeVMs(batch, layout: layout, to: db)
        try writeAddresses(batch.addressChanges, to: db)
        clock.lap("vms")
        try writeIntervals(layout, seq: last, to: db)
        clock.lap("intervals")
        let incident = try db.cachedStatement(
            sql: """
                INSERT INTO incidents(id, time, subject_kind, subject, severity, source, signature, role)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (time, i) in batch.incidents {
            incident.setUncheckedArguments([
                i.id, time, i.subject.kind, i.subject.value, i.severity.rawValue, i.source, i.signature, i.role,
            ])
            try incident.execute()
        }
        for (kind, text) in batch.documents {
            try db.execute(
                sql: "INSERT OR REPLACE INTO documents(kind, body, seq) VALUES (?, ?, ?)",
                arguments: [kind, text, last])
        }
        try db.cachedStatement(
            sql: "INSERT INTO imports(at, files, first_seq, last_seq, events) VALUES (?, ?, ?, ?, ?)"
        )
        .execute(arguments: [now, files.joined(separator: "\n"), first, last, batch.eventCount])
        return ImportResult(records: batch.entries.count, events: batch.eventCount, firstSeq: first, lastSeq: last)
    }
}

extension VigilDatabase {
    /// Versions address ownership: an address a VM starts holding opens a row, one it stops holding closes it.
    static func writeAddresses(_ changes: [AddressChange], to db: Database) throws {
        guard !changes.isEmpty else { return }
        let open = try db.cachedStatement(
            sql:
                "INSERT INTO addresses(ip, vm, since) VALUES (?, ?, ?) ON CONFLICT(ip, since, vm) DO UPDATE SET until = NULL"
        )
        let close = try db.cachedStatement(
            sql: "UPDATE addresses SET until = ? WHERE ip = ? AND vm = ? AND until IS NULL")
        for c in changes {
            if c.starts {
                open.setUncheckedArguments([c.ip, c.vm, c.time])
                try open.execute()
            } else {
                close.setUncheckedArguments([c.time, c.ip, c.vm])
                try close.execute()
            }
        }
    }

    /// Upserts the VMs the batch changed and appends to every named VM's packed history (`VMHistoryCodec`).
    static func writeVMs(_ batch: ImportBatch, layout: ImportLayout, to db: Database) throws {
        let vm = try BulkStatement(
            db,
            sql: """
                INSERT INTO vms(id, tenant, environment, security_level, vcpus, memory_mib, template_id,
                    patch_level, nics, labels, host, state, last_event, open_start, open_baseline, records, past)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET tenant = excluded.tenant, environment = excluded.environment,
                    security_level = excluded.security_level, vcpus = excluded.vcpus, memory_mib = excluded.memory_mib,
                    template_id = excluded.template_id, patch_level = excluded.patch_level, nics = excluded.nics,
                    labels = excluded.labels, host = excluded.host, state = excluded.state,
                    last_event = excluded.last_event, open_start = excluded.open_start,
                    open_baseline = excluded.open_baseline, records = CAST(records || excluded.records AS BLOB),
                    past = CAST(past || excluded.past AS BLOB)
                """)
        let track = try BulkStatement(
            db,
            sql: """
                UPDATE vms SET host = ?, state = ?, last_event = ?, open_start = ?, open_baseline = ?,
                    records = CAST(records || ? AS BLOB), past = CAST(past || ? AS BLOB)
                WHERE id = ?
                """)
        /// Binds host, state, last_event, open_start, open_baseline and the records/past appends from `first` on.
        func bindPlacement(_ s: BulkStatement, from first: Int32, _ k: Int) {
            let v = batch.vms[k]
            let t = batch.tracks[v.id]
            s.bind(first, v.host)
            s.bind(first + 1, v.state.rawValue)
            s.bind(first + 2, t?.lastEvent)
            s.bind(first + 3, t?.openStart)
            s.bind(first + 4, (t?.openBaseline ?? false) ? 1 : 0)
            s.bind(first + 5, bytes: layout.vmAppends[k].records)
            s.bind(first + 6, bytes: layout.vmAppends[k].past)
        }
        var edited: [Int] = []
        for (k, v) in batch.vms.enumerated() {
            if batch.editedVMs.contains(v.id) {
                edited.append(k)
                continue
            }
            bindPlacement(track, from: 1, k)
            track.bind(8, v.id)
            try track.step()
        }
        for k in edited {
            let v = batch.vms[k]
            vm.bind(1, v.id)
            vm.bind(2, v.tenant)
            vm.bind(3, v.environment)
            vm.bind(4, Int64(v.securityLevel))
            vm.bind(5, Int64(v.resources.vcpus))
            vm.bind(6, Int64(v.resources.memoryMiB))
            vm.bind(7, v.template.id)
            vm.bind(8, v.template.patchLevel)
            vm.bind(9, Codec.nics(v.nics))
            vm.bind(10, Codec.labels(v.labels))
            bindPlacement(vm, from: 11, k)
            try vm.step()
        }
        // Records naming VMs whose row did not change (e.g. incidents).
        let append = try BulkStatement(
            db,
            sql: """
                UPDATE vms SET records = CAST(records || ? AS BLOB), past = CAST(past || ? AS BLOB) WHERE id = ?
                """)
        for (id, records, past) in layout.otherAppends {
            append.bind(1, bytes: records)
            append.bind(2, bytes: past)
            append.bind(3, id)
            try append.step()
        }
    }

    /// Appends the batch's closed intervals as one chunk per host (open intervals are the VMs' own columns).
    static func writeIntervals(_ layout: ImportLayout, seq: Int64, to db: Database) throws {
        for (host, intervals) in layout.closedByHost { try insertChunk(host: host, seq: seq, intervals: intervals, db) }
    }

    /// Inserts one chunk of a host's closed intervals, with the bounds that let window queries skip it.
    static func insertChunk(host: String, seq: Int64, intervals: [PlacementInterval], _ db: Database) throws {
        guard let firstStart = intervals.map(\.start).min(), let lastEnd = intervals.compactMap(\.end).max() else {
            return
        }
        let stmt = try db.cachedStatement(
            sql: "INSERT INTO host_intervals(host, seq, first_start, last_end, data) VALUES (?, ?, ?, ?, ?)")
        try stmt.execute(arguments: [
            host, seq, firstStart, lastEnd, Data(VMHistoryCodec.packIntervals(intervals, naming: \.vm)),
        ])
    }
}
