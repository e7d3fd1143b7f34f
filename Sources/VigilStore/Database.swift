import Foundation
import GRDB
import Synchronization
import VigilCore

/// A store that cannot do what was asked, with what to do about it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of refusal this is (front ends map it: exit 2 / HTTP 404 / HTTP 409).
    public enum Code: String, Sendable {
        /// The store or its data cannot be used (I/O, an unreadable row).
        case failure
        /// The id names no record.
        case notFound
        /// The record is not in the state the request needs (e.g. approving a change that is not proposed).
        case conflict
    }

    public var code: Code
    public var message: String

    public init(_ message: String, code: Code = .failure) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}

/// Vigil's SQLite database: the hash-chained event log and the materialised state derived from it.
/// One type owns the connection; each public method is one invariant-preserving transaction.
public final class VigilDatabase: Sendable {
    let writer: DatabaseQueue
    /// Set by `deferCheckpoints()`.
    let checkpointsDeferred = Atomic<Bool>(false)
    /// Path of the database file.
    public let path: String

    /// Opens (creating if needed) the database at `path`, in WAL mode with full fsync on commit.
    public init(path: String) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Large imports touch millions of index pages; a small page cache turns them into random I/O.
            try db.execute(sql: "PRAGMA cache_size = -1048576")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        config.busyMode = .timeout(10)
        do {
            writer = try DatabaseQueue(path: path, configuration: config)
            try Schema.migrator.migrate(writer)
        } catch let error as DatabaseError {
            throw StoreError("cannot open database \(path): \(error.message ?? "\(error)")")
        }
        self.path = path
    }

    /// Runs a read-only block on the database (for commands and benchmarks that need plain SQL).
    public func read<T: Sendable>(_ block: (Database) throws -> T) throws -> T {
        try writer.read(block)
    }
}
