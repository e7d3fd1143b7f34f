import VigilCore
import VigilTestSupport

/// Random small datacenters with random policies, for property tests against the reference evaluator.
enum RandomWorlds {
    static func pick<T>(_ xs: [T], _ rng: inout SplitMix64) -> T { xs[rng.below(xs.count)] }

    static func match(_ values: [String], _ rng: inout SplitMix64, allowSelf: Bool) -> FieldMatch {
        switch rng.below(allowSelf ? 5 : 3) {
        case 0: return .equals(pick(values, &rng))
        case 1: return .anyOf([pick(values, &rng), pick(values, &rng)])
        case 2: return .not(pick(values, &rng))
        case 3: return .sameAsSelf
        default: return .differentFromSelf
        }
    }

    static func selector(_ rng: inout SplitMix64, tenants: [String], allowSelf: Bool) -> Selector {
        var s = Selector()
        if rng.chance(0.4) { s.tenant = match(tenants, &rng, allowSelf: allowSelf) }
        if rng.chance(0.5) {
            s.environment = match(["production", "staging", "test", "development"], &rng, allowSelf: allowSelf)
        }
        if rng.chance(0.3) {
            s.labels["service"] = match(["svc-0", "svc-1", "svc-2", "svc-3", "svc-9"], &rng, allowSelf: allowSelf)
        }
        if rng.chance(0.2) { s.labels["missing"] = match(["x"], &rng, allowSelf: allowSelf) }
        if rng.chance(0.3) { s.tenantLabels["tier"] = match(["gold", "silver", "bronze"], &rng, allowSelf: allowSelf) }
        return s
    }

    static func policies(_ rng: inout SplitMix64, tenants: [String]) -> PolicySet {
        var out: [Policy] = []
        for i in 0..<(2 + rng.below(5)) {
            var r = PolicyRules()
            if rng.chance(0.4) {
                r.site = SiteRules(
                    minTier: rng.chance(0.5) ? 1 + rng.below(4) : nil,
                    jurisdictions: rng.chance(0.5) ? [pick(["DE", "AT", "NL", "FR"], &rng), "DE"] : nil)
            }
            if rng.chance(0.3) {
                r.networks = NetworkRules(
                    zones: ["dmz", "internal", "test", "mgmt", "quarantine"].filter { _ in rng.chance(0.7) })
            }
            if rng.chance(0.5) {
                let cvss = rng.chance(0.4) ? Double(5 + rng.below(5)) : nil
                // Without a CVSS limit (checked first) a known-exploited host is rejected by this rule itself.
                let exploited = rng.chance(cvss == nil ? 0.6 : 0.2) ? true : nil
                r.hypervisor = HypervisorRules(
                    products: rng.chance(0.4) ? ["xen", "kvm", "esxi"].filter { _ in rng.chance(0.6) } : nil,
                    virtualization: rng.chance(0.3) ? ["hvm", "para", "full"].filter { _ in rng.chance(0.6) } : nil,
                    minVersion: rng.chance(0.5)
                        ? ["xen": Version(pick(["4.17", "4.17.3", "4.17.3a", "4.18"], &rng))!, "kvm": Version("8.2")!]
                        : nil,
                    maxCvss: cvss, noKnownExploited: exploited)
            }
            if rng.chance(0.8) {
                r.neighbours = NeighbourRules(
                    max: rng.chance(0.3) ? rng.below(12) : nil,
                    forbid: rng.chance(0.5)
                        ? (0..<(1 + rng.below(2))).map { _ in selector(&rng, tenants: tenants, allowSelf: true) } : nil,
                    minSecurityLevel: rng.chance(0.3) ? rng.below(4) : nil,
                    maxIncidents: rng.chance(0.4)
                        ? CountWithin(count: rng.below(2), within: Int64(1 + rng.below(10)) * 86400) : nil,
                    maxNew: rng.chance(0.4)
                        ? CountWithin(count: rng.below(8), within: Int64(1 + rng.below(6)) * 86400) : nil)
            }
            out.append(
                Policy(
                    name: "p\(i)", enforcement: rng.chance(0.7) ? .hard : .soft,
                    selector: rng.chance(0.8) ? selector(&rng, tenants: tenants, allowSelf: false) : nil, rules: r))
        }
        return PolicySet(policies: out)
    }

