extension CompiledRule {
    /// Checks this rule for VM `v` on host `h` with neighbours `n` (the other placed VMs there).
    func check(vm v: Int32, host h: Int32, neighbours n: [Int32], world w: PolicyWorld) -> RuleFinding? {
        switch kind {
        case .minTier(let x): return SiteTierRule.check(x, host: h, world: w)
        case .jurisdictions(let x, let names): return JurisdictionRule.check(x, names, host: h, world: w)
        case .zones(let x, let names): return ZoneRule.check(x, names, host: h, world: w)
        case .products(let x, let names): return ProductRule.check(x, names, host: h, world: w)
        case .virtualization(let x, let names): return VirtualizationRule.check(x, names, host: h, world: w)
        case .minVersion(let x): return MinVersionRule.check(x, host: h, world: w)
        case .maxCvss(let x): return MaxCvssRule.check(x, host: h, world: w)
        case .noKnownExploited: return NoKnownExploitedRule.check(host: h, world: w)
        case .maxNeighbours(let x): return MaxNeighboursRule.check(x, neighbours: n)
        case .forbid(let x): return ForbidRule.check(x, vm: v, neighbours: n, world: w)
        case .minSecurityLevel(let x): return MinSecurityLevelRule.check(x, neighbours: n, world: w)
        case .maxIncidents(let x): return MaxIncidentsRule.check(x, neighbours: n, world: w)
        case .maxNew(let x): return MaxNewRule.check(x, vm: v, world: w)
        }
    }

    /// For a VM `u` already on a host bound by this rule: whether `c` joining the host (which holds
    /// `count` neighbours of `u` before) makes this rule fail because of `c`.
    func joinBreaks(bound u: Int32, joining c: Int32, neighboursBefore count: Int, world w: PolicyWorld) -> Bool {
        switch kind {
        case .maxNeighbours(let x): return MaxNeighboursRule.joinBreaks(x, neighboursBefore: count)
        case .forbid(let x): return ForbidRule.joinBreaks(x, bound: u, joining: c, world: w)
        case .minSecurityLevel(let x): return MinSecurityLevelRule.joinBreaks(x, joining: c, world: w)
        case .maxIncidents(let x): return MaxIncidentsRule.joinBreaks(x, joining: c, world: w)
        case .maxNew(let x): return MaxNewRule.joinBreaks(x, bound: u, joining: c, world: w)
        default: return false
        }
    }

    /// Checks this rule for VM `v` arriving now on host `h` that holds `n`: like `check`, but new-neighbour
    /// counts include the co-residencies the arrival starts.
    func checkArrival(vm v: Int32, host h: Int32, neighbours n: [Int32], world w: PolicyWorld) -> Bool {
        switch kind {
        case .maxNew(let x): return !MaxNewRule.arrivalBreaks(x, vm: v, arrivals: n, world: w)
        // The same test as `joinBreaks`, neighbour by neighbour, without writing a finding.
        case .forbid, .minSecurityLevel, .maxIncidents:
            return !n.contains { joinBreaks(bound: v, joining: $0, neighboursBefore: 0, world: w) }
        default: return check(vm: v, host: h, neighbours: n, world: w) == nil
        }
    }
}

extension CompiledRule {
    /// Whether this neighbour rule holds for placed VM `v` whose host holds `residents` (`v` among them),
    /// without writing a finding: the incremental engine asks this far more often than anyone reads why.
    /// Host-level rules are not asked here and answer true.
    func holds(vm v: Int32, residents: [Int32], world w: PolicyWorld) -> Bool {
        switch kind {
        case .maxNeighbours(let x): return residents.count - 1 <= x
        case .forbid(let x):
            return !residents.contains { $0 != v && ForbidRule.joinBreaks(x, bound: v, joining: $0, world: w) }
        case .minSecurityLevel(let x):
            return !residents.contains { $0 != v && MinSecurityLevelRule.joinBreaks(x, joining: $0, world: w) }
        case .maxIncidents(let x):
            return !residents.contains { $0 != v && MaxIncidentsRule.joinBreaks(x, joining: $0, world: w) }
        case .maxNew(let x): return w.newNeighbourCount(v, within: x.within) <= x.count
        default: return true
        }
    }
}
