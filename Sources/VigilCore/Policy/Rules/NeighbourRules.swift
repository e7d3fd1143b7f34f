// Rules about the other placed VMs on the host (DESIGN §2). Each can say which neighbours break it, and
// whether one more VM joining the host would break it (for placement).

/// `neighbours.max`: at most `max` other placed VMs on the host.
enum MaxNeighboursRule {
    static func check(_ max: Int, neighbours n: [Int32]) -> RuleFinding? {
        n.count <= max ? nil : RuleFinding("\(n.count) neighbours, more than the allowed \(max)", related: n)
    }

    static func joinBreaks(_ max: Int, neighboursBefore count: Int) -> Bool { count + 1 > max }
}

/// `neighbours.forbid`: no neighbour matches a forbidden selector (with `self`/`!self` against the bound VM).
enum ForbidRule {
    static func check(_ entries: [CompiledSelector], vm v: Int32, neighbours n: [Int32], world w: PolicyWorld)
        -> RuleFinding?
    {
        var bad: [Int32] = []
        for u in n where entries.contains(where: { $0.matches(u, own: v, in: w) }) { bad.append(u) }
        guard !bad.isEmpty else { return nil }
        bad = w.byID(bad)
        let names = bad.map { u in
            (
                w.vms[Int(u)].id, w.interner.strings[Int(w.vms[Int(u)].tenant)],
                w.interner.strings[Int(w.vms[Int(u)].environment)]
            )
        }
        return RuleFinding(
            "forbidden neighbour(s): " + names.map { "\($0.0) (tenant \($0.1), \($0.2))" }.joined(separator: ", "),
            related: bad)
    }

    static func joinBreaks(_ entries: [CompiledSelector], bound u: Int32, joining c: Int32, world w: PolicyWorld)
        -> Bool
    {
        entries.contains { $0.matches(c, own: u, in: w) }
    }
}

/// `neighbours.minSecurityLevel`: every neighbour keeps at least this security level.
enum MinSecurityLevelRule {
    static func check(_ min: Int, neighbours n: [Int32], world w: PolicyWorld) -> RuleFinding? {
        var bad: [Int32] = []
        for u in n where w.vms[Int(u)].securityLevel < min { bad.append(u) }
        guard !bad.isEmpty else { return nil }
        bad = w.byID(bad)
        let names = bad.map { (w.vms[Int($0)].id, w.vms[Int($0)].securityLevel) }
        return RuleFinding(
            "neighbour(s) below security level \(min): "
                + names.map { "\($0.0) (level \($0.1))" }.joined(separator: ", "),
            related: bad)
    }

    static func joinBreaks(_ min: Int, joining c: Int32, world w: PolicyWorld) -> Bool {
        w.vms[Int(c)].securityLevel < min
    }
}

/// `neighbours.maxIncidents`: every neighbour was the subject of at most `count` incidents in (t − within, t].
enum MaxIncidentsRule {
    static func check(_ limit: CountWithin, neighbours n: [Int32], world w: PolicyWorld) -> RuleFinding? {
        var bad: [Int32] = []
        var counts: [Int] = []
        for u in n {
            let c = w.incidentCount(u, after: w.now - limit.within, upTo: w.now)
            if c > limit.count {
                bad.append(u)
                counts.append(c)
            }
        }
        guard !bad.isEmpty else { return nil }
        let names = zip(bad, counts).sorted { $0.0 < $1.0 }.map {
            (w.vms[Int($0)].id, $1)
        }
        return RuleFinding(
            "neighbour(s) with more than \(limit.count) incident(s) in \(DurationText.format(limit.within)): "
                + names.map { "\($0.0) (\($0.1))" }.joined(separator: ", "),
            related: bad)
    }

    static func joinBreaks(_ limit: CountWithin, joining c: Int32, world w: PolicyWorld) -> Bool {
        w.incidentCount(c, after: w.now - limit.within, upTo: w.now) > limit.count
    }
}

/// `neighbours.maxNew`: at most `count` distinct VMs began sharing the host with the VM in (t − within, t].
enum MaxNewRule {
    static func check(_ limit: CountWithin, vm v: Int32, world w: PolicyWorld) -> RuleFinding? {
        let count = w.newNeighbourCount(v, within: limit.within)
        guard count > limit.count else { return nil }
        return RuleFinding(
            "\(count) new neighbours in \(DurationText.format(limit.within)), more than the allowed \(limit.count)",
            lazyRelated: { [begins = w.coResidencies[Int(v)], now = w.now] in
                PolicyWorld.newNeighbours(begins, now: now, within: limit.within)
            })
    }

    /// Whether `c` arriving now gives `u` more new neighbours than allowed.
    static func joinBreaks(_ limit: CountWithin, bound u: Int32, joining c: Int32, world w: PolicyWorld) -> Bool {
        w.newNeighbourCount(u, within: limit.within, extraOne: c) > limit.count
    }

    /// Whether `v` arriving now on a host holding `arrivals` breaks its own limit.
    static func arrivalBreaks(_ limit: CountWithin, vm v: Int32, arrivals: [Int32], world w: PolicyWorld) -> Bool {
        w.newNeighbourCount(v, within: limit.within, extra: arrivals) > limit.count
    }
}
