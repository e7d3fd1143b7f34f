import VigilCore

/// A deliberately simple evaluator written straight from DESIGN §2: strings, dictionaries and loops, no
/// indexes, no caches. It is the oracle the fast engine (PolicyWorld, Auditor, Placer) is tested against.
public struct ReferenceEvaluator {
    let input: PolicyInput
    let t: Timestamp
    var placement: [String: String]

    public init(_ input: PolicyInput) {
        self.input = input
        self.t = input.at
        self.placement = input.placement
    }

    func placed(on host: String) -> [String] { placement.filter { $0.value == host }.map(\.key).sorted() }

    func selects(_ s: Selector?, _ vm: VM, own: VM) -> Bool {
        guard let s else { return true }
        if let m = s.id, !m.matches(vm.id, own: own.id) { return false }
        if let m = s.tenant, !m.matches(vm.tenant, own: own.tenant) { return false }
        if let m = s.environment, !m.matches(vm.environment, own: own.environment) { return false }
        for (k, m) in s.labels where !m.matches(vm.labels[k], own: own.labels[k]) { return false }
        let tl = input.cmdb.tenants[vm.tenant]?.labels ?? [:]
        let ol = input.cmdb.tenants[own.tenant]?.labels ?? [:]
        for (k, m) in s.tenantLabels where !m.matches(tl[k], own: ol[k]) { return false }
        return true
    }

    func maxCvss(_ h: Host) -> Double {
        input.vulnerabilities.vulnerabilities.filter {
            $0.affects(product: h.hypervisor.product, version: h.hypervisor.version)
        }
        .map(\.cvss).max() ?? 0
    }

    func knownExploited(_ h: Host) -> Bool {
        input.vulnerabilities.vulnerabilities.contains {
            $0.knownExploited && $0.affects(product: h.hypervisor.product, version: h.hypervisor.version)
        }
    }

    func incidents(of vm: String, within: Int64) -> Int {
        input.incidents.filter { $0.time > t - within && $0.time <= t && $0.incident.subject == .vm(vm) }.count
    }

    /// Distinct VMs whose co-residency with `vm` began in (t − within, t] through a placement event.
    func newNeighbours(of vm: String, within: Int64) -> Set<String> {
        var out: Set<String> = []
        for a in input.intervals where a.vm == vm && a.start <= t {
            for b in input.intervals where b.host == a.host && b.vm != vm && b.start <= t {
                let begin = max(a.start, b.start)
                guard min(a.end ?? .max, b.end ?? .max) > begin, begin > t - within, begin <= t else { continue }
                let byEvent =
                    a.start == b.start ? !(a.baseline && b.baseline) : !(a.start > b.start ? a.baseline : b.baseline)
                if byEvent { out.insert(b.vm) }
            }
        }
        return out
    }

    /// Whether one rule holds for `vm` on `host` with neighbours `n`; `arrivals` are VMs that begin sharing
    /// the host now (for maxNew).
    func holds(_ rule: RuleID, _ p: Policy, _ vm: VM, _ host: Host, _ n: [VM], arrivals: [String]) -> Bool {
        let site = input.cmdb.sites[host.site]
        let r = p.rules
        switch rule {
        case .siteMinTier: return (site?.tier ?? 0) >= r.site!.minTier!
        case .siteJurisdictions: return r.site!.jurisdictions!.contains(site?.jurisdiction ?? "")
        case .networksZones:
            return host.networks.allSatisfy { r.networks!.zones!.contains(input.cmdb.networks[$0]?.zone ?? "") }
        case .hypervisorProducts: return r.hypervisor!.products!.contains(host.hypervisor.product)
        case .hypervisorVirtualization: return r.hypervisor!.virtualization!.contains(host.hypervisor.virtualization)
        case .hypervisorMinVersion:
            guard let min = r.hypervisor!.minVersion![host.hypervisor.product] else { return true }
            return !(host.hypervisor.version < min)
        case .hypervisorMaxCvss: return maxCvss(host) <= r.hypervisor!.maxCvss!
        case .hypervisorNoKnownExploited: return !knownExploited(host)
        case .neighboursMax: return n.count <= r.neighbours!.max!
        case .neighboursForbid: return !n.contains { u in r.neighbours!.forbid!.contains { selects($0, u, own: vm) } }
        case .neighboursMinSecurityLevel: return n.allSatisfy { $0.securityLevel >= r.neighbours!.minSecurityLevel! }
        case .neighboursMaxIncidents:
            let l = r.neighbours!.maxIncidents!
            return n.allSatisfy { incidents(of: $0.id, within: l.within) <= l.count }
        case .neighboursMaxNew:
            let l = r.neighbours!.maxNew!
            return newNeighbours(of: vm.id, within: l.within).union(arrivals).count <= l.count
        default: return true
        }
    }

    static func rules(of p: Policy) -> [RuleID] {
        var out: [RuleID] = []
        let r = p.rules
        if r.site?.minTier != nil { out.append(.siteMinTier) }
        if r.site?.jurisdictions != nil { out.append(.siteJurisdictions) }
        if r.networks?.zones != nil { out.append(.networksZones) }
        if r.hypervisor?.products != nil { out.append(.hypervisorProducts) }
        if r.hypervisor?.virtualization != nil { out.append(.hypervisorVirtualization) }
        if r.hypervisor?.minVersion != nil { out.append(.hypervisorMinVersion) }
        if r.hypervisor?.maxCvss != nil { out.append(.hypervisorMaxCvss) }
        if r.hypervisor?.noKnownExploited == true { out.append(.hypervisorNoKnownExploited) }
        if r.neighbours?.max != nil { out.append(.neighboursMax) }
        if r.neighbours?.forbid != nil { out.append(.neighboursForbid) }
        if r.neighbours?.minSecurityLevel != nil { out.append(.neighboursMinSecurityLevel) }
        if r.neighbours?.maxIncidents != nil { out.append(.neighboursMaxIncidents) }
        if r.neighbours?.maxNew != nil { out.append(.neighboursMaxNew) }
        return out
    }

