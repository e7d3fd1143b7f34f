/// One planned migration and the hard violations it repairs.
public struct PlannedMigration: Sendable, Hashable {
    public var vm: String
    public var from: String
    public var to: String
    public var fixes: [PolicyRule]
}

/// A hard violation the plan cannot repair, and why.
public struct UnrepairedViolation: Sendable, Hashable {
    public var vm: String?
    public var host: String
    public var policy: String
    public var rule: RuleID
    public var reason: String
}

/// A remediation plan (DESIGN §2): ordered migrations, each feasible when it runs, and what stays broken.
public struct RemediationPlan: Sendable, Hashable {
    public var migrations: [PlannedMigration]
    public var unrepaired: [UnrepairedViolation]
    /// Hard violations before and after the plan.
    public var hardBefore: Int
    public var hardAfter: Int
}
