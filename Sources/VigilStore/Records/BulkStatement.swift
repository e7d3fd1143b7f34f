import GRDB
import GRDBSQLite

/// A prepared INSERT driven through SQLite's C API for bulk writes: GRDB's per-execution bookkeeping
/// costs more than the insert itself when an import writes a million rows. Only used inside a GRDB write.
struct BulkStatement {
    let statement: Statement
    var handle: OpaquePointer { statement.sqliteStatement }
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }

    func bind(_ i: Int32, _ v: Int64?) {
        if let v { sqlite3_bind_int64(handle, i, v) } else { sqlite3_bind_null(handle, i) }
    }

    func bind(_ i: Int32, _ v: String?) {
        guard var v else {
            sqlite3_bind_null(handle, i)
            return
        }
        v.withUTF8 { buf in
            _ = buf.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, i, $0.baseAddress, Int32(buf.count), Self.transient)
            }
        }
    }

    /// Binds a BLOB (an empty one for no bytes, never NULL).
    func bind(_ i: Int32, bytes: [UInt8]) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(handle, i, 0)
            return
        }
        bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Binds a BLOB from memory that stays valid until the next `step()`, without copying it.
    func bind(_ i: Int32, bytes: UnsafeRawBufferPointer) {
        _ = sqlite3_bind_blob(handle, i, bytes.baseAddress, Int32(bytes.count), nil)
    }

    /// Binds UTF-8 text from memory that stays valid until the next `step()`, without copying it.
    func bind(_ i: Int32, text: UnsafeBufferPointer<UInt8>) {
        _ = text.withMemoryRebound(to: CChar.self) {
            sqlite3_bind_text(handle, i, $0.baseAddress, Int32(text.count), nil)
        }
    }

    /// Executes the bound statement and resets it for the next row.
    func step() throws {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else {
            throw StoreError("insert failed: \(String(cString: sqlite3_errstr(rc))) (\(statement.sql))")
        }
    }
}