    /// The audit as "vm|host|policy|rule|enforcement|related" keys, sorted.
    public func auditKeys() -> [String] {
        var out: [String] = []
        let cmdb = input.cmdb
        for (hid, host) in cmdb.hosts {
            let vms = placed(on: hid).compactMap { cmdb.vms[$0] }
            let cpu = vms.map(\.resources.vcpus).reduce(0, +)
            let mem = vms.map(\.resources.memoryMiB).reduce(0, +)
            if cpu > host.capacity.vcpus || mem > host.capacity.memoryMiB {
                out.append("-|\(hid)|base|base.capacity|hard|\(vms.map(\.id).sorted().joined(separator: ","))")
            }
            for vm in vms {
                let n = vms.filter { $0.id != vm.id }
                if !vm.nics.allSatisfy({ host.networks.contains($0.network) }) {
                    out.append("\(vm.id)|\(hid)|base|base.networks|hard|")
                }
                if host.state == .compromised { out.append("\(vm.id)|\(hid)|base|base.hostState|hard|") }
                if (vm.state == .quarantined) != (host.role == .quarantine) {
                    out.append("\(vm.id)|\(hid)|base|base.role|hard|")
                }
                for p in input.policies.policies where selects(p.selector, vm, own: vm) {
                    for rule in Self.rules(of: p) where !holds(rule, p, vm, host, n, arrivals: []) {
                        out.append(
                            "\(vm.id)|\(hid)|\(p.name)|\(rule.rawValue)|\(p.enforcement.rawValue)|\(related(rule, p, vm, n))"
                        )
                    }
                }
            }
        }
        return out.sorted()
    }

    func related(_ rule: RuleID, _ p: Policy, _ vm: VM, _ n: [VM]) -> String {
        let ids: [String]
        switch rule {
        case .neighboursMax: ids = n.map(\.id)
        case .neighboursForbid:
            ids = n.filter { u in p.rules.neighbours!.forbid!.contains { selects($0, u, own: vm) } }.map(\.id)
        case .neighboursMinSecurityLevel:
            ids = n.filter { $0.securityLevel < p.rules.neighbours!.minSecurityLevel! }.map(\.id)
        case .neighboursMaxIncidents:
            let l = p.rules.neighbours!.maxIncidents!
            ids = n.filter { incidents(of: $0.id, within: l.within) > l.count }.map(\.id)
        case .neighboursMaxNew: ids = Array(newNeighbours(of: vm.id, within: p.rules.neighbours!.maxNew!.within))
        default: ids = []
        }
        return ids.sorted().joined(separator: ",")
    }

    /// The hosts where `vmID` may be placed now (its current host excluded).
    public func feasibleHosts(for vmID: String) -> Set<String> {
        let cmdb = input.cmdb
        guard let vm = cmdb.vms[vmID] else { return [] }
        var out: Set<String> = []
        for (hid, host) in cmdb.hosts where hid != placement[vmID] {
            guard host.state == .active, (vm.state == .quarantined) == (host.role == .quarantine) else { continue }
            let residents = placed(on: hid).filter { $0 != vmID }.compactMap { cmdb.vms[$0] }
            let cpu = residents.map(\.resources.vcpus).reduce(0, +) + vm.resources.vcpus
            let mem = residents.map(\.resources.memoryMiB).reduce(0, +) + vm.resources.memoryMiB
            guard cpu <= host.capacity.vcpus, mem <= host.capacity.memoryMiB else { continue }
            guard vm.nics.allSatisfy({ host.networks.contains($0.network) }) else { continue }
            let ownOK = input.policies.policies.filter { $0.enforcement == .hard && selects($0.selector, vm, own: vm) }
                .allSatisfy { p in
                    Self.rules(of: p).allSatisfy { holds($0, p, vm, host, residents, arrivals: residents.map(\.id)) }
                }
            guard ownOK else { continue }
            let othersOK = residents.allSatisfy { u in
                let n = residents.filter { $0.id != u.id }
                return input.policies.policies.filter { $0.enforcement == .hard && selects($0.selector, u, own: u) }
                    .allSatisfy { p in
                        Self.rules(of: p).filter(\.isNeighbourRule).allSatisfy { rule in
                            introduces(rule, p, joining: vm, bound: u, neighbours: n, host: host) == false
                        }
                    }
            }
            if othersOK { out.insert(hid) }
        }
        return out
    }

    /// Whether `c` joining makes `u`'s rule fail because of `c` (DESIGN: "introduces no new violation").
    func introduces(_ rule: RuleID, _ p: Policy, joining c: VM, bound u: VM, neighbours n: [VM], host: Host) -> Bool {
        let r = p.rules.neighbours!
        switch rule {
        case .neighboursMax: return n.count + 1 > r.max!
        case .neighboursForbid: return r.forbid!.contains { selects($0, c, own: u) }
        case .neighboursMinSecurityLevel: return c.securityLevel < r.minSecurityLevel!
        case .neighboursMaxIncidents: return incidents(of: c.id, within: r.maxIncidents!.within) > r.maxIncidents!.count
        case .neighboursMaxNew:
            return newNeighbours(of: u.id, within: r.maxNew!.within).union([c.id]).count > r.maxNew!.count
        default: return false
        }
    }
}
