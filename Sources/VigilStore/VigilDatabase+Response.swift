import Foundation
import GRDB
import VigilCore

extension VigilDatabase {
    /// Records a batch of incident response in one transaction: incidents and the events their actions caused
    /// (checked like any import) and finished action records, each also appended to the hash-chained log.
    /// Durable when this returns; on error nothing is written.
    public func recordResponse(_ r: ResponseBatch, now: Timestamp) throws -> ImportResult {
        var cmdb: Cmdb? = nil
        return try recordResponse(r, now: now, current: &cmdb)
    }

    /// Like `recordResponse(_:now:)`, checking against `current` (the caller's in-memory CMDB, kept up to date
    /// here) instead of loading it: for long alert streams. Pass nil to load it from the database.
    public func recordResponse(_ r: ResponseBatch, now: Timestamp, current: inout Cmdb?) throws -> ImportResult {
        try transaction(now: now, finishes: r.finishes, events: r.events, current: &current) { db, log in
            for a in r.actions { _ = try Self.insert(a, now: now, db, &log) }
        }.result
    }

    /// One write transaction over the response tables. `events` are checked against `current` (or the stored
    /// CMDB) and written first; `body` then adds records whose log entries it appends to `log`. `current` is
    /// updated with the applied events once the transaction has committed; on error nothing is written.
    func transaction<T>(
        now: Timestamp, finishes: [ActionFinish] = [], events: [Event], current: inout Cmdb?,
        _ body: (Database, inout [LogEntry]) throws -> T
    ) throws -> (value: T, result: ImportResult) {
        let requests = WriteActor.entries(now: now)
        let (value, result, applied) = try writer.write { db -> (T, ImportResult, ImportBatch?) in
            var result = ImportResult(records: 0, events: 0, firstSeq: 0, lastSeq: 0)
            if !requests.isEmpty { _ = try EventLog.append(requests, to: db) }
            // Outcomes of earlier driver calls come first, as they happened first.
            var outcomes: [LogEntry] = []
            for f in finishes { try Self.finish(f, now: now, db, &outcomes) }
            if !outcomes.isEmpty {
                let (first, last) = try EventLog.append(outcomes, to: db)
                result.records += outcomes.count
                result.firstSeq = first
                result.lastSeq = last
            }
            var applied: ImportBatch?
            if !events.isEmpty {
                let cmdb = try current ?? Self.loadCmdb(db)
                let doc = SourceDocument(
                    file: "response", text: "", document: .events(events, lines: events.map { _ in 0 }))
                let batch = try ImportPlanner.plan(current: cmdb, documents: [doc], now: now)
                var clock = PhaseClock()
                let written = try Self.write(
                    batch, head: try EventLog.head(db), files: ["(incident response)"], now: now, to: db,
                    clock: &clock)
                result.records += written.records
                result.events = written.events
                if written.records > 0 {
                    if result.firstSeq == 0 { result.firstSeq = written.firstSeq }
                    result.lastSeq = written.lastSeq
                }
                applied = batch
            }
            var log: [LogEntry] = []
            let value = try body(db, &log)
            if !log.isEmpty {
                let (first, last) = try EventLog.append(log, to: db)
                result.records += log.count
                if result.firstSeq == 0 { result.firstSeq = first }
                result.lastSeq = last
            }
            return (value, result, applied)
        }
        if current != nil, let applied { current?.apply(applied) }
        return (value, result)
    }

    /// Allocates the next id of a counter (`change`, `problem`, `snapshot`) inside the caller's transaction.
    static func nextID(_ counter: String, prefix: String, _ db: Database) throws -> String {
        guard
            let n = try Int.fetchOne(
                db, sql: "UPDATE counters SET last = last + 1 WHERE name = ? RETURNING last", arguments: [counter])
        else { throw StoreError("internal error: no counter \"\(counter)\"") }
        return prefix + String(n, zeroPaddedTo: 6)
    }

    /// Inserts an action record and its log entry; returns its row id.
    static func insert(_ a: ActionRecord, now: Timestamp, _ db: Database, _ log: inout [LogEntry]) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO actions(incident, kind, state, change, detail) VALUES (?, ?, ?, ?, ?)",
            arguments: [a.incident, a.kind, a.state, a.change, a.detail])
        let id = db.lastInsertedRowID
        log.append(actionEntry(a, now: now))
        return id
    }

    static func actionEntry(_ a: ActionRecord, now: Timestamp) -> LogEntry {
        LogEntry(
            time: now, type: "action", vm: nil,
            body: JSONWriter.write(
                .object([
                    ("incident", .string(a.incident)), ("kind", .string(a.kind)), ("state", .string(a.state)),
                    ("change", .optional(a.change)), ("detail", .string(a.detail)),
                ])))
    }

    /// Change records, optionally of one state, by id.
    public func changes(state: ChangeState? = nil) throws -> [ChangeRecord] {
        try writer.read { db in
            let sql = Self.changeColumns
            let rows =
                if let state {
                    try Row.fetchAll(db, sql: sql + " WHERE state = ? ORDER BY id", arguments: [state.rawValue])
                } else {
                    try Row.fetchAll(db, sql: sql + " ORDER BY id")
                }
            return try rows.map(Self.decodeChange)
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
                let subject = try RowDecoding.subject(kind: row[2], value: row[3], table: "problems", id: row[0])
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
