import Foundation
import GRDB
import Synchronization

extension VigilDatabase {
    /// Sets this connection up for a long-lived server. Commits no longer copy the write-ahead log into the
    /// database file (SQLite's automatic checkpoint runs inside the commit that crosses 1,000 pages, so one write in
    /// many waited for it): the server runs a `Checkpointer` beside it. The page cache is 64 MiB instead of the
    /// 1 GiB a bulk import wants, so the resident set follows the live state, not the pages touched since start.
    /// Durability does not depend on either.
    public func prepareForService() throws {
        checkpointsDeferred.store(true, ordering: .relaxed)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
    }

    /// The automatic checkpoint setting this connection returns to after an import.
    var autocheckpointPages: Int { checkpointsDeferred.load(ordering: .relaxed) ? 0 : 1000 }
}

/// Copies the write-ahead log into the database file from a connection of its own, without blocking the
/// writer (SQLite's PASSIVE checkpoint), so commits never wait for it.
public final class Checkpointer: Sendable {
    let queue: DatabaseQueue

    public init(path: String) throws {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        config.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw StoreError("cannot open database \(path) for checkpoints: \(error.message ?? "\(error)")")
        }
    }

    /// Checkpoints what it can now; returns the pages in the log and the pages copied.
    @discardableResult
    public func checkpoint() throws -> (log: Int, copied: Int) {
        try queue.writeWithoutTransaction { db in
            guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") else { return (0, 0) }
            return (row[1] ?? 0, row[2] ?? 0)
        }
    }
}
