// Base constraints that hold for every VM whatever the policies (DESIGN §2), reported with policy `base`.
// Details are written lazily; their closures capture only small values, never the world (a captured world
// would make every later move copy its arrays).

/// `base.capacity`: summed vCPUs and memory of the placed VMs fit the host.
enum CapacityRule {
    static func check(host h: Int32, world w: PolicyWorld) -> RuleFinding? {
        let u = w.used[Int(h)]
        let c = w.hosts[Int(h)].capacity
        guard u.vcpus > c.vcpus || u.memoryMiB > c.memoryMiB else { return nil }
        return RuleFinding(
            "placed VMs need \(u.vcpus)/\(c.vcpus) vCPUs and \(u.memoryMiB)/\(c.memoryMiB) MiB",
            related: w.vmsOn[Int(h)])
    }

    static func fits(_ v: Int32, host h: Int32, world w: PolicyWorld) -> Bool {
        let u = w.used[Int(h)]
        let c = w.hosts[Int(h)].capacity
        let r = w.vms[Int(v)].resources
        return u.vcpus + r.vcpus <= c.vcpus && u.memoryMiB + r.memoryMiB <= c.memoryMiB
    }
}

/// `base.networks`: every NIC's network is attached to the host.
enum NetworkAttachmentRule {
    static func check(vm v: Int32, host h: Int32, world w: PolicyWorld) -> RuleFinding? {
        if attached(vm: v, host: h, world: w) { return nil }
        let missing = w.vms[Int(v)].networks.filter { !w.hosts[Int(h)].networks.contains($0) }.map {
            w.interner.strings[Int($0)]
        }
        let host = w.hosts[Int(h)].id
        return RuleFinding("network(s) \(missing.joined(separator: ", ")) not attached to \(host)")
    }

    /// Whether every network of `v` is attached to `h` (without writing a finding).
    static func attached(vm v: Int32, host h: Int32, world w: PolicyWorld) -> Bool {
        w.vms[Int(v)].networks.allSatisfy { w.hosts[Int(h)].networks.contains($0) }
    }
}

/// `base.hostState`: no placed VM on a compromised host (placement: only active hosts).
enum HostStateRule {
    static func check(host h: Int32, world w: PolicyWorld) -> RuleFinding? {
        guard w.hosts[Int(h)].state == .compromised else { return nil }
        let host = w.hosts[Int(h)].id
        return RuleFinding("host \(host) is compromised")
    }

    static func acceptsNewVMs(host h: Int32, world w: PolicyWorld) -> Bool { w.hosts[Int(h)].state == .active }
}

/// `base.role`: quarantined VMs only on quarantine hosts, and quarantine hosts hold only quarantined VMs.
enum RoleRule {
    static func check(vm v: Int32, host h: Int32, world w: PolicyWorld) -> RuleFinding? {
        guard !allows(vm: v, host: h, world: w) else { return nil }
        let quarantined = w.vms[Int(v)].state == .quarantined
        let host = w.hosts[Int(h)].id
        return quarantined
            ? RuleFinding("a quarantined VM on general host \(host)")
            : RuleFinding("a VM that is not quarantined on quarantine host \(host)")
    }

    /// Whether `v` may be on `h` as far as roles go: quarantined VMs exactly on quarantine hosts.
    static func allows(vm v: Int32, host h: Int32, world w: PolicyWorld) -> Bool {
        (w.vms[Int(v)].state == .quarantined) == (w.hosts[Int(h)].role == .quarantine)
    }
}
