import Foundation
import GRDB
import VigilCore

/// One record of the event log as stored.
public struct LogRecord: Sendable, Hashable {
    public var seq: Int64
    public var time: Timestamp
    public var type: String
    public var vm: String?
    public var body: String

    public init(seq: Int64, time: Timestamp, type: String, vm: String?, body: String) {
        self.seq = seq
        self.time = time
        self.type = type
        self.vm = vm
        self.body = body
    }
}

extension VigilDatabase {
    static func decodeInterval(_ row: Row) -> PlacementInterval {
        PlacementInterval(vm: row[0], host: row[1], start: row[2], end: row[3], baseline: row[4] != 0)
    }

    /// Every placement interval of a VM, oldest first: the closed ones packed in its row, then the open one.
    public func intervals(vm: String) throws -> [PlacementInterval] {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT past, host, state, open_start, open_baseline FROM vms WHERE id = ?",
                    arguments: [vm])
            else { return [] }
            let past: Data = row[0]
            var out = try VMHistoryCodec.unpackIntervals([UInt8](past), vm: vm)
            let host: String? = row[1]
            let start: Timestamp? = row[3]
            if let host, let start, row[2] != VMState.stopped.rawValue {
                out.append(PlacementInterval(vm: vm, host: host, start: start, end: nil, baseline: row[4] != 0))
            }
            return out
        }
    }

    /// Intervals on `hosts` that overlap [since, until): the hosts' chunks that reach into the window, and the
    /// open intervals of the VMs on them.
    public func intervals(onHosts hosts: [String], since: Timestamp, until: Timestamp) throws -> [PlacementInterval] {
        try writer.read { db in
            var out: [PlacementInterval] = []
            let wanted = Set(hosts)
            for h in wanted.sorted() {
                try Self.closed(
                    db, sql: "WHERE host = ? AND first_start < ? AND last_end > ?", [h, until, since], into: &out
                ) { $0.start < until && ($0.end ?? .max) > since }
            }
            // One pass over the VMs for all hosts (no host index on `vms`: see schema v5).
            var open: [PlacementInterval] = []
            try Self.open(db, sql: "AND open_start < ?", [until], into: &open)
            return out + open.filter { wanted.contains($0.host) }
        }
    }

    /// Every placement interval (for building an in-memory index).
    public func allIntervals() throws -> [PlacementInterval] {
        try writer.read { db in
            var out: [PlacementInterval] = []
            try Self.closed(db, sql: "", [], into: &out) { _ in true }
            try Self.open(db, sql: "", [], into: &out)
            return out
        }
    }

    /// Appends the closed intervals of the `host_intervals` chunks selected by `sql` that pass `keep` (every
    /// interval `keep` sees has an `end`).
    static func closed(
        _ db: Database, sql: String, _ arguments: StatementArguments, into out: inout [PlacementInterval],
        keep: (PlacementInterval) -> Bool
    ) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT host, data FROM host_intervals " + sql, arguments: arguments)
        while let row = try rows.next() {
            let data: Data = row[1]
            out += try VMHistoryCodec.unpackIntervals([UInt8](data), host: row[0]).filter(keep)
        }
    }

    /// A VM with an open interval: placed on a host and not stopped (its interval runs from `open_start`).
    static let placedVM = "host IS NOT NULL AND open_start IS NOT NULL AND state != 'stopped'"

    /// Appends the open intervals of the placed VMs selected by `sql` (conditions after the placed test).
    static func open(
        _ db: Database, sql: String, _ arguments: StatementArguments, into out: inout [PlacementInterval]
    ) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, host, open_start, open_baseline FROM vms WHERE \(Self.placedVM) \(sql)
                """, arguments: arguments)
        while let row = try rows.next() {
            out.append(PlacementInterval(vm: row[0], host: row[1], start: row[2], end: nil, baseline: row[3] != 0))
        }
    }

    /// Placed VMs on each host at time `at`, from the intervals.
    public func placements(at: Timestamp) throws -> [String: String] {
        Dictionary(try intervals(overlapping: at, until: at).map { ($0.vm, $0.host) }) { _, last in last }
    }

    /// The log records about a VM (placement events and incidents naming it), oldest first.
    public func records(vm: String) throws -> [LogRecord] {
        try writer.read { db in
            guard let packed = try Data.fetchOne(db, sql: "SELECT records FROM vms WHERE id = ?", arguments: [vm])
            else { return [] }
            let stmt = try db.cachedStatement(sql: "SELECT seq, time, type, vm, body FROM events WHERE seq = ?")
            return try VMHistoryCodec.unpackSeqs([UInt8](packed)).compactMap { seq in
                try Row.fetchOne(stmt, arguments: [seq]).map {
                    LogRecord(seq: $0[0], time: $0[1], type: $0[2], vm: $0[3], body: $0[4])
                }
            }
        }
    }

    /// Log records with a sequence number above `seq`, oldest first, at most `limit` of them.
    public func records(after seq: Int64, limit: Int) throws -> [LogRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, time, type, vm, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [seq, limit]
            ).map { LogRecord(seq: $0[0], time: $0[1], type: $0[2], vm: $0[3], body: $0[4]) }
        }
    }

    /// The sequence number of the last log record (0 for an empty log).
    public func headSeq() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM events") ?? 0 }
    }

    /// The earliest interval start, or nil for an empty history.
    public func historyStart() throws -> Timestamp? {
        try writer.read { db in
            try Timestamp.fetchOne(
                db,
                sql: """
                    SELECT min(s) FROM (SELECT min(first_start) AS s FROM host_intervals UNION ALL
                        SELECT min(open_start) FROM vms WHERE \(Self.placedVM))
                    """)
        }
    }

    /// The latest time in the history (last event or interval boundary), or 0 when empty.
    public func historyEnd() throws -> Timestamp {
        try writer.read { db in
            try Timestamp.fetchOne(
                db,
                sql: """
                    SELECT max(coalesce((SELECT max(last_end) FROM host_intervals), 0),
                        coalesce((SELECT max(open_start) FROM vms WHERE \(Self.placedVM)), 0))
                    """) ?? 0
        }
    }
}

extension VigilDatabase {
    /// Intervals that overlap (since, until]: every placement that may matter for windows ending at `until`.
    public func intervals(overlapping since: Timestamp, until: Timestamp) throws -> [PlacementInterval] {
        try writer.read { db in
            var out: [PlacementInterval] = []
            try Self.closed(db, sql: "WHERE first_start <= ? AND last_end > ?", [until, since], into: &out) {
                $0.start <= until && ($0.end ?? .max) > since
            }
            try Self.open(db, sql: "AND open_start <= ?", [until], into: &out)
            return out
        }
    }
}
