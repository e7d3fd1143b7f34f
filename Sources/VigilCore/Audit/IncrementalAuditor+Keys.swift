/// Identifies one violation (VM, host, policy, rule) without its wording: cheap to collect and compare after
/// every event, so a live service reports only the violations that appeared or cleared.
public struct ViolationKey: Hashable, Sendable {
    /// VM index, or -1 for a host-level finding.
    public internal(set) var vm: Int32
    public internal(set) var host: Int32
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

    /// The keys of VM `v`'s violations (host-level and neighbour rules).
    public func violationKeys(ofVM v: Int32) -> [ViolationKey] {
        let h = world.hostOf[Int(v)]
        return hostPart[Int(v)].map { ViolationKey($0) }
            + broken[Int(v)].map { ViolationKey(vm: v, host: h, policy: $0.policy, rule: world.rule($0).id) }
    }

    /// The key of host `h`'s capacity violation, if it has one.
    public func violationKey(ofHost h: Int32) -> ViolationKey? { capacity[Int(h)].map { ViolationKey($0) } }

    /// The VMs and hosts whose violations may have changed since the last call (with `notesTouched` set),
    /// each once.
    public mutating func takeTouched() -> (vms: Set<Int32>, hosts: Set<Int32>) {
        defer {
            touchedVMs.removeAll(keepingCapacity: true)
            touchedHosts.removeAll(keepingCapacity: true)
        }
        return (Set(touchedVMs), Set(touchedHosts))
    }

    /// The violation a key names, written from the current state (nil when it is not held).
    public func violation(_ key: ViolationKey) -> Violation? { dense(key).map { world.violation($0) } }

    /// What a key's violation says now, kept compactly (nil when it is not held).
    public func wording(_ key: ViolationKey) -> ViolationWording? {
        dense(key).map { ViolationWording(detail: $0.finding.detail, related: $0.finding.related) }
    }

    /// The violation a key names, with a wording taken earlier (the key's VMs and policy must still exist).
    public func violation(_ key: ViolationKey, worded w: ViolationWording) -> Violation {
        world.violation(key, detail: w.detail, related: w.related)
    }

    func dense(_ key: ViolationKey) -> DenseViolation? {
        if key.vm < 0 { return capacity.indices.contains(Int(key.host)) ? capacity[Int(key.host)] : nil }
        return (hostPart[Int(key.vm)] + neighbourViolations(key.vm)).first { ViolationKey($0) == key }
    }
}

/// A violation's wording as it was when taken: its detail and related VMs (dense indexes, 4 bytes each). A live
/// service keeps one per violation held, to report a violation that clears as it read.
public struct ViolationWording: Sendable {
    public let detail: String
    let related: [Int32]
    /// How many VMs the finding names.
    public var relatedCount: Int { related.count }
}

extension ViolationKey {
    init(_ d: DenseViolation) { self.init(vm: d.vm, host: d.host, policy: d.policy, rule: d.rule) }
}
