// Rules about the host a VM runs on (DESIGN §2). One small type per rule kind; each says why it fails.

/// `site.minTier`: the tier of the host's site is at least the minimum.
enum SiteTierRule {
    static func check(_ min: Int, host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        if w.hosts[Int(i)].tier >= min { return nil }
        let h = w.hosts[Int(i)]
        return h.tier >= min ? nil : RuleFinding("site \(h.site) has tier \(h.tier), below the required \(min)")
    }
}

/// `site.jurisdictions`: the site's jurisdiction is allowed.
enum JurisdictionRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld)
        -> RuleFinding?
    {
        if allowed.contains(w.hosts[Int(i)].jurisdiction) { return nil }
        let h = w.hosts[Int(i)]
        return allowed.contains(h.jurisdiction)
            ? nil
            : RuleFinding(
                "site \(h.site) is in jurisdiction \(w.interner.strings[Int(h.jurisdiction)]), not in [\(names.joined(separator: ", "))]"
            )
    }
}

/// `networks.zones`: every network attached to the host is in an allowed zone.
enum ZoneRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld)
        -> RuleFinding?
    {
        if w.hosts[Int(i)].zones.allSatisfy({ allowed.contains($0) }) { return nil }
        let h = w.hosts[Int(i)]
        let bad = h.zones.filter { !allowed.contains($0) }
        return bad.isEmpty
            ? nil
            : RuleFinding(
                "host \(h.id) is attached to zone(s) \(bad.map { w.interner.strings[Int($0)] }.joined(separator: ", ")), allowed [\(names.joined(separator: ", "))]"
            )
    }
}

/// `hypervisor.products`: the host runs an allowed product.
enum ProductRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld)
        -> RuleFinding?
    {
        if allowed.contains(w.hosts[Int(i)].product) { return nil }
        let h = w.hosts[Int(i)]
        return allowed.contains(h.product)
            ? nil
            : RuleFinding(
                "host \(h.id) runs \(w.interner.strings[Int(h.product)]), not one of [\(names.joined(separator: ", "))]"
            )
    }
}

/// `hypervisor.virtualization`: the host's virtualisation type is allowed.
enum VirtualizationRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld)
        -> RuleFinding?
    {
        if allowed.contains(w.hosts[Int(i)].virtualization) { return nil }
        let h = w.hosts[Int(i)]
        return allowed.contains(h.virtualization)
            ? nil
            : RuleFinding(
                "host \(h.id) uses \(w.interner.strings[Int(h.virtualization)]) virtualisation, not one of [\(names.joined(separator: ", "))]"
            )
    }
}

/// `hypervisor.minVersion`: the host's version is at least the entry for its product (no entry: holds).
enum MinVersionRule {
    static func check(_ minimum: [Int32: Version], host i: Int32, world w: PolicyWorld)
        -> RuleFinding?
    {
        guard let min = minimum[w.hosts[Int(i)].product], w.hosts[Int(i)].version < min else { return nil }
        let h = w.hosts[Int(i)]
        return RuleFinding(
            "host \(h.id) runs \(w.interner.strings[Int(h.product)]) \(h.version), older than the required \(min)")
    }
}

/// `hypervisor.maxCvss`: no vulnerability affecting the host scores above the limit.
enum MaxCvssRule {
    static func check(_ max: Double, host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        guard w.hosts[Int(i)].maxCvss > max else { return nil }
        let h = w.hosts[Int(i)]
        guard h.maxCvss > max else { return nil }
        return RuleFinding(
            "host \(h.id) is affected by \(h.worstVulnerability ?? "a vulnerability") (CVSS \(h.maxCvss)), above \(max)"
        )
    }
}
