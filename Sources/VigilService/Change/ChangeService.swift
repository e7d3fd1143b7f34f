import VigilCore
import VigilDrivers
import VigilStore

/// Change management (DESIGN §4) for both front ends: proposing a plan's migrations, approving (which carries
/// the change out) and rejecting. Approve and reject are compare-and-set in the store: only a `proposed` change
/// is acted on; anything else is a `conflict`.
public struct ChangeService: Sendable {
    let db: any VigilStore
    let drivers: DriverConfiguration

    public init(db: any VigilStore, drivers: DriverConfiguration = DriverConfiguration()) {
        self.db = db
        self.drivers = drivers
    }

    /// Records one change per migration of `plan`. Pre-authorised ones are standard changes carried out at once,
    /// in plan order; the others wait for approval.
    public func propose(_ plan: RemediationPlan, preAuthorised: Bool, now: Timestamp) async throws
        -> [ChangeSession.Outcome]
    {
        let drafts = plan.migrations.map { m in
            ChangeDraft(
                vm: m.vm, from: m.from, to: m.to,
                reason: "remediation: " + m.fixes.map { "\($0.policy)/\($0.rule.rawValue)" }.joined(separator: ", "),
                standard: preAuthorised)
        }
        let created = try db.proposeChanges(drafts, now: now)
        guard preAuthorised, !created.isEmpty else { return created.map { ChangeSession.Outcome(change: $0) } }
        _ = try await ChangeReconciler.reconcile(db: db, drivers: drivers, now: now)
        var session = try await ChangeSession(db: db, now: now, drivers: drivers)
        var out: [ChangeSession.Outcome] = []
        for c in created { out.append(try await session.execute(c)) }
        return out
    }

    /// A CAB member approves a proposed change, which is then carried out (re-checked for feasibility now).
    public func approve(_ id: String, by name: String, now: Timestamp) async throws -> ChangeSession.Outcome {
        let approved = try db.approveChange(id, by: name, now: now)
        _ = try await ChangeReconciler.reconcile(db: db, drivers: drivers, now: now)
        var session = try await ChangeSession(db: db, now: now, drivers: drivers)
        return try await session.execute(approved)
    }

    /// A CAB member rejects a proposed change.
    public func reject(_ id: String, by name: String, now: Timestamp) throws -> ChangeRecord {
        try db.rejectChange(id, by: name, now: now)
    }
}

extension ChangeSession.Outcome {
    init(change: ChangeRecord) { self.init(change: change, note: nil) }
}
