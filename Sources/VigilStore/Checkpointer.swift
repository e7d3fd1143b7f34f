import Foundation
import GRDB
import Synchronization

extension VigilDatabase {
    /// Stops commits on this connection from copying the write-ahead log into the database file (SQLite's
    /// automatic checkpoint runs inside the commit that crosses 1,000 pages, so one write in many waited for it).
    /// A long-lived writer calls this and runs a `Checkpointer` beside it. Durability does not depend on it.
    public func deferCheckpoints() throws {
        checkpointsDeferred.store(true, ordering: .relaxed)
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
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
