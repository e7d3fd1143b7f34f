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
}

extension VigilDatabase {
    /// Checks `documents` against the current state and records them in one transaction: the log records,
    /// the entities, the placement intervals and the incidents. Durable (fsync'd) when this returns; on any
    /// error nothing is written.
    public func importDocuments(_ documents: [SourceDocument], now: Timestamp) throws -> ImportResult {
        try writer.write { db in
            let cmdb = try Self.loadCmdb(db)
            let batch = try ImportPlanner.plan(current: cmdb, documents: documents, now: now)
            return try Self.write(batch, files: documents.map(\.file), now: now, to: db)
        }
    }

    static func write(_ batch: ImportBatch, files: [String], now: Timestamp, to db: Database) throws -> ImportResult {
        guard !batch.entries.isEmpty else { return ImportResult(records: 0, events: 0, firstSeq: 0, lastSeq: 0) }
        let (first, last) = try EventLog.append(batch.entries, to: db)
        let site = try db.makeStatement(sql: "INSERT OR REPLACE INTO sites(id, tier, jurisdiction) VALUES (?, ?, ?)")
        for s in batch.sites {
            site.setUncheckedArguments([s.id, s.tier, s.jurisdiction])
            try site.execute()
        }
        let net = try db.makeStatement(sql: "INSERT OR REPLACE INTO networks(id, zone) VALUES (?, ?)")
        for n in batch.networks {
            net.setUncheckedArguments([n.id, n.zone])
            try net.execute()
        }
        let tenant = try db.makeStatement(sql: "INSERT OR REPLACE INTO tenants(id, labels) VALUES (?, ?)")
        for t in batch.tenants {
            tenant.setUncheckedArguments([t.id, Codec.labels(t.labels)])
            try tenant.execute()
        }
        let host = try db.makeStatement(
            sql: """
                INSERT OR REPLACE INTO hosts(id, site, networks, product, version, virtualization, vcpus, memory_mib,
                    role, state, management_ips, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for h in batch.hosts {
            host.setUncheckedArguments([
                h.id, h.site, Codec.strings(h.networks), h.hypervisor.product, h.hypervisor.version.text,
                h.hypervisor.virtualization, h.capacity.vcpus, h.capacity.memoryMiB, h.role.rawValue, h.state.rawValue,
                Codec.strings(h.managementIps), Codec.labels(h.labels),
            ])
            try host.execute()
        }
        let vm = try db.makeStatement(
            sql: """
                INSERT OR REPLACE INTO vms(id, tenant, environment, security_level, vcpus, memory_mib, template_id,
                    patch_level, nics, labels, host, state, last_event, open_start, open_baseline)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for v in batch.vms {
            let t = batch.tracks[v.id]
            vm.setUncheckedArguments([
                v.id, v.tenant, v.environment, v.securityLevel, v.resources.vcpus, v.resources.memoryMiB, v.template.id,
                v.template.patchLevel, Codec.nics(v.nics), Codec.labels(v.labels), v.host, v.state.rawValue,
                t?.lastEvent, t?.openStart, (t?.openBaseline ?? false) ? 1 : 0,
            ])
            try vm.execute()
        }
        let dropOpen = try db.makeStatement(sql: "DELETE FROM intervals WHERE vm = ? AND end IS NULL")
        for id in batch.touchedVMs {
            dropOpen.setUncheckedArguments([id])
            try dropOpen.execute()
        }
        let interval = try db.makeStatement(
            sql: "INSERT INTO intervals(vm, host, start, end, baseline) VALUES (?, ?, ?, ?, ?)")
        for i in batch.closedIntervals + batch.openIntervals {
            interval.setUncheckedArguments([i.vm, i.host, i.start, i.end, i.baseline ? 1 : 0])
            try interval.execute()
        }
        let incident = try db.makeStatement(
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
                sql: "INSERT OR REPLACE INTO documents(kind, body, seq) VALUES (?, ?, ?)", arguments: [kind, text, last])
        }
        try db.execute(
            sql: "INSERT INTO imports(at, files, first_seq, last_seq, events) VALUES (?, ?, ?, ?, ?)",
            arguments: [now, files.joined(separator: "\n"), first, last, batch.eventCount])
        return ImportResult(records: batch.entries.count, events: batch.eventCount, firstSeq: first, lastSeq: last)
    }
}
