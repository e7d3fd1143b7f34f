/// One rule of a policy with its parameters compiled against the world's interned strings.
struct CompiledRule: Sendable {
    enum Kind: Sendable {
        case minTier(Int)
        case jurisdictions([Int32], [String])
        case zones([Int32], [String])
        case products([Int32], [String])
        case virtualization([Int32], [String])
        case minVersion([Int32: Version])
        case maxCvss(Double)
        case noKnownExploited
        case maxNeighbours(Int)
        case forbid([CompiledSelector])
        case minSecurityLevel(Int)
        case maxIncidents(CountWithin)
        case maxNew(CountWithin)
    }

    var id: RuleID
    var kind: Kind
}

/// A policy compiled for evaluation: selector, enforcement and rules in check order.
struct CompiledPolicy: Sendable {
    var name: String
    var enforcement: Enforcement
    var selector: CompiledSelector?
    var rules: [CompiledRule]
    /// Whether any rule is about neighbours.
    var hasNeighbourRules: Bool

    init(_ p: Policy, _ interner: inout Interner) {
        name = p.name
        enforcement = p.enforcement
        selector = p.selector.map { CompiledSelector($0, &interner) }
        var rules: [CompiledRule] = []
        func ids(_ xs: [String]) -> [Int32] { xs.map { interner.intern($0) } }
        if let s = p.rules.site {
            if let t = s.minTier { rules.append(CompiledRule(id: .siteMinTier, kind: .minTier(t))) }
            if let j = s.jurisdictions {
                rules.append(CompiledRule(id: .siteJurisdictions, kind: .jurisdictions(ids(j), j)))
            }
        }
        if let z = p.rules.networks?.zones { rules.append(CompiledRule(id: .networksZones, kind: .zones(ids(z), z))) }
        if let h = p.rules.hypervisor {
            if let x = h.products { rules.append(CompiledRule(id: .hypervisorProducts, kind: .products(ids(x), x))) }
            if let x = h.virtualization {
                rules.append(CompiledRule(id: .hypervisorVirtualization, kind: .virtualization(ids(x), x)))
            }
            if let x = h.minVersion {
                var m: [Int32: Version] = [:]
                for (k, v) in x { m[interner.intern(k)] = v }
                rules.append(CompiledRule(id: .hypervisorMinVersion, kind: .minVersion(m)))
            }
            if let x = h.maxCvss { rules.append(CompiledRule(id: .hypervisorMaxCvss, kind: .maxCvss(x))) }
            if h.noKnownExploited == true {
                rules.append(CompiledRule(id: .hypervisorNoKnownExploited, kind: .noKnownExploited))
            }
        }
        if let n = p.rules.neighbours {
            if let x = n.max { rules.append(CompiledRule(id: .neighboursMax, kind: .maxNeighbours(x))) }
            if let x = n.forbid {
                rules.append(
                    CompiledRule(id: .neighboursForbid, kind: .forbid(x.map { CompiledSelector($0, &interner) })))
            }
            if let x = n.minSecurityLevel {
                rules.append(CompiledRule(id: .neighboursMinSecurityLevel, kind: .minSecurityLevel(x)))
            }
            if let x = n.maxIncidents {
                rules.append(CompiledRule(id: .neighboursMaxIncidents, kind: .maxIncidents(x)))
            }
            if let x = n.maxNew { rules.append(CompiledRule(id: .neighboursMaxNew, kind: .maxNew(x))) }
        }
        self.rules = rules
        hasNeighbourRules = rules.contains { $0.id.isNeighbourRule }
    }
}