    /// A random datacenter with history, incidents and policies, at a random time inside its history.
    /// `size` overrides the random host and VM counts.
    static func input(seed: UInt64, size: (hosts: Int, vms: Int)? = nil) -> PolicyInput {
        var rng = SplitMix64(seed: seed &* 7919)
        let config = GeneratorConfig(
            sites: 2, hosts: size?.hosts ?? 4 + rng.below(5), vms: size?.vms ?? 8 + rng.below(30),
            tenants: 3 + rng.below(3), days: 10, events: 20 + rng.below(80), seed: seed)
        let dc = DatacenterGenerator.generate(config)
        var cmdb = Cmdb()
        for s in dc.inventory.sites { cmdb.sites[s.id] = s }
        for n in dc.inventory.networks { cmdb.networks[n.id] = n }
        for t in dc.inventory.tenants { cmdb.tenants[t.id] = t }
        for var h in dc.inventory.hosts {
            if rng.chance(0.1) { h.state = pick([.maintenance, .compromised], &rng) }
            if rng.chance(0.15) { h.capacity = Resources(vcpus: 6, memoryMiB: 16384) }
            cmdb.hosts[h.id] = h
        }
        var tracker = PlacementTracker(tracks: [:], hosts: Set(cmdb.hosts.keys))
        let t0 = dc.inventory.observedAt!
        for vm in dc.inventory.vms {
            tracker.introduce(vm: vm.id, host: vm.host, state: vm.state, at: t0, baseline: true)
        }
        var incidents: [(time: Timestamp, incident: Incident)] = []
        for e in dc.events {
            if case .incident(let i) = e.body { incidents.append((e.time, i)) }
            try! tracker.apply(e)
        }
        var intervals = tracker.closed
        for vm in dc.inventory.vms {
            if let t = tracker.track(of: vm.id), let h = t.host, t.state != .stopped, let s = t.openStart {
                intervals.append(PlacementInterval(vm: vm.id, host: h, start: s, end: nil, baseline: t.openBaseline))
            }
        }
        // extra incidents on random VMs, some exactly on window edges
        let end = dc.events.last?.time ?? t0 + 3600
        let at = rng.chance(0.5) ? end : t0 + Int64(rng.below(Int(max(1, end - t0))))
        for k in 0..<rng.below(6) {
            let vm = pick(dc.inventory.vms, &rng).id
            let time = rng.chance(0.3) ? at - Int64(1 + rng.below(10)) * 86400 : at - Int64(rng.below(8 * 86400))
            incidents.append(
                (time, Incident(id: "x-\(k)", subject: .vm(vm), severity: .high, source: "test", signature: "")))
        }
        var placement: [String: String] = [:]
        for i in intervals where i.start <= at && (i.end ?? .max) > at { placement[i.vm] = i.host }
        for var vm in dc.inventory.vms {
            vm.host = placement[vm.id]
            if rng.chance(0.08) { vm.state = .quarantined }
            if rng.chance(0.05), let nic = vm.nics.first {
                vm.nics[0].network = nic.network.split(separator: "-").dropLast().joined(separator: "-") + "-quar"
            }
            cmdb.vms[vm.id] = vm
        }
        return PolicyInput(
            cmdb: cmdb, placement: placement, intervals: intervals, incidents: incidents,
            policies: policies(&rng, tenants: dc.inventory.tenants.map(\.id)),
            vulnerabilities: VulnerabilityCatalog.standard,
            at: at)
    }
}

extension Violation {
    /// The identity used to compare with the reference evaluator.
    var referenceKey: String {
        "\(vm ?? "-")|\(host)|\(policy)|\(rule.rawValue)|\(enforcement.rawValue)|\(related.joined(separator: ","))"
    }
}
