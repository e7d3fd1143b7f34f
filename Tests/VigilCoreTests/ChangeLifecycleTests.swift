import Testing
import VigilCore

/// The change lifecycle (DESIGN §4): proposed → approved → done | failed | rolled-back, or rejected.
@Suite struct ChangeLifecycleTests {
    static func change(standard: Bool) -> ChangeRecord {
        ChangeRecord(
            id: "chg-1", vm: "vm-1", from: "h-1", to: "h-2", reason: "test", state: .proposed, standard: standard)
    }

    enum Step: Sendable {
        case submit, approve(String), reject(String), executed, failed(rolledBack: Bool)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var standard: Bool
        var steps: [Step]
        var actions: [ChangeLifecycle.Action]
        var final: ChangeState
        var approvals: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "standard change runs at once", standard: true, steps: [.submit, .executed],
            actions: [.execute, .record(.done)], final: .done, approvals: ["standard"]),
        Case(
            name: "normal change waits, is approved, runs", standard: false,
            steps: [.submit, .approve("alice"), .executed],
            actions: [.record(.proposed), .execute, .record(.done)], final: .done, approvals: ["alice"]),
        Case(
            name: "rejected change never runs", standard: false, steps: [.submit, .reject("bob"), .approve("alice")],
            actions: [
                .record(.proposed), .record(.rejected),
                .refuse("chg-1 is rejected; only proposed changes can be approved"),
            ],
            final: .rejected, approvals: ["rejected by bob"]),
        Case(
            name: "driver failure without rollback", standard: true, steps: [.submit, .failed(rolledBack: false)],
            actions: [.execute, .record(.failed)], final: .failed, approvals: ["standard"]),
        Case(
            name: "driver failure rolled back", standard: false, steps: [.approve("carol"), .failed(rolledBack: true)],
            actions: [.execute, .record(.rolledBack)], final: .rolledBack, approvals: ["carol"]),
        Case(
            name: "cannot run what was not approved", standard: false, steps: [.executed],
            actions: [.refuse("chg-1 was not approved")], final: .proposed, approvals: []),
        Case(
            name: "cannot approve twice", standard: false, steps: [.approve("a"), .executed, .approve("b")],
            actions: [.execute, .record(.done), .refuse("chg-1 is done; only proposed changes can be approved")],
            final: .done, approvals: ["a"]),
    ]

    @Test(arguments: cases)
    func lifecycle(c: Case) {
        var l = ChangeLifecycle(Self.change(standard: c.standard))
        var actions: [ChangeLifecycle.Action] = []
        for s in c.steps {
            switch s {
            case .submit: actions.append(l.submit())
            case .approve(let n): actions.append(l.approve(by: n))
            case .reject(let n): actions.append(l.reject(by: n))
            case .executed: actions.append(l.executed())
            case .failed(let r): actions.append(l.executionFailed(rolledBack: r))
            }
        }
        #expect(actions == c.actions)
        #expect(l.change.state == c.final)
        #expect(l.change.approvals == c.approvals)
    }
}
