import Testing
import VigilCore

/// The change lifecycle (DESIGN §4): proposed → approved → executing → done | failed | rolled-back, or rejected.
@Suite struct ChangeLifecycleTests {
    static func change(standard: Bool) -> ChangeRecord {
        ChangeRecord(
            id: "chg-1", vm: "vm-1", from: "h-1", to: "h-2", reason: "test", state: .proposed, standard: standard)
    }

    enum Step: Sendable {
        case submit, approve(String), reject(String), start, executed, failed(rolledBack: Bool), abandon
        case reconcile(String?)
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
            name: "standard change runs at once", standard: true, steps: [.submit, .start, .executed],
            actions: [.execute, .record(.executing), .record(.done)], final: .done, approvals: ["standard"]),
        Case(
            name: "normal change waits, is approved, runs", standard: false,
            steps: [.submit, .approve("alice"), .start, .executed],
            actions: [.record(.proposed), .execute, .record(.executing), .record(.done)], final: .done,
            approvals: ["alice"]),
        Case(
            name: "rejected change never runs", standard: false, steps: [.submit, .reject("bob"), .approve("alice")],
            actions: [
                .record(.proposed), .record(.rejected),
                .refuse("chg-1 is rejected; only proposed changes can be approved"),
            ],
            final: .rejected, approvals: ["rejected by bob"]),
        Case(
            name: "driver failure without rollback", standard: true,
            steps: [.submit, .start, .failed(rolledBack: false)],
            actions: [.execute, .record(.executing), .record(.failed)], final: .failed, approvals: ["standard"]),
        Case(
            name: "driver failure rolled back", standard: false,
            steps: [.approve("carol"), .start, .failed(rolledBack: true)],
            actions: [.execute, .record(.executing), .record(.rolledBack)], final: .rolledBack, approvals: ["carol"]),
        Case(
            name: "cannot run what was not approved", standard: false, steps: [.start, .executed],
            actions: [
                .refuse("chg-1 is proposed; only approved changes can start"),
                .refuse("chg-1 is proposed, not executing"),
            ], final: .proposed, approvals: []),
        Case(
            name: "no outcome without a committed intent", standard: false, steps: [.approve("a"), .executed],
            actions: [.execute, .refuse("chg-1 is approved, not executing")], final: .approved, approvals: ["a"]),
        Case(
            name: "cannot approve twice", standard: false, steps: [.approve("a"), .start, .executed, .approve("b")],
            actions: [
                .execute, .record(.executing), .record(.done),
                .refuse("chg-1 is done; only proposed changes can be approved"),
            ],
            final: .done, approvals: ["a"]),
        Case(
            name: "approved but no longer feasible", standard: true, steps: [.submit, .abandon, .start],
            actions: [.execute, .record(.failed), .refuse("chg-1 is failed; only approved changes can start")],
            final: .failed, approvals: ["standard"]),
        Case(
            name: "crash after the intent, VM found on the target", standard: true,
            steps: [.submit, .start, .reconcile("h-2")],
            actions: [.execute, .record(.executing), .record(.done)], final: .done, approvals: ["standard"]),
        Case(
            name: "crash after the intent, VM still on the source", standard: true,
            steps: [.submit, .start, .reconcile("h-1")],
            actions: [.execute, .record(.executing), .record(.failed)], final: .failed, approvals: ["standard"]),
        Case(
            name: "only an executing change is reconciled", standard: true, steps: [.submit, .reconcile("h-2")],
            actions: [.execute, .refuse("chg-1 is approved, not executing")], final: .approved,
            approvals: ["standard"]),
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
            case .start: actions.append(l.start())
            case .executed: actions.append(l.executed())
            case .failed(let r): actions.append(l.executionFailed(rolledBack: r))
            case .abandon: actions.append(l.abandoned())
            case .reconcile(let host): actions.append(l.reconcile(vmRunsOn: host))
            }
        }
        #expect(actions == c.actions)
        #expect(l.change.state == c.final)
        #expect(l.change.approvals == c.approvals)
    }
}
