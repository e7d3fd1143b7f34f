import Foundation
import GRDB
import VigilCore

extension VigilDatabase {
    /// Records a batch of incident response in one transaction: incidents and the events their actions caused
    /// (checked like any import), change records, action records and problem records, each also appended to the
    /// hash-chained log. Durable when this returns; on error nothing is written.
    public func recordResponse(_ r: ResponseBatch, now: Timestamp) throws -> ImportResult {
        var cmdb: Cmdb? = nil
        return try recordResponse(r, now: now, current: &cmdb)
    }

    /// Like `recordResponse(_:now:)`, checking against `current` (the caller's in-memory CMDB, kept up to date
    /// here) instead of loading it: for long alert streams. Pass nil to load it from the database.
    public func recordResponse(_ r: ResponseBatch, now: Timestamp, current: inout Cmdb?) throws -> ImportResult {
        let (result, applied) = try write(r, now: now, given: current)
        if current != nil, let applied { current!.apply(applied) }
        return result
    }

    /// The transaction of `recordResponse`; `given` is released when it returns, so the caller's CMDB is not
    /// shared while it is updated.
    func write(_ r: ResponseBatch, now: Timestamp, given: Cmdb?) throws -> (ImportResult, ImportBatch?) {
        try writer.write { db -> (ImportResult, ImportBatch?) in
            let cmdb = try given ?? Self.loadCmdb(db)
            var result = ImportResult(records: 0, events: 0, firstSeq: 0, lastSeq: 0)
            var applied: ImportBatch?
            if !r.events.isEmpty {
                let doc = SourceDocument(
                    file: "response", text: "", document: .events(r.events, lines: r.events.map { _ in 0 }))
                let batch = try ImportPlanner.plan(current: cmdb, documents: [doc], now: now)
                var clock = PhaseClock()
                result = try Self.write(
                    batch, head: try EventLog.head(db), files: ["(incident response)"], now: now, to: db,
                    clock: &clock)
                applied = batch
            }
            var entries: [LogEntry] = []
            for c in r.changes {
                try Self.upsert(c, now: now, db)
                entries.append(
                    LogEntry(time: now, type: "change", vm: c.vm, body: JSONWriter.write(ChangeJSON.value(c))))
            }
            let action = try db.makeStatement(
                sql: "INSERT INTO actions(incident, kind, state, change, detail) VALUES (?, ?, ?, ?, ?)")
            for a in r.actions {
                try action.execute(arguments: [a.incident, a.kind, a.state, a.change, a.detail])
                entries.append(
                    LogEntry(
                        time: now, type: "action", vm: nil,
                        body: JSONWriter.write(
                            .object([
                                ("incident", .string(a.incident)), ("kind", .string(a.kind)),
                                ("state", .string(a.state)),
                                ("change", .optional(a.change)), ("detail", .string(a.detail)),
                            ]))))
            }
            for p in r.problems {
                try db.execute(
                    sql:
                        "INSERT INTO problems(id, incident, subject_kind, subject, since, until, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [p.id, p.incident, p.subject.kind, p.subject.value, p.since, p.until, p.body])
                entries.append(LogEntry(time: now, type: "problem", vm: nil, body: p.body))
            }
            if !entries.isEmpty {
                let (first, last) = try EventLog.append(entries, to: db)
                result.records += entries.count
                if result.firstSeq == 0 { result.firstSeq = first }
                result.lastSeq = last
            }
            return (result, applied)
        }
    }

    static func upsert(_ c: ChangeRecord, now: Timestamp, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO changes(id, kind, vm, from_host, to_host, reason, state, standard, approvals,
                    incident, handover, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                c.id, c.kind, c.vm, c.from, c.to, c.reason, c.state.rawValue, c.standard ? 1 : 0,
                Codec.strings(c.approvals), c.incident, c.handover.map { JSONWriter.write(ChangeJSON.handover($0)) },
                now,
            ])
    }

    /// Change records, optionally of one state, by id.
    public func changes(state: ChangeState? = nil) throws -> [ChangeRecord] {
        try writer.read { db in
            let sql =
                "SELECT id, kind, vm, from_host, to_host, reason, state, standard, approvals, incident FROM changes"
            let rows =
                if let state {
                    try Row.fetchAll(db, sql: sql + " WHERE state = ? ORDER BY id", arguments: [state.rawValue])
                } else {
                    try Row.fetchAll(db, sql: sql + " ORDER BY id")
                }
            return rows.map { row in
                ChangeRecord(
                    id: row[0], kind: row[1], vm: row[2], from: row[3], to: row[4], reason: row[5],
                    state: ChangeState(rawValue: row[6]) ?? .failed, standard: row[7] != 0,
                    approvals: Codec.decodeStrings(row[8]), incident: row[9])
            }
        }
    }

    /// The anti-spoofing handover (rules removed from the source, added to the target) of each change, as JSON.
    public func handovers() throws -> [String: String] {
        try writer.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, handover FROM changes WHERE handover IS NOT NULL") {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Number of change records and of problem records (their ids are numbered from these).
    public func responseRecordCounts() throws -> (changes: Int, problems: Int) {
        try writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM changes") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM problems") ?? 0
            )
        }
    }

    /// Actions recorded for each incident, in order.
    public func actions() throws -> [String: [ActionRecord]] {
        try writer.read { db in
            var out: [String: [ActionRecord]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT incident, kind, state, change, detail FROM actions ORDER BY id")
            {
                let a = ActionRecord(incident: row[0], kind: row[1], state: row[2], change: row[3], detail: row[4])
                out[a.incident, default: []].append(a)
            }
            return out
        }
    }

    /// Problem records, oldest first.
    public func problems() throws -> [ProblemRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, incident, subject_kind, subject, since, until, body FROM problems ORDER BY id"
            )
            .map { row in
                let subject = IncidentSubject(kind: row[2], value: row[3])
                return ProblemRecord(
                    id: row[0], incident: row[1], subject: subject, since: row[4], until: row[5], body: row[6])
            }
        }
    }
}

/// JSON of change records (DESIGN §6 `vigil changes --json`) and of filter handovers.
public enum ChangeJSON {
    public static func value(_ c: ChangeRecord) -> JSONValue {
        .object([
            ("id", .string(c.id)), ("kind", .string(c.kind)), ("vm", .string(c.vm)), ("from", .optional(c.from)),
            ("to", .string(c.to)), ("reason", .string(c.reason)), ("state", .string(c.state.rawValue)),
            ("standard", .bool(c.standard)), ("approvals", .strings(c.approvals)),
        ])
    }

    public static func handover(_ h: FilterHandover) -> JSONValue {
        func rules(_ rs: [AntiSpoofRule]) -> JSONValue {
            .array(
                rs.map {
                    .object([
                        ("vm", .string($0.vm)), ("interface", .string($0.interface)), ("mac", .string($0.mac)),
                        ("ips", .strings($0.ips)),
                    ])
                })
        }
        return .object([
            ("source", .string(h.source)), ("target", .string(h.target)), ("remove", rules(h.remove)),
            ("add", rules(h.add)),
        ])
    }
}
