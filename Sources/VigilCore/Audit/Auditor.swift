/// Full audit of a world (DESIGN §2): every (vm, policy, rule) that does not hold, and the base constraints.
public enum Auditor {
    /// Every violation, sorted.
    public static func audit(_ w: PolicyWorld) -> [Violation] {
        audit(w, part: 0, of: 1, cache: HostVerdictCache(w)).sorted()
    }

    /// Counts violations without building their text (for benchmarks): (hard, soft).
    public static func count(_ w: PolicyWorld) -> (hard: Int, soft: Int) {
        count(w, part: 0, of: 1, cache: HostVerdictCache(w))
    }

    /// Counts the violations of one of `parts` interleaved slices of the VMs (capacity findings in part 0), so a
    /// caller can audit the slices on several cores and add the counts.
    public static func count(_ w: PolicyWorld, part: Int, of parts: Int, cache: HostVerdictCache) -> (
        hard: Int, soft: Int
    ) {
        let dense = slice(w, part: part, of: parts, cache: cache)
        let soft = dense.filter { $0.policy >= 0 && w.policies[Int($0.policy)].enforcement == .soft }.count
        return (dense.count - soft, soft)
    }

    /// The violations of one of `parts` interleaved slices of the VMs, unsorted (see `count(_:part:of:cache:)`).
    public static func audit(_ w: PolicyWorld, part: Int, of parts: Int, cache: HostVerdictCache) -> [Violation] {
        slice(w, part: part, of: parts, cache: cache).map { w.violation($0) }
    }

    static func slice(_ w: PolicyWorld, part: Int, of parts: Int, cache: HostVerdictCache) -> [DenseViolation] {
        var dense: [DenseViolation] = []
        if part == 0 { for h in 0..<Int32(w.hostCount) { capacity(h, w, into: &dense) } }
        for v in stride(from: Int32(part), to: Int32(w.vmCount), by: parts) {
            violations(of: v, w, into: &dense, cache: cache)
        }
        return dense
    }

    static func capacity(_ h: Int32, _ w: PolicyWorld, into out: inout [DenseViolation]) {
        if let f = CapacityRule.check(host: h, world: w) {
            out.append(DenseViolation(vm: -1, host: h, policy: -1, rule: .baseCapacity, finding: f))
        }
    }

    /// The violations of placed VM `v` where it is now (none when not placed). With `cache`, a policy's host
    /// rules are only checked one by one (to write their findings) on hosts where the cache says one of them
    /// fails. `neighbourRules: false` leaves out the rules about neighbours.
    static func violations(
        of v: Int32, _ w: PolicyWorld, into out: inout [DenseViolation], cache: HostVerdictCache? = nil,
        neighbourRules: Bool = true
    ) {
        let h = w.hostOf[Int(v)]
        guard h >= 0 else { return }
        if let f = NetworkAttachmentRule.check(vm: v, host: h, world: w) {
            out.append(DenseViolation(vm: v, host: h, policy: -1, rule: .baseNetworks, finding: f))
        }
        if let f = HostStateRule.check(host: h, world: w) {
            out.append(DenseViolation(vm: v, host: h, policy: -1, rule: .baseHostState, finding: f))
        }
        if let f = RoleRule.check(vm: v, host: h, world: w) {
            out.append(DenseViolation(vm: v, host: h, policy: -1, rule: .baseRole, finding: f))
        }
        let bound = w.binding[Int(v)]
        guard !bound.isEmpty else { return }
        // The neighbour list (without v) is only built for a VM that breaks a neighbour rule.
        let residents = w.vmsOn[Int(h)]
        var neighbours: [Int32]?
        w.policies.withUnsafeBufferPointer { policies in
            for p in bound {
                let hostRulesHold = cache.map { $0.firstFail[Int(p)][Int(h)] < 0 } ?? false
                if hostRulesHold && !(neighbourRules && policies[Int(p)].hasNeighbourRules) { continue }
                policies[Int(p)].rules.withUnsafeBufferPointer { rules in
                    for rule in rules {
                        if rule.id.isNeighbourRule {
                            if !neighbourRules || rule.holds(vm: v, residents: residents, world: w) { continue }
                            if neighbours == nil { neighbours = w.neighbours(of: v, on: h) }
                        } else if hostRulesHold {
                            continue
                        }
                        if let f = rule.check(vm: v, host: h, neighbours: neighbours ?? [], world: w) {
                            out.append(DenseViolation(vm: v, host: h, policy: p, rule: rule.id, finding: f))
                        }
                    }
                }
            }
        }
    }
}

extension PolicyWorld {
    func violation(_ d: DenseViolation) -> Violation {
        violation(ViolationKey(d), detail: d.finding.detail, related: d.finding.related)
    }

    /// The violation `k` names, with its wording.
    func violation(_ k: ViolationKey, detail: String, related: [Int32]) -> Violation {
        let p = k.policy >= 0 ? policies[Int(k.policy)] : nil
        return Violation(
            vm: k.vm >= 0 ? vmID(k.vm) : nil, host: hostID(k.host), policy: p?.name ?? "base", rule: k.rule,
            enforcement: p?.enforcement ?? .hard, detail: detail, related: related.map { vmID($0) }.sorted())
    }
}
