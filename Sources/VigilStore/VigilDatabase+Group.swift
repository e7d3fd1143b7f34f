import Foundation
import GRDB
import VigilCore

/// One caller's part of a group commit: its documents and who sent them.
public struct ImportRequest: Sendable {
    public var documents: [SourceDocument]
    /// The token name recorded in a `request` record before the documents' records (nil: none).
    public var by: String?

    public init(documents: [SourceDocument], by: String?) {
        self.documents = documents
        self.by = by
    }
}

extension VigilDatabase {
    /// Group commit (DESIGN §8): imports several callers' documents in one transaction, so concurrent writes
    /// share one sync. Each request is checked against the state the requests before it leave; a request that
    /// fails its check gets its own error and writes nothing, and the others are still recorded. The results are
    /// in the requests' order. A store failure rolls the whole group back and is thrown.
    /// `current`, when given, is the caller's in-memory CMDB: checked against instead of loading it, and kept up
    /// to date once the group has committed.
    public func importGroup(_ requests: [ImportRequest], now: Timestamp, current: inout Cmdb?) throws -> [Result<
        ImportResult, Error
    >] {
        let given = current
        let (results, cmdb) = try writer.write { db -> ([Result<ImportResult, Error>], Cmdb) in
            var cmdb = try given ?? Self.loadCmdb(db)
            var results: [Result<ImportResult, Error>] = []
            for r in requests {
                let batch: ImportBatch
                do {
                    batch = try ImportPlanner.plan(current: cmdb, documents: r.documents, now: now)
                } catch {
                    results.append(.failure(error))
                    continue
                }
                if let by = r.by { _ = try EventLog.append([WriteActor.entry(by, now: now)], to: db) }
                var clock = PhaseClock()
                let result = try Self.write(
                    batch, head: try EventLog.head(db), files: r.documents.map(\.file), now: now, to: db,
                    clock: &clock)
                cmdb.apply(batch)
                results.append(.success(result))
            }
            return (results, cmdb)
        }
        if current != nil { current = cmdb }
        return results
    }

    /// Changes whenever another connection (another process) commits to the database; compared between calls, it
    /// tells a long-lived in-memory view that it must reload.
    public func dataVersion() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }
}
