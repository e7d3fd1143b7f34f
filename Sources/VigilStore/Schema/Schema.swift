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
        return m
    }
}
