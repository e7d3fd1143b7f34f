/// A (policy, rule) pair, as listed in soft violations and fixes.
public struct PolicyRule: Sendable, Hashable, Comparable {
    public var policy: String
    public var rule: RuleID

    public init(policy: String, rule: RuleID) {
        self.policy = policy
        self.rule = rule
    }

    public static func < (l: PolicyRule, r: PolicyRule) -> Bool { (l.policy, l.rule.order) < (r.policy, r.rule.order) }
}

/// A feasible host for a placement with its rank inputs.
public struct PlacementOption: Sendable, Hashable {
    public var host: String
    /// The host's load after placement: the larger of its vCPU and memory shares (lower ranks first).
    public var score: Double
    public var softViolations: [PolicyRule]
}

/// Why a host cannot take the VM: the first policy and rule that rejects it.
public struct PlacementRejection: Sendable, Hashable {
    public var host: String
    public var policy: String
    public var rule: RuleID

    public init(host: String, policy: String, rule: RuleID) {
        self.host = host
        self.policy = policy
        self.rule = rule
    }
}

/// The answer to "where may this VM go?" (DESIGN §2 placement, §6 JSON).
public struct PlacementAnswer: Sendable, Hashable {
    public var vm: String
    /// Feasible hosts in rank order: fewer soft violations, then lower load, then host id.
    public var feasible: [PlacementOption]
    /// Infeasible hosts, sorted by host id, each with its first rejection.
    public var rejected: [PlacementRejection]

    /// Rejections counted per `policy/rule`, most frequent first.
    public var summary: [(key: String, count: Int)] {
        let counts = Dictionary(grouping: rejected, by: { "\($0.policy)/\($0.rule.rawValue)" }).mapValues(\.count)
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    public static func == (l: PlacementAnswer, r: PlacementAnswer) -> Bool {
        l.vm == r.vm && l.feasible == r.feasible && l.rejected == r.rejected
    }

    public func hash(into h: inout Hasher) { h.combine(vm) }
}
