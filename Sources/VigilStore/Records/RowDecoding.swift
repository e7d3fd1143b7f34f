import GRDB
import VigilCore

/// Reads enumerated columns back from the database, failing closed: a value the code does not know (a row
/// written by a newer Vigil, or altered by hand) is an error naming the table, row and column, never a default.
enum RowDecoding {
    static func value<T: RawRepresentable>(
        _ type: T.Type, _ raw: String, table: String, id: String, column: String
    ) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: raw) else { throw unreadable(raw, table: table, id: id, column: column) }
        return v
    }

    static func version(_ raw: String, table: String, id: String, column: String) throws -> Version {
        guard let v = Version(raw) else { throw unreadable(raw, table: table, id: id, column: column) }
        return v
    }

    static func subject(kind: String, value: String, table: String, id: String) throws -> IncidentSubject {
        switch kind {
        case "vm": .vm(value)
        case "host": .host(value)
        case "unmatched": .unmatched(value)
        default: throw unreadable(kind, table: table, id: id, column: "subject_kind")
        }
    }

    static func unreadable(_ raw: String, table: String, id: String, column: String) -> StoreError {
        StoreError(
            "\(table)[\(id)].\(column): unreadable value \"\(raw)\"; the database was written by another Vigil "
                + "version or altered by hand (run vigil verify)")
    }
}
