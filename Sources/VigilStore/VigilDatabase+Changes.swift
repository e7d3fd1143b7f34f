import Foundation
import GRDB
import VigilCore

/// The change lifecycle's named transactions. Ids are allocated inside the writing transaction, and every state
/// transition is a compare-and-set on the stored state, so two processes never take the same id or both act on
/// one change.
extension VigilDatabase {
    static let changeColumns =
        "SELECT id, kind, vm, from_host, to_host, reason, state, standard, approvals, incident, handover FROM changes"

    static func decodeChange(_ row: Row) throws -> ChangeRecord {
        let id: String = row[0]
        return ChangeRecord(
            id: id, kind: row[1], vm: row[2], from: row[3], to: row[4], reason: row[5],
            state: try RowDecoding.value(ChangeState.self, row[6], table: "changes", id: id, column: "state"),
            standard: row[7] != 0, approvals: try Codec.decodeStrings(row[8], "changes", id, "approvals"),
            incident: row[9])
    }

    /// One change record by id, or nil.
    public func change(_ id: String) throws -> ChangeRecord? {
        try writer.read { db in try Self.fetchChange(id, db) }
    }

    static func fetchChange(_ id: String, _ db: Database) throws -> ChangeRecord? {
        try Row.fetchOne(db, sql: changeColumns + " WHERE id = ?", arguments: [id]).map(decodeChange)
    }

    /// Records new changes in state `proposed`, their ids allocated in this transaction; standard ones are
    /// then approved (`ChangeLifecycle.submit`) in the same transaction.
    public func proposeChanges(_ drafts: [ChangeDraft], now: Timestamp) throws -> [ChangeRecord] {
        var none: Cmdb? = nil
        return try transaction(now: now, events: [], current: &none) { db, log in
            try drafts.map { d in
                var lifecycle = ChangeLifecycle(d.record(id: try Self.nextID("change", prefix: "chg-", db)))
                if case .refuse(let why) = lifecycle.submit() { throw StoreError(why, code: .conflict) }
                try Self.insert(lifecycle.change, now: now, db, &log)
                return lifecycle.change
            }
        }.value
    }

    /// A CAB member approves a proposed change (compare-and-set: only a `proposed` change is approved).
    public func approveChange(_ id: String, by name: String, now: Timestamp) throws -> ChangeRecord {
        try transition(id, now: now) { $0.approve(by: name) }
    }

    /// A CAB member rejects a proposed change (compare-and-set: only a `proposed` change is rejected).
    public func rejectChange(_ id: String, by name: String, now: Timestamp) throws -> ChangeRecord {
        try transition(id, now: now) { $0.reject(by: name) }
    }

    /// The committed intent before the driver is called: an approved change moves to `executing`, with the
    /// source host and the anti-spoofing handover it will run with. Records `batch` (e.g. the incident that
    /// caused it) in the same transaction.
    public func startChange(
        _ id: String, from: String, handover: FilterHandover?, batch: ResponseBatch = ResponseBatch(),
        now: Timestamp, current: inout Cmdb?
    ) throws -> ChangeRecord {
        try transaction(now: now, finishes: batch.finishes, events: batch.events, current: &current) { db, log in
            for a in batch.actions { _ = try Self.insert(a, now: now, db, &log) }
            return try Self.transition(id, now: now, db, &log) { lifecycle in
                var record = lifecycle.change
                record.from = from
                record.handover = handover
                lifecycle = ChangeLifecycle(record)
                return lifecycle.start()
            }
        }.value
    }

    /// A standard change created and started at once (playbook actions): proposed, approved and `executing` in
    /// one transaction, with `batch` recorded before it.
    public func startStandardChange(
        _ draft: ChangeDraft, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?
    ) throws -> ChangeRecord {
        try transaction(now: now, finishes: batch.finishes, events: batch.events, current: &current) { db, log in
            for a in batch.actions { _ = try Self.insert(a, now: now, db, &log) }
            var lifecycle = ChangeLifecycle(draft.record(id: try Self.nextID("change", prefix: "chg-", db)))
            for step in [lifecycle.submit(), lifecycle.start()] {
                if case .refuse(let why) = step { throw StoreError(why, code: .conflict) }
            }
            try Self.insert(lifecycle.change, now: now, db, &log)
            return lifecycle.change
        }.value
    }

