import Foundation
import GRDB
import Testing
import VigilCore
import VigilTestFixtures

@testable import VigilStore

/// A stored value the code cannot read is an error naming table, row and column, never a default.
@Suite struct FailClosedDecodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var sql: String
        var message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(
            sql: "UPDATE vms SET state = 'paused' WHERE id = 'vm-0002'",
            message: "vms[vm-0002].state: unreadable value \"paused\""),
        Case(
            sql: "UPDATE hosts SET state = 'on-fire' WHERE id = 'h-001'",
            message: "hosts[h-001].state: unreadable value \"on-fire\""),
        Case(
            sql: "UPDATE hosts SET role = 'spare' WHERE id = 'h-002'",
            message: "hosts[h-002].role: unreadable value \"spare\""),
        Case(
            sql: "UPDATE hosts SET version = '' WHERE id = 'h-001'",
            message: "hosts[h-001].version: unreadable value \"\""),
        Case(
            sql: "UPDATE vms SET nics = '[{\"mac\":\"52:54:00:12:34:57\"}]' WHERE id = 'vm-0002'",
            message: "vms[vm-0002].nics: unreadable value"),
        Case(
            sql: "UPDATE hosts SET networks = 'dmz-a' WHERE id = 'h-001'",
            message: "hosts[h-001].networks: unreadable value \"dmz-a\""),
    ]

    @Test(arguments: cases)
    func unreadableStateIsAnError(c: Case) throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        try DatabaseQueue(path: t.path).write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: c.sql)
        }
        let error = #expect(throws: StoreError.self) { try t.db.loadCmdb() }
        #expect(error?.message.hasPrefix(c.message) == true)
    }

    @Test func unreadableIncidentSeverityIsAnError() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        try DatabaseQueue(path: t.path).write { db in
            try db.execute(sql: "UPDATE incidents SET severity = 'catastrophic' WHERE id = 'inc-7'")
        }
        let error = #expect(throws: StoreError.self) { try t.db.incidents() }
        #expect(error?.message.hasPrefix("incidents[inc-7].severity: unreadable value \"catastrophic\"") == true)
    }

    @Test func unreadableChangeStateIsAnError() throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        _ = try t.db.proposeChanges(
            [ChangeDraft(vm: "vm-0002", from: "h-001", to: "h-002", reason: "r", standard: false)], now: 1)
        try DatabaseQueue(path: t.path).write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE changes SET state = 'maybe'")
        }
        let error = #expect(throws: StoreError.self) { try t.db.changes() }
        #expect(error?.message.hasPrefix("changes[chg-000001].state: unreadable value \"maybe\"") == true)
    }

    /// The schema itself refuses states, kinds and references that do not exist.
    @Test(arguments: [
        "UPDATE changes SET state = 'maybe'",
        "UPDATE changes SET vm = 'no-such-vm'",
        "UPDATE changes SET to_host = from_host",
        "INSERT INTO actions(incident, kind, state, detail) VALUES ('no-such-incident', 'snapshot', 'done', '')",
        "INSERT INTO actions(incident, kind, state, detail) VALUES ('inc-7', 'reboot', 'done', '')",
        "INSERT INTO problems(id, incident, subject_kind, subject, since, until, body) VALUES ('prb-1', 'inc-7', 'vm', 'x', 2, 1, '')",
    ])
    func theSchemaRefusesInvalidResponseRecords(sql: String) throws {
        let t = try TempDB()
        _ = try t.importFixtures()
        _ = try t.db.proposeChanges(
            [ChangeDraft(vm: "vm-0002", from: "h-001", to: "h-002", reason: "r", standard: false)], now: 1)
        #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: t.path).write { db in try db.execute(sql: sql) }
        }
    }
}
