import Foundation
import Testing
import VigilCore
import VigilService
import VigilStore

/// Change proposal, approval and rejection: compare-and-set in the store, ids allocated inside transactions.
@Suite struct ChangeServiceTests {
    static let now = RFC3339.parse("2026-11-20T12:00:00Z") ?? 0

    static func draft(_ k: Int) -> ChangeDraft {
        ChangeDraft(vm: k % 2 == 0 ? "x" : "y", from: "h-a", to: "h-b", reason: "test \(k)", standard: false)
    }

    enum Step: Sendable {
        case approve(String), reject(String)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var id: String
        var steps: [Step]
        var error: (ServiceError.Kind, String)?
        var final: ChangeState?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "approve runs the change", id: "chg-000001", steps: [.approve("alice")], error: nil, final: .done),
        Case(name: "reject", id: "chg-000001", steps: [.reject("bob")], error: nil, final: .rejected),
        Case(
            name: "approve after reject", id: "chg-000001", steps: [.reject("bob"), .approve("carol")],
            error: (.conflict, "chg-000001 is rejected; only proposed changes can be approved"), final: .rejected),
        Case(
            name: "approve twice", id: "chg-000001", steps: [.approve("a"), .approve("b")],
            error: (.conflict, "chg-000001 is done; only proposed changes can be approved"), final: .done),
        Case(
            name: "reject after approve", id: "chg-000001", steps: [.approve("a"), .reject("b")],
            error: (.conflict, "chg-000001 is done; only proposed changes can be rejected"), final: .done),
        Case(
            name: "unknown change", id: "chg-000009", steps: [.approve("a")],
            error: (.notFound, "unknown change \"chg-000009\"; list them with vigil changes"), final: nil),
    ]

    @Test(arguments: cases)
    func approveAndRejectActOnlyOnProposedChanges(c: Case) async throws {
        let f = try ServiceFixture()
        let service = ChangeService(db: f.db)
        #expect(try f.db.proposeChanges([Self.draft(0)], now: Self.now).map(\.id) == ["chg-000001"])
        var failure: ServiceError?
        var before = try f.db.changes(state: nil)
        var records = try f.db.recordCount()
        for step in c.steps {
            before = try f.db.changes(state: nil)
            records = try f.db.recordCount()
            do {
                switch step {
                case .approve(let n): _ = try await service.approve(c.id, by: n, now: Self.now)
                case .reject(let n): _ = try service.reject(c.id, by: n, now: Self.now)
                }
            } catch {
                failure = ServiceError.from(error)
            }
        }
        #expect(failure?.kind == c.error?.0)
        #expect(failure?.message == c.error?.1)
        #expect(try f.db.change("chg-000001")?.state == (c.final ?? .proposed))
        if failure != nil {
            // A refused request changes nothing, not even the log.
            #expect(try f.db.changes(state: nil) == before)
            #expect(try f.db.recordCount() == records)
        }
    }

    /// Two connections (as two processes would) propose changes at once: every id is allocated once, no gap.
    @Test func concurrentProposalsNeverShareAnId() throws {
        let f = try ServiceFixture()
        let other = try VigilDatabase(path: f.path)
        let stores = [f.db, other]
        let results = ResultSlots(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var ids: [String] = []
            for n in 0..<25 {
                do {
                    ids += try stores[k].proposeChanges([Self.draft(n), Self.draft(n + 1)], now: Self.now).map(\.id)
                } catch {
                    ids.append("error: \(error)")
                }
            }
            results.set(k, ids)
        }
        let all = results.all
        #expect(all.count == 100)
        #expect(Set(all).count == 100)
        #expect(all.sorted() == (1...100).map { "chg-" + String($0, zeroPaddedTo: 6) })
        #expect(try f.db.changes(state: nil).map(\.id) == all.sorted())
        #expect(try f.db.verify().isValid)
    }

    /// Two CAB members approve the same change at once from two connections: exactly one wins.
    @Test func concurrentApprovalsHaveOneWinner() throws {
        let f = try ServiceFixture()
        let other = try VigilDatabase(path: f.path)
        _ = try f.db.proposeChanges([Self.draft(0)], now: Self.now)
        let stores = [f.db, other]
        let results = ResultSlots(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            do {
                _ = try stores[k].approveChange("chg-000001", by: "member-\(k)", now: Self.now)
                results.set(k, ["approved"])
            } catch let e as StoreError {
                results.set(k, ["\(e.code)"])
            } catch {
                results.set(k, ["\(error)"])
            }
        }
        #expect(results.all.sorted() == ["approved", "conflict"])
        #expect(try f.db.change("chg-000001")?.approvals.count == 1)
    }
}

/// One result slot per concurrent worker.
final class ResultSlots: @unchecked Sendable {
    private var slots: [[String]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ k: Int, _ v: [String]) { lock.withLock { slots[k] = v } }

    var all: [String] { lock.withLock { slots.flatMap { $0 } } }
}