    /// The committed outcome after the driver call: `record` (done, failed or rolled back) replaces the stored
    /// change only if it is still `executing`; `batch` (the migration event, action records) is written with it.
    public func finishChange(
        _ record: ChangeRecord, batch: ResponseBatch, now: Timestamp, current: inout Cmdb?
    ) throws -> ImportResult {
        try transaction(now: now, finishes: batch.finishes, events: batch.events, current: &current) { db, log in
            try Self.update(record, expecting: [.executing, .approved], now: now, db, &log)
            for a in batch.actions { _ = try Self.insert(a, now: now, db, &log) }
        }.result
    }

    /// Changes whose intent was committed but whose outcome is missing (a crash between the two).
    public func executingChanges() throws -> [ChangeRecord] {
        try changes(state: .executing)
    }

    /// Runs one lifecycle input on the stored change inside a transaction and stores the result.
    func transition(_ id: String, now: Timestamp, _ input: (inout ChangeLifecycle) -> ChangeLifecycle.Action)
        throws -> ChangeRecord
    {
        var none: Cmdb? = nil
        return try transaction(now: now, events: [], current: &none) { db, log in
            try Self.transition(id, now: now, db, &log, input)
        }.value
    }

    static func transition(
        _ id: String, now: Timestamp, _ db: Database, _ log: inout [LogEntry],
        _ input: (inout ChangeLifecycle) -> ChangeLifecycle.Action
    ) throws -> ChangeRecord {
        guard let stored = try fetchChange(id, db) else {
            throw StoreError("unknown change \"\(id)\"; list them with vigil changes", code: .notFound)
        }
        var lifecycle = ChangeLifecycle(stored)
        if case .refuse(let why) = input(&lifecycle) { throw StoreError(why, code: .conflict) }
        var record = lifecycle.change
        record.handover = record.handover ?? stored.handover
        try update(record, expecting: [stored.state], now: now, db, &log)
        return record
    }

    static func insert(_ c: ChangeRecord, now: Timestamp, _ db: Database, _ log: inout [LogEntry]) throws {
        try db.execute(
            sql: """
                INSERT INTO changes(id, kind, vm, from_host, to_host, reason, state, standard, approvals,
                    incident, handover, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                c.id, c.kind, c.vm, c.from, c.to, c.reason, c.state.rawValue, c.standard ? 1 : 0,
                Codec.strings(c.approvals), c.incident, c.handover.map { JSONWriter.write(ChangeJSON.handover($0)) },
                now,
            ])
        log.append(LogEntry(time: now, type: "change", vm: c.vm, body: JSONWriter.write(ChangeJSON.value(c))))
    }

    /// Stores `c` over the row with its id, only while the stored state is one of `expecting`.
    static func update(
        _ c: ChangeRecord, expecting: [ChangeState], now: Timestamp, _ db: Database, _ log: inout [LogEntry]
    ) throws {
        let states = expecting.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try db.execute(
            sql: """
                UPDATE changes SET from_host = ?, state = ?, approvals = ?, handover = coalesce(?, handover),
                    updated = ? WHERE id = ? AND state IN (\(states))
                """,
            arguments: [
                c.from, c.state.rawValue, Codec.strings(c.approvals),
                c.handover.map { JSONWriter.write(ChangeJSON.handover($0)) }, now, c.id,
            ])
        guard db.changesCount == 1 else {
            let actual = try String.fetchOne(db, sql: "SELECT state FROM changes WHERE id = ?", arguments: [c.id])
            guard let actual else { throw StoreError("unknown change \"\(c.id)\"", code: .notFound) }
            throw StoreError(
                "\(c.id) is \(actual), not \(expecting.map(\.rawValue).joined(separator: " or ")); "
                    + "another process changed it first", code: .conflict)
        }
        log.append(LogEntry(time: now, type: "change", vm: c.vm, body: JSONWriter.write(ChangeJSON.value(c))))
    }
}
