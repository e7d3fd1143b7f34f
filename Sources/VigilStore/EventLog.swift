import Crypto
import Foundation
import GRDB
import VigilCore

/// The hash chain of the event log: each record carries the SHA-256 of the previous one.
enum EventLog {
    static let genesis = Data(repeating: 0, count: 32)

    /// The hash of a record: SHA-256 over the previous hash and the record's fields.
    static func hash(prev: Data, seq: Int64, time: Int64, type: String, vm: String?, body: String) -> Data {
        var h = SHA256()
        h.update(data: prev)
        h.update(data: Data("\(seq)\t\(time)\t\(type)\t\(vm ?? "")\t".utf8))
        h.update(data: Data(body.utf8))
        return Data(h.finalize())
    }

    /// The last record's sequence number and hash, as recorded in `meta`.
    static func head(_ db: Database) throws -> (seq: Int64, hash: Data) {
        let seq = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'head_seq'") ?? 0
        let hash = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'head_hash'") ?? genesis
        return (seq, hash)
    }

    /// Appends records to the chain; returns the new head.
    static func append(_ entries: [LogEntry], to db: Database) throws -> (first: Int64, last: Int64) {
        var (seq, prev) = try head(db)
        let first = seq + 1
        let stmt = try db.makeStatement(
            sql: "INSERT INTO events(seq, time, type, vm, body, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for e in entries {
            seq += 1
            let hash = hash(prev: prev, seq: seq, time: e.time, type: e.type, vm: e.vm, body: e.body)
            stmt.setUncheckedArguments([seq, e.time, e.type, e.vm, e.body, prev, hash])
            try stmt.execute()
            prev = hash
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('head_seq', ?), ('head_hash', ?)",
            arguments: [seq, prev])
        return (first, seq)
    }
}

/// What `verify` found: how many records hold, and the first bad one.
public struct ChainReport: Sendable, Hashable {
    /// Records checked and found intact, from the first.
    public var intact: Int64
    /// Sequence number of the first altered or missing record, nil when the chain is whole.
    public var firstBad: Int64?
    /// What is wrong with it.
    public var reason: String?

    /// True when the chain is whole.
    public var isValid: Bool { firstBad == nil }
}

extension VigilDatabase {
    /// Recomputes the whole chain and names the first altered or missing record.
    public func verify() throws -> ChainReport {
        try writer.read { db in
            let (headSeq, headHash) = try EventLog.head(db)
            var expected: Int64 = 1
            var prev = EventLog.genesis
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, time, type, vm, body, prev, hash FROM events ORDER BY seq")
            while let row = try rows.next() {
                let seq: Int64 = row[0]
                if seq != expected {
                    return ChainReport(
                        intact: expected - 1, firstBad: expected,
                        reason: "record \(expected) is missing (next present record is \(seq))")
                }
                let storedPrev: Data = row[5]
                let storedHash: Data = row[6]
                if storedPrev != prev {
                    return ChainReport(
                        intact: seq - 1, firstBad: seq,
                        reason: "record \(seq) does not link to record \(seq - 1): one of them was altered")
                }
                let body: String = row[4]
                let computed = EventLog.hash(prev: prev, seq: seq, time: row[1], type: row[2], vm: row[3], body: body)
                if computed != storedHash {
                    return ChainReport(intact: seq - 1, firstBad: seq, reason: "record \(seq) was altered (hash mismatch)")
                }
                prev = storedHash
                expected += 1
            }
            if expected - 1 < headSeq {
                return ChainReport(
                    intact: expected - 1, firstBad: expected,
                    reason: "records \(expected)…\(headSeq) are missing (the log ends early)")
            }
            if expected - 1 > headSeq || prev != headHash {
                return ChainReport(
                    intact: expected - 1, firstBad: headSeq + 1,
                    reason: "the log's head does not match its last record (records appended outside Vigil)")
            }
            return ChainReport(intact: expected - 1, firstBad: nil, reason: nil)
        }
    }

    /// Number of records in the event log.
    public func recordCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0 }
    }
}
