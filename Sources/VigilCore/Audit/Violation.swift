/// One broken rule: per (vm, policy, rule), with the host, enforcement, a human detail and related VMs.
public struct Violation: Sendable, Hashable, Comparable {
    /// The VM, or nil for host-level findings (`base.capacity`).
    public var vm: String?
    public var host: String
    /// The policy name, or `base` for base constraints.
    public var policy: String
    public var rule: RuleID
    public var enforcement: Enforcement
    public var detail: String
    public var related: [String]

    public init(
        vm: String?, host: String, policy: String, rule: RuleID, enforcement: Enforcement, detail: String,
        related: [String]
    ) {
        self.vm = vm
        self.host = host
        self.policy = policy
        self.rule = rule
        self.enforcement = enforcement
        self.detail = detail
        self.related = related
    }

    /// Sorted by vm (host-level findings first), then policy, then rule.
    public static func < (l: Violation, r: Violation) -> Bool {
        (l.vm ?? "", l.host, l.policy, l.rule.order) < (r.vm ?? "", r.host, r.policy, r.rule.order)
    }

    /// The identity of a violation, without its wording.
    public var key: String { "\(vm ?? "-")|\(host)|\(policy)|\(rule.rawValue)" }
}

/// A violation in dense form, as the engines keep it.
struct DenseViolation: Sendable, Hashable {
    var vm: Int32
    var host: Int32
    /// Policy index, or -1 for base constraints.
    var policy: Int32
    var rule: RuleID
    var finding: RuleFinding
}
