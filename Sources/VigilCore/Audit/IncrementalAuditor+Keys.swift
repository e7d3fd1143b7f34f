/// Identifies one violation (VM, host, policy, rule) without its wording: cheap to collect and compare after
/// every event, so a live service reports only the violations that appeared or cleared.
public struct ViolationKey: Hashable, Sendable {
    /// VM index, or -1 for a host-level finding.
    var vm: Int32
    var host: Int32
    /// Policy index, or -1 for base constraints.
    var policy: Int32
    var rule: RuleID
}

extension IncrementalAuditor {
    /// The keys of every violation held now (no finding is written).
    public var violationKeys: Set<ViolationKey> {
        var out = Set<ViolationKey>()
        for case let c? in capacity { out.insert(ViolationKey(c)) }
        for v in 0..<world.vmCount {
            for d in hostPart[v] { out.insert(ViolationKey(d)) }
            let h = world.hostOf[v]
            for k in broken[v] {
                out.insert(ViolationKey(vm: Int32(v), host: h, policy: k.policy, rule: world.rule(k).id))
            }
        }
        return out
    }

    /// The violation a key names, written from the current state (nil when it is not held).
    public func violation(_ key: ViolationKey) -> Violation? {
        let dense: DenseViolation?
        if key.vm < 0 {
            dense = capacity.indices.contains(Int(key.host)) ? capacity[Int(key.host)] : nil
        } else {
            dense = (hostPart[Int(key.vm)] + neighbourViolations(key.vm)).first { ViolationKey($0) == key }
        }
        return dense.map { world.violation($0) }
    }
}

extension ViolationKey {
    init(_ d: DenseViolation) { self.init(vm: d.vm, host: d.host, policy: d.policy, rule: d.rule) }
}
