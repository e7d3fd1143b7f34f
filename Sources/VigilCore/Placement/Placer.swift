/// Placement of one VM (DESIGN §2): which active hosts are feasible, ranked, and why the others are not.
public enum Placer {
    /// Evaluates every host for VM `v` (its current host excluded). `cache` must describe `w`'s hosts.
    public static func place(_ v: Int32, in w: PolicyWorld, cache: HostVerdictCache) -> PlacementAnswer {
        var feasible: [PlacementOption] = []
        var rejected: [PlacementRejection] = []
        let current = w.hostOf[Int(v)]
        for h in 0..<Int32(w.hostCount) where h != current {
            switch evaluate(v, on: h, in: w, cache: cache) {
            case .rejected(let policy, let rule):
                rejected.append(PlacementRejection(host: w.hostID(h), policy: policy, rule: rule))
            case .feasible(let score, let soft):
                feasible.append(PlacementOption(host: w.hostID(h), score: score, softViolations: soft))
            }
        }
        feasible.sort { ($0.softViolations.count, $0.score, $0.host) < ($1.softViolations.count, $1.score, $1.host) }
        return PlacementAnswer(vm: w.vmID(v), feasible: feasible, rejected: rejected)
    }

    /// The verdict for one host.
    public enum Verdict: Sendable, Hashable {
        case feasible(score: Double, soft: [PolicyRule])
        case rejected(policy: String, rule: RuleID)

        public var isFeasible: Bool { if case .feasible = self { true } else { false } }
    }

    /// Whether VM `v` may go to host `h` now, and if not the first policy and rule that says no.
    public static func evaluate(_ v: Int32, on h: Int32, in w: PolicyWorld, cache: HostVerdictCache) -> Verdict {
        if !HostStateRule.acceptsNewVMs(host: h, world: w) { return .rejected(policy: "base", rule: .baseHostState) }
        if !RoleRule.allows(vm: v, host: h, world: w) { return .rejected(policy: "base", rule: .baseRole) }
        if !CapacityRule.fits(v, host: h, world: w) { return .rejected(policy: "base", rule: .baseCapacity) }
        if !NetworkAttachmentRule.attached(vm: v, host: h, world: w) {
            return .rejected(policy: "base", rule: .baseNetworks)
        }
        let residents = w.vmsOn[Int(h)]
        var soft: [PolicyRule] = []
        let rejection: (String, RuleID)? = w.policies.withUnsafeBufferPointer { policies in
            for p in w.binding[Int(v)] {
                let hard = policies[Int(p)].enforcement == .hard
                let first = cache.firstFail[Int(p)][Int(h)]
                if hard && first >= 0 { return (policies[Int(p)].name, policies[Int(p)].rules[Int(first)].id) }
                for rule in policies[Int(p)].rules {
                    if !rule.id.isNeighbourRule {
                        if !hard && first >= 0 && rule.check(vm: v, host: h, neighbours: [], world: w) != nil {
                            soft.append(PolicyRule(policy: policies[Int(p)].name, rule: rule.id))
                        }
                        continue
                    }
                    if !rule.checkArrival(vm: v, host: h, neighbours: residents, world: w) {
                        if hard { return (policies[Int(p)].name, rule.id) }
                        soft.append(PolicyRule(policy: policies[Int(p)].name, rule: rule.id))
                    }
                }
            }
            // v must not introduce a violation of a hard neighbour rule binding a VM already there.
            for u in residents {
                for p in w.binding[Int(u)] {
                    guard policies[Int(p)].enforcement == .hard, policies[Int(p)].hasNeighbourRules else { continue }
                    for rule in policies[Int(p)].rules where rule.id.isNeighbourRule {
                        if rule.joinBreaks(bound: u, joining: v, neighboursBefore: residents.count - 1, world: w) {
                            return (policies[Int(p)].name, rule.id)
                        }
                    }
                }
            }
            return nil
        }
        if let (policy, rule) = rejection { return .rejected(policy: policy, rule: rule) }
        return .feasible(score: w.score(host: h, adding: w.vms[Int(v)].resources), soft: soft.sorted())
    }
}
