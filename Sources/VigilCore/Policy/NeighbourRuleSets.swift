/// The neighbour rules binding each VM as plain values, shared by VMs bound by the same policies: the
/// incremental engine tests them for every resident of a host a VM joins, and placement for every host, so
/// they must stay in cache and cost no reference counting. Each rule's key is made here and nowhere else.
struct NeighbourRuleSets: Sendable {
    enum Kind: UInt8, Sendable { case maxNeighbours, forbid, minSecurityLevel, maxIncidents, maxNew }

    /// One neighbour rule: which (policy, rule) it is, and its limit and window where it has them.
    struct Ref: Sendable {
        var key: IncrementalAuditor.NeighbourKey
        var kind: Kind
        var limit: Int
        var within: Int64
    }

    /// The distinct rule lists, and the list of each VM.
    let sets: [[Ref]]
    let setOf: [Int32]

    /// The neighbour rules binding VM `v`, in policy then rule order.
    func rules(of v: Int32) -> [Ref] { sets[Int(setOf[Int(v)])] }

    init(_ w: PolicyWorld) {
        var sets: [[Ref]] = []
        var index: [[Int32]: Int32] = [:]
        setOf = w.binding.map { bound in
            if let i = index[bound] { return i }
            var refs: [Ref] = []
            for p in bound {
                for (r, rule) in w.policies[Int(p)].rules.enumerated() {
                    let key = IncrementalAuditor.NeighbourKey(
                        policy: p, rule: Int32(r), isMaxNew: rule.id == .neighboursMaxNew)
                    switch rule.kind {
                    case .maxNeighbours(let x): refs.append(Ref(key: key, kind: .maxNeighbours, limit: x, within: 0))
                    case .forbid: refs.append(Ref(key: key, kind: .forbid, limit: 0, within: 0))
                    case .minSecurityLevel(let x):
                        refs.append(Ref(key: key, kind: .minSecurityLevel, limit: x, within: 0))
                    case .maxIncidents(let c):
                        refs.append(Ref(key: key, kind: .maxIncidents, limit: c.count, within: c.within))
                    case .maxNew(let c): refs.append(Ref(key: key, kind: .maxNew, limit: c.count, within: c.within))
                    default: continue
                    }
                }
            }
            index[bound] = Int32(sets.count)
            sets.append(refs)
            return Int32(sets.count - 1)
        }
        self.sets = sets
    }
}

extension PolicyWorld {
    /// The compiled rule a neighbour rule key names.
    func rule(_ key: IncrementalAuditor.NeighbourKey) -> CompiledRule { policies[Int(key.policy)].rules[Int(key.rule)] }
}
