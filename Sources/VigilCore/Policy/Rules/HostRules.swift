// Rules about the host a VM runs on (DESIGN §2). One small type per rule kind; each says why it fails.
// Details are written lazily from small captured values, never from the world itself.

/// `site.minTier`: the tier of the host's site is at least the minimum.
enum SiteTierRule {
    static func check(_ min: Int, host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        let tier = w.hosts[Int(i)].tier
        if tier >= min { return nil }
        let site = w.hosts[Int(i)].site
        return RuleFinding("site \(site) has tier \(tier), below the required \(min)")
    }
}

/// `site.jurisdictions`: the site's jurisdiction is allowed.
enum JurisdictionRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        if allowed.contains(w.hosts[Int(i)].jurisdiction) { return nil }
        let site = w.hosts[Int(i)].site
        let jurisdiction = w.interner.strings[Int(w.hosts[Int(i)].jurisdiction)]
        return RuleFinding(
            "site \(site) is in jurisdiction \(jurisdiction), not in [\(names.joined(separator: ", "))]")
    }
}

/// `networks.zones`: every network attached to the host is in an allowed zone.
enum ZoneRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        if w.hosts[Int(i)].zones.allSatisfy({ allowed.contains($0) }) { return nil }
        let host = w.hosts[Int(i)].id
        let bad = w.hosts[Int(i)].zones.filter { !allowed.contains($0) }.map { w.interner.strings[Int($0)] }
        return RuleFinding(
            "host \(host) is attached to zone(s) \(bad.joined(separator: ", ")), allowed [\(names.joined(separator: ", "))]"
        )
    }
}

/// `hypervisor.products`: the host runs an allowed product.
enum ProductRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        if allowed.contains(w.hosts[Int(i)].product) { return nil }
        let host = w.hosts[Int(i)].id
        let product = w.interner.strings[Int(w.hosts[Int(i)].product)]
        return RuleFinding("host \(host) runs \(product), not one of [\(names.joined(separator: ", "))]")
    }
}

/// `hypervisor.virtualization`: the host's virtualisation type is allowed.
enum VirtualizationRule {
    static func check(_ allowed: [Int32], _ names: [String], host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        if allowed.contains(w.hosts[Int(i)].virtualization) { return nil }
        let host = w.hosts[Int(i)].id
        let kind = w.interner.strings[Int(w.hosts[Int(i)].virtualization)]
        return RuleFinding("host \(host) uses \(kind) virtualisation, not one of [\(names.joined(separator: ", "))]")
    }
}

/// `hypervisor.minVersion`: the host's version is at least the entry for its product (no entry: holds).
enum MinVersionRule {
    static func check(_ minimum: [Int32: Version], host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        guard let min = minimum[w.hosts[Int(i)].product], w.hosts[Int(i)].version < min else { return nil }
        let host = w.hosts[Int(i)].id
        let product = w.interner.strings[Int(w.hosts[Int(i)].product)]
        let version = w.hosts[Int(i)].version
        return RuleFinding("host \(host) runs \(product) \(version), older than the required \(min)")
    }
}

/// `hypervisor.noKnownExploited`: no vulnerability affecting the host is known to be exploited.
enum NoKnownExploitedRule {
    static func check(host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        guard let id = w.hosts[Int(i)].knownExploited else { return nil }
        let host = w.hosts[Int(i)].id
        return RuleFinding("host \(host) is affected by \(id), which is known to be exploited (CISA KEV)")
    }
}

/// `hypervisor.maxCvss`: no vulnerability affecting the host scores above the limit.
enum MaxCvssRule {
    static func check(_ max: Double, host i: Int32, world w: PolicyWorld) -> RuleFinding? {
        guard w.hosts[Int(i)].maxCvss > max else { return nil }
        let host = w.hosts[Int(i)].id
        let cvss = w.hosts[Int(i)].maxCvss
        let worst = w.hosts[Int(i)].worstVulnerability ?? "a vulnerability"
        return RuleFinding("host \(host) is affected by \(worst) (CVSS \(cvss)), above \(max)")
    }
}
