import Foundation
import GRDB
import VigilCore

/// The database schema, as GRDB migrations. Constraints live here: trust SQLite more than ourselves.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events(
                        seq INTEGER PRIMARY KEY,
                        time INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        vm TEXT,
                        body TEXT NOT NULL,
                        prev BLOB NOT NULL CHECK(length(prev) = 32),
                        hash BLOB NOT NULL CHECK(length(hash) = 32));
                    CREATE INDEX events_vm ON events(vm, seq) WHERE vm IS NOT NULL;
                    CREATE TABLE imports(
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        files TEXT NOT NULL,
                        first_seq INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL,
                        events INTEGER NOT NULL);
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE sites(
                        id TEXT PRIMARY KEY,
                        tier INTEGER NOT NULL CHECK(tier BETWEEN 1 AND 4),
                        jurisdiction TEXT NOT NULL);
                    CREATE TABLE networks(id TEXT PRIMARY KEY, zone TEXT NOT NULL);
                    CREATE TABLE hosts(
                        id TEXT PRIMARY KEY,
                        site TEXT NOT NULL REFERENCES sites(id),
                        networks TEXT NOT NULL,
                        product TEXT NOT NULL,
                        version TEXT NOT NULL,
                        virtualization TEXT NOT NULL,
                        vcpus INTEGER NOT NULL CHECK(vcpus >= 0),
                        memory_mib INTEGER NOT NULL CHECK(memory_mib >= 0),
                        role TEXT NOT NULL CHECK(role IN ('general', 'quarantine')),
                        state TEXT NOT NULL CHECK(state IN ('active', 'maintenance', 'compromised')),
                        management_ips TEXT NOT NULL,
                        labels TEXT NOT NULL);
                    CREATE TABLE tenants(id TEXT PRIMARY KEY, labels TEXT NOT NULL);
                    CREATE TABLE vms(
                        id TEXT PRIMARY KEY,
                        tenant TEXT NOT NULL REFERENCES tenants(id),
                        environment TEXT NOT NULL,
                        security_level INTEGER NOT NULL CHECK(security_level BETWEEN 0 AND 4),
                        vcpus INTEGER NOT NULL CHECK(vcpus >= 0),
                        memory_mib INTEGER NOT NULL CHECK(memory_mib >= 0),
                        template_id TEXT NOT NULL,
                        patch_level TEXT NOT NULL,
                        nics TEXT NOT NULL,
                        labels TEXT NOT NULL,
                        host TEXT REFERENCES hosts(id),
                        state TEXT NOT NULL CHECK(state IN ('running', 'stopped', 'quarantined')),
                        last_event INTEGER,
                        open_start INTEGER,
                        open_baseline INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX vms_host ON vms(host) WHERE host IS NOT NULL;
                    CREATE TABLE intervals(
                        host TEXT NOT NULL,
                        start INTEGER NOT NULL,
                        vm TEXT NOT NULL,
                        end INTEGER,
                        baseline INTEGER NOT NULL DEFAULT 0,
                        CHECK(end IS NULL OR end > start),
                        CONSTRAINT intervals_host PRIMARY KEY(host, start, vm)) WITHOUT ROWID;
                    CREATE INDEX intervals_vm ON intervals(vm, start);
                    CREATE TABLE incidents(
                        id TEXT PRIMARY KEY,
                        time INTEGER NOT NULL,
                        subject_kind TEXT NOT NULL CHECK(subject_kind IN ('vm', 'host', 'unmatched')),
                        subject TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        source TEXT NOT NULL,
                        signature TEXT NOT NULL,
                        role TEXT);
                    CREATE INDEX incidents_subject ON incidents(subject_kind, subject, time);
                    CREATE TABLE documents(kind TEXT PRIMARY KEY, body TEXT NOT NULL, seq INTEGER NOT NULL);
                    """)
        }
        m.registerMigration("v2-response") { db in
            try db.execute(
                sql: """
                    CREATE TABLE changes(
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        vm TEXT NOT NULL,
                        from_host TEXT,
                        to_host TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        state TEXT NOT NULL
                            CHECK(state IN ('proposed', 'approved', 'done', 'failed', 'rolled-back', 'rejected')),
                        standard INTEGER NOT NULL,
                        approvals TEXT NOT NULL,
                        incident TEXT,
                        handover TEXT,
                        updated INTEGER NOT NULL);
                    CREATE INDEX changes_state ON changes(state);
                    CREATE TABLE actions(
                        id INTEGER PRIMARY KEY,
                        incident TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        state TEXT NOT NULL,
                        change TEXT,
                        detail TEXT NOT NULL);
                    CREATE INDEX actions_incident ON actions(incident);
                    CREATE TABLE problems(
                        id TEXT PRIMARY KEY,
                        incident TEXT NOT NULL,
                        subject_kind TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        since INTEGER NOT NULL,
                        until INTEGER NOT NULL,
                        body TEXT NOT NULL);
                    """)
        }
        m.registerMigration("v3-vm-history") { db in
            // Per-VM history moves into the VM's row (see VMHistoryCodec): no more VM-keyed indexes to maintain
            // on every event, and no stored copy of the previous hash (it is the previous record's `hash`).
            try db.execute(
                sql: """
                    ALTER TABLE vms ADD COLUMN records BLOB NOT NULL DEFAULT x'';
                    ALTER TABLE vms ADD COLUMN past BLOB NOT NULL DEFAULT x'';
                    """)
            var seqs: [String: [Int64]] = [:]
            let events = try Row.fetchCursor(db, sql: "SELECT vm, seq FROM events WHERE vm IS NOT NULL ORDER BY seq")
            while let row = try events.next() { seqs[row[0], default: []].append(row[1]) }
            var past: [String: [PlacementInterval]] = [:]
            let closed = try Row.fetchCursor(
                db, sql: "SELECT vm, host, start, end, baseline FROM intervals WHERE end IS NOT NULL ORDER BY vm, start"
            )
            while let row = try closed.next() {
                past[row[0], default: []].append(VigilDatabase.decodeInterval(row))
            }
            let update = try db.makeStatement(sql: "UPDATE vms SET records = ?, past = ? WHERE id = ?")
            for vm in Set(seqs.keys).union(past.keys).sorted() {
                try update.execute(arguments: [
                    Data(VMHistoryCodec.packSeqs(seqs[vm] ?? [])),
                    Data(VMHistoryCodec.packIntervals(past[vm] ?? [])), vm,
                ])
            }
            try db.execute(
                sql: """
                    DROP INDEX events_vm;
                    DROP INDEX intervals_vm;
                    ALTER TABLE events DROP COLUMN prev;
                    """)
        }
        m.registerMigration("v4-host-interval-chunks") { db in
            // Closed intervals move into one packed chunk per host and import (see `host_intervals`); open
            // intervals are the VMs' own `host`/`open_start`. An import then writes a few thousand chunk rows
            // instead of a B-tree row per interval.
            try db.execute(
                sql: """
                    CREATE TABLE host_intervals(
                        host TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        first_start INTEGER NOT NULL,
                        last_end INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY(host, seq)) WITHOUT ROWID;
                    """)
            let head = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'head_seq'") ?? 0
            var byHost: [String: [PlacementInterval]] = [:]
            let closed = try Row.fetchCursor(
                db,
                sql: "SELECT vm, host, start, end, baseline FROM intervals WHERE end IS NOT NULL ORDER BY host, start")
            while let row = try closed.next() {
                let i = VigilDatabase.decodeInterval(row)
                byHost[i.host, default: []].append(i)
            }
            for (host, intervals) in byHost.sorted(by: { $0.key < $1.key }) {
                try VigilDatabase.insertChunk(host: host, seq: head, intervals: intervals, db)
            }
            try db.execute(sql: "DROP TABLE intervals")
        }
        m.registerMigration("v5-no-vm-host-index") { db in
            // Every migration moves a VM's entry in this index to a random place; keeping it cost an import of a
            // million events half a second, while what runs on a host is read from the loaded state.
            try db.execute(sql: "DROP INDEX vms_host")
        }
        m.registerMigration("v6-response-invariants") { db in
            // Response records keep their invariants in the schema: ids are allocated from `counters` inside the
            // writing transaction, states and kinds are checked, and every reference is a foreign key.
            try db.execute(
                sql: """
                    CREATE TABLE counters(
                        name TEXT PRIMARY KEY CHECK(name IN ('change', 'problem', 'snapshot')),
                        last INTEGER NOT NULL CHECK(last >= 0)) WITHOUT ROWID;
                    INSERT INTO counters(name, last)
                        SELECT 'change', coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) FROM changes;
                    INSERT INTO counters(name, last)
                        SELECT 'problem', coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) FROM problems;
                    INSERT INTO counters(name, last) VALUES ('snapshot', 0);
                    CREATE TABLE changes_v6(
                        id TEXT PRIMARY KEY CHECK(id GLOB 'chg-[0-9]*'),
                        kind TEXT NOT NULL CHECK(kind = 'migration'),
                        vm TEXT NOT NULL REFERENCES vms(id),
                        from_host TEXT REFERENCES hosts(id),
                        to_host TEXT NOT NULL REFERENCES hosts(id),
                        reason TEXT NOT NULL,
                        state TEXT NOT NULL CHECK(state IN (
                            'proposed', 'approved', 'executing', 'done', 'failed', 'rolled-back', 'rejected')),
                        standard INTEGER NOT NULL CHECK(standard IN (0, 1)),
                        approvals TEXT NOT NULL,
                        incident TEXT REFERENCES incidents(id),
                        handover TEXT,
                        updated INTEGER NOT NULL,
                        CHECK(from_host IS NULL OR from_host != to_host),
                        CHECK(state NOT IN ('executing', 'done', 'rolled-back') OR from_host IS NOT NULL));
                    INSERT INTO changes_v6 SELECT id, kind, vm, from_host, to_host, reason, state, standard, approvals,
                        incident, handover, updated FROM changes;
                    DROP TABLE changes;
                    ALTER TABLE changes_v6 RENAME TO changes;
                    CREATE INDEX changes_state ON changes(state);
                    CREATE TABLE actions_v6(
                        id INTEGER PRIMARY KEY,
                        incident TEXT NOT NULL REFERENCES incidents(id),
                        kind TEXT NOT NULL CHECK(kind IN (
                            'snapshot', 'quarantine', 'isolate', 'mark-compromised', 'evacuate', 'exposure', 'respond')),
                        state TEXT NOT NULL CHECK(state IN (
                            'started', 'done', 'failed', 'isolated', 'skipped', 'stranded')),
                        change TEXT REFERENCES changes(id),
                        detail TEXT NOT NULL);
                    INSERT INTO actions_v6 SELECT id, incident, kind, state, change, detail FROM actions;
                    DROP TABLE actions;
                    ALTER TABLE actions_v6 RENAME TO actions;
                    CREATE INDEX actions_incident ON actions(incident);
                    CREATE TABLE problems_v6(
                        id TEXT PRIMARY KEY CHECK(id GLOB 'prb-[0-9]*'),
                        incident TEXT NOT NULL REFERENCES incidents(id),
                        subject_kind TEXT NOT NULL CHECK(subject_kind IN ('vm', 'host', 'unmatched')),
                        subject TEXT NOT NULL,
                        since INTEGER NOT NULL,
                        until INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        CHECK(since <= until));
                    INSERT INTO problems_v6 SELECT id, incident, subject_kind, subject, since, until, body FROM problems;
                    DROP TABLE problems;
                    ALTER TABLE problems_v6 RENAME TO problems;
                    CREATE TABLE snapshots(
                        id TEXT PRIMARY KEY CHECK(id GLOB 'snp-[0-9]*'),
                        action INTEGER NOT NULL REFERENCES actions(id),
                        vm TEXT NOT NULL REFERENCES vms(id),
                        driver_id TEXT NOT NULL,
                        sha256 TEXT NOT NULL CHECK(length(sha256) = 64),
                        path TEXT,
                        taken INTEGER NOT NULL);
                    CREATE TABLE addresses(
                        ip TEXT NOT NULL,
                        vm TEXT NOT NULL REFERENCES vms(id),
                        since INTEGER NOT NULL,
                        until INTEGER,
                        CHECK(until IS NULL OR until >= since),
                        PRIMARY KEY(ip, since, vm)) WITHOUT ROWID;
                    """)
            // Addresses known before versioning are owned from the beginning of time (as attribution used them).
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO addresses(ip, vm, since) VALUES (?, ?, ?)")
            for row in try Row.fetchAll(db, sql: "SELECT id, nics FROM vms") {
                for nic in try Codec.decodeNICs(row[1], "vms", row[0]) {
                    try insert.execute(arguments: [nic.ip, row[0] as String, Int64.min])
                }
            }
        }
        return m
    }
}
