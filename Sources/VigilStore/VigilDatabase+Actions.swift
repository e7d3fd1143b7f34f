import GRDB
import VigilCore

/// Action intents and outcomes, problem records and snapshot records: each a named transaction that allocates
/// its id inside it.
extension VigilDatabase {
    /// The committed intent of a driver action (e.g. a snapshot): an action record in state `started`, written
    /// after `batch`. Returns the action's id, to finish it with `finishAction`.
    public func startAction(
        incident: String, kind: String, detail: String, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?
    ) throws -> Int64 {
        try transaction(now: now, finishes: batch.finishes, events: batch.events, current: &current) { db, log in
            for a in batch.actions { _ = try Self.insert(a, now: now, db, &log) }
            return try Self.insert(
                ActionRecord(incident: incident, kind: kind, state: "started", change: nil, detail: detail), now: now,
                db, &log)
        }.value
    }

    /// The committed outcome of a started action (compare-and-set on `started`), with the snapshot it took, if
    /// any (its id allocated here). Returns the snapshot id.
    @discardableResult
    public func finishAction(
        _ id: Int64, state: String, detail: String, snapshot: SnapshotRecord? = nil, path: String? = nil,
        now: Timestamp
    ) throws -> String? {
        var none: Cmdb? = nil
        return try transaction(now: now, events: [], current: &none) { db, log in
            try Self.finish(
                ActionFinish(id: id, state: state, detail: detail, snapshot: snapshot, path: path), now: now, db, &log)
        }.value
    }

    /// Writes a started action's outcome (and its snapshot record) inside the caller's transaction.
    @discardableResult
    static func finish(_ f: ActionFinish, now: Timestamp, _ db: Database, _ log: inout [LogEntry]) throws -> String? {
        let (id, state, detail, snapshot, path) = (f.id, f.state, f.detail, f.snapshot, f.path)
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT incident, kind, state, change FROM actions WHERE id = ?", arguments: [id])
        else { throw StoreError("unknown action \(id)", code: .notFound) }
        guard row[2] as String == "started" else {
            throw StoreError("action \(id) is \(row[2] as String), not started", code: .conflict)
        }
        try db.execute(
            sql: "UPDATE actions SET state = ?, detail = ? WHERE id = ? AND state = 'started'",
            arguments: [state, detail, id])
        log.append(
            Self.actionEntry(
                ActionRecord(incident: row[0], kind: row[1], state: state, change: row[3], detail: detail),
                now: now))
        guard let snapshot else { return nil }
        let sid = try Self.nextID("snapshot", prefix: "snp-", db)
        try db.execute(
            sql:
                "INSERT INTO snapshots(id, action, vm, driver_id, sha256, path, taken) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [sid, id, snapshot.vm, snapshot.snapshotID, snapshot.digest, path, now])
        log.append(
            LogEntry(
                time: now, type: "snapshot", vm: snapshot.vm,
                body: JSONWriter.write(
                    .object([
                        ("id", .string(sid)), ("vm", .string(snapshot.vm)),
                        ("driverSnapshot", .string(snapshot.snapshotID)), ("sha256", .string(snapshot.digest)),
                        ("path", .optional(path)),
                    ]))))
        return sid
    }

    /// Records a problem record (its id allocated here) and the action that reports it, whose detail is
    /// `detail(id)`; `batch` is written first.
    public func recordProblem(
        incident: String, subject: IncidentSubject, since: Timestamp, until: Timestamp, body: String,
        detail: (String) -> String, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?
    ) throws -> ProblemRecord {
        try transaction(now: now, finishes: batch.finishes, events: batch.events, current: &current) { db, log in
            for a in batch.actions { _ = try Self.insert(a, now: now, db, &log) }
            let id = try Self.nextID("problem", prefix: "prb-", db)
            try db.execute(
                sql:
                    "INSERT INTO problems(id, incident, subject_kind, subject, since, until, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, incident, subject.kind, subject.value, since, until, body])
            log.append(LogEntry(time: now, type: "problem", vm: nil, body: body))
            _ = try Self.insert(
                ActionRecord(incident: incident, kind: "exposure", state: "done", change: nil, detail: detail(id)),
                now: now, db, &log)
            return ProblemRecord(id: id, incident: incident, subject: subject, since: since, until: until, body: body)
        }.value
    }

    /// Snapshots recorded for each action id: (snapshot id, sha256, path).
    public func snapshots() throws -> [Int64: (id: String, sha256: String, path: String?)] {
        try writer.read { db in
            var out: [Int64: (id: String, sha256: String, path: String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT action, id, sha256, path FROM snapshots") {
                out[row[0]] = (row[1], row[2], row[3])
            }
            return out
        }
    }
}
