import Crypto
import Foundation
import GRDB
import VigilCore

/// The hash chain of the event log: each record's hash is SHA-256 over the previous record's hash and its own
/// fields, so altering, dropping or reordering any record breaks the link of the next one.
enum EventLog {
    static let genesis = Data(repeating: 0, count: 32)

    /// Appending stopped early because the import is already known to fail.
    struct Abandoned: Error {}

    /// The hash of a record: SHA-256 over the previous hash, the bytes of "seq\ttime\ttype\tvm\t" and the body.
    /// The header is built in `scratch`, reused across records (appending or verifying a million records must not
    /// mean a million string interpolations).
    static func digest(
        prev: [UInt8], seq: Int64, time: Int64, type: String, vm: String?, body: String, scratch: inout [UInt8]
    ) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        prev.withUnsafeBytes { p in
            out.withUnsafeMutableBytes {
                digest(prev: p, seq: seq, time: time, type: type, vm: vm, body: body, scratch: &scratch, into: $0)
            }
        }
        return out
    }

    /// `digest` writing the 32 bytes to `out` (which may follow `prev` in one buffer): no allocation per record.
    static func digest(
        prev: UnsafeRawBufferPointer, seq: Int64, time: Int64, type: String, vm: String?, body: String,
        scratch: inout [UInt8], into out: UnsafeMutableRawBufferPointer
    ) {
        var h = SHA256()
        h.update(bufferPointer: prev)
        scratch.removeAll(keepingCapacity: true)
        appendDecimal(seq, to: &scratch)
        scratch.append(9)
        appendDecimal(time, to: &scratch)
        scratch.append(9)
        scratch.append(contentsOf: type.utf8)
        scratch.append(9)
        if let vm { scratch.append(contentsOf: vm.utf8) }
        scratch.append(9)
        scratch.withUnsafeBytes { h.update(bufferPointer: $0) }
        var text = body
        text.withUTF8 { h.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        h.finalize().withUnsafeBytes { out.copyMemory(from: $0) }
    }

    /// Appends the decimal digits of `v` (as `"\(v)"` would write them).
    static func appendDecimal(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(45) }
        var m = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { d in
            var n = 0
            repeat {
                d[n] = UInt8(m % 10) + 48
                n += 1
                m /= 10
            } while m > 0
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(d[k]) }
        }
    }

    /// The last record's sequence number and hash, as recorded in `meta`.
    static func head(_ db: Database) throws -> (seq: Int64, hash: Data) {
        let seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = 'head_seq'")) ?? 0
        let hash =
            try Data.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = 'head_hash'")) ?? genesis
        guard hash.count == 32 else {
            throw StoreError(
                "the log's head hash in meta is \(hash.count) bytes, not 32: the database was altered; run vigil verify"
            )
        }
        return (seq, hash)
    }

    /// Appends records to the chain; returns the first and last sequence numbers.
    static func append(_ entries: [LogEntry], to db: Database) throws -> (first: Int64, last: Int64) {
        try append(entries, chain: HashChain(entries: entries, head: try head(db)), to: db)
    }

    /// Appends records to the chain, their hashes computed by `chain` (on another core) while earlier records are
    /// inserted; returns the first and last sequence numbers.
    /// `abandon` is asked every 65,536 records; when it says yes, `Abandoned` is thrown (the transaction is rolled
    /// back by the caller).
    static func append(
        _ entries: [LogEntry], chain: HashChain, to db: Database, abandon: () -> Bool = { false }
    ) throws -> (first: Int64, last: Int64) {
        let first = chain.firstSeq
        let stmt = try BulkStatement(
            db, sql: "INSERT INTO events(seq, time, type, vm, body, hash) VALUES (?, ?, ?, ?, ?, ?)")
        for (k, e) in entries.enumerated() {
            if k & 0xffff == 0xffff && abandon() { throw Abandoned() }
            stmt.bind(1, first + Int64(k))
            stmt.bind(2, e.time)
            stmt.bind(4, e.vm)
            stmt.bind(6, bytes: chain.hash(k))
            // Type and body are bound in place (no copy) and the row inserted while their bytes are in hand.
            var type = e.type
            var body = e.body
            try type.withUTF8 { t in
                try body.withUTF8 { b in
                    stmt.bind(3, text: t)
                    stmt.bind(5, text: b)
                    try stmt.step()
                }
            }
        }
        let last = first + Int64(entries.count) - 1
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('head_seq', ?), ('head_hash', ?)")
            .execute(arguments: [last, Data(chain.hash(entries.count - 1))])
        return (first, last)
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

    public init(intact: Int64, firstBad: Int64?, reason: String?) {
        self.intact = intact
        self.firstBad = firstBad
        self.reason = reason
    }
}

extension VigilDatabase {
    /// Recomputes the whole chain and names the first altered or missing record.
    public func verify() throws -> ChainReport {
        try writer.read { db in
            let (headSeq, headHash) = try EventLog.head(db)
            var expected: Int64 = 1
            var prev = [UInt8](EventLog.genesis)
            var scratch: [UInt8] = []
            let rows = try Row.fetchCursor(
                db, sql: "SELECT seq, time, type, vm, body, hash FROM events ORDER BY seq")
            while let row = try rows.next() {
                let seq: Int64 = row[0]
                if seq != expected {
                    return ChainReport(
                        intact: expected - 1, firstBad: expected,
                        reason: "record \(expected) is missing (next present record is \(seq))")
                }
                let storedHash: Data = row[5]
                let body: String = row[4]
                let computed = EventLog.digest(
                    prev: prev, seq: seq, time: row[1], type: row[2], vm: row[3], body: body,
                    scratch: &scratch)
                if !storedHash.elementsEqual(computed) {
                    return ChainReport(
                        intact: seq - 1, firstBad: seq, reason: "record \(seq) was altered (hash mismatch)")
                }
                prev = computed
                expected += 1
            }
            if expected - 1 < headSeq {
                return ChainReport(
                    intact: expected - 1, firstBad: expected,
                    reason: "records \(expected)…\(headSeq) are missing (the log ends early)")
            }
            if expected - 1 > headSeq || !headHash.elementsEqual(prev) {
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
