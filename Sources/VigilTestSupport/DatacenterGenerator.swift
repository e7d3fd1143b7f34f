import VigilCore

/// A generated datacenter: documents and a time-ordered event history that import cleanly.
public struct GeneratedDatacenter: Sendable {
    public var inventory: Inventory
    public var policies: PolicySet
    public var vulnerabilities: VulnerabilityFeed
    public var events: [Event]
}

/// Generates datacenters that look like a real cloud: skewed tenant sizes, mixed environments, several
/// hypervisor products and versions, nightly maintenance bursts of migrations, churn and incidents.
/// Deterministic: the same config (and seed) gives the same datacenter.
public struct DatacenterGenerator {
    let config: GeneratorConfig
    var rng: SplitMix64

    static let jurisdictions = ["DE", "AT", "NL", "FR", "IE", "CH", "US"]
    static let hypervisors: [(String, String, String)] = [
        ("xen", "4.16.5", "para"), ("xen", "4.17.3", "para"), ("xen", "4.17.3a", "hvm"), ("xen", "4.18.1", "hvm"),
        ("kvm", "7.2.0", "hvm"), ("kvm", "8.2.1", "hvm"), ("kvm", "8.2.2", "hvm"), ("esxi", "7.0.3", "full"),
        ("esxi", "8.0.2", "full"), ("esxi", "8.0.3", "full"),
    ]
    /// Hypervisors that satisfy the generated production policies (versions, CVSS, products).
    static let compliant: [(String, String, String)] = [
        ("xen", "4.18.1", "hvm"), ("xen", "4.17.3a", "hvm"), ("kvm", "8.2.2", "hvm"),
    ]

    /// A site whose tier and jurisdiction suit the tenant's tier, searching from `from`.
    func homeSite(tier: String, from: Int, sites: [Site]) -> Int {
        let eu: Set<String> = ["DE", "AT", "NL", "FR", "CH"]
        for k in 0..<sites.count {
            let s = (from + k) % sites.count
            let site = sites[s]
            switch tier {
            case "gold": if site.tier >= 3 && eu.contains(site.jurisdiction) { return s }
            case "silver": if site.tier >= 2 && site.jurisdiction != "US" { return s }
            default: return s
            }
        }
        return from % sites.count
    }

    static let environments = [
        "production", "production", "production", "production", "staging", "staging", "test", "test", "development",
    ]
    static let templates = [
        "ubuntu-22.04", "ubuntu-24.04", "debian-12", "rhel-9", "windows-2022", "alpine-3.20", "rocky-9",
    ]

    public init(config: GeneratorConfig) {
        self.config = config
        self.rng = SplitMix64(seed: config.seed)
    }

    /// Generates the whole datacenter.
    public static func generate(_ config: GeneratorConfig) -> GeneratedDatacenter {
        var g = DatacenterGenerator(config: config)
        return g.run()
    }

    static func pad(_ n: Int, _ width: Int) -> String { String(n, zeroPaddedTo: width) }

    mutating func run() -> GeneratedDatacenter {
        var inv = Inventory(observedAt: config.start)
        for s in 0..<config.sites {
            let id = "site-\(Self.pad(s + 1, 2))"
            inv.sites.append(
                Site(
                    id: id, tier: [4, 3, 3, 2, 3, 1][s % 6],
                    jurisdiction: Self.jurisdictions[s % Self.jurisdictions.count]))
            for (suffix, zone) in [
                ("dmz", "dmz"), ("int", "internal"), ("test", "test"), ("mgmt", "mgmt"), ("quar", "quarantine"),
            ] {
                inv.networks.append(Network(id: "\(id)-\(suffix)", zone: zone))
            }
        }
        // Hosts: round-robin over sites; about 1 in 50 (at least one per site) holds quarantined VMs.
        // General hosts form two pools per site, as real clouds separate them: production (and staging) on
        // hosts kept compliant — but a few lag behind on patches — and test/development on the rest.
        var generalBySite = [[[Int]]](repeating: [[], []], count: config.sites)
        var capacity: [Resources] = []
        for h in 0..<config.hosts {
            let s = h % config.sites
            let site = inv.sites[s].id
            let quarantine = h / config.sites == 0 || (h % 50 == 49)
            let pool = (h / config.sites) % 10 < 7 ? 0 : 1
            let hv =
                pool == 0 && !rng.chance(0.05)
                ? Self.compliant[rng.below(Self.compliant.count)] : Self.hypervisors[rng.below(Self.hypervisors.count)]
            let cap =
                quarantine
                ? Resources(vcpus: 64, memoryMiB: 262_144)
                : [
                    Resources(vcpus: 64, memoryMiB: 262_144), Resources(vcpus: 96, memoryMiB: 393_216),
                    Resources(vcpus: 128, memoryMiB: 524_288),
                ][rng.below(3)]
            let networks =
                quarantine
                ? ["\(site)-quar", "\(site)-mgmt"] : ["\(site)-dmz", "\(site)-int", "\(site)-test", "\(site)-mgmt"]
            let host = Host(
                id: "h-\(Self.pad(h + 1, 5))", site: site, networks: networks,
                hypervisor: Hypervisor(product: hv.0, version: Version(hv.1)!, virtualization: hv.2), capacity: cap,
                role: quarantine ? .quarantine : .general, state: .active,
                managementIps: ["172.\(16 + h / 65536 % 16).\(h / 256 % 256).\(h % 256)"],
                labels: ["rack": "r\(Self.pad(h / 20 + 1, 3))"])
            inv.hosts.append(host)
            capacity.append(cap)
            if !quarantine { generalBySite[s][pool].append(h) }
        }
        // Tenants with Zipf-like sizes: tenant k gets weight 1/(k+1).
        var weights: [Double] = []
        for t in 0..<config.tenants {
            let tier = t % 7 == 0 ? "gold" : (t % 3 == 0 ? "silver" : "bronze")
            inv.tenants.append(Tenant(id: "tenant-\(Self.pad(t + 1, 4))", labels: ["tier": tier]))
            weights.append(1.0 / Double(t + 1))
        }
        var cumulative: [Double] = []
        var acc = 0.0
        for w in weights {
            acc += w
            cumulative.append(acc)
        }
        var used = [Resources](repeating: Resources(vcpus: 0, memoryMiB: 0), count: config.hosts)
        var vmHost = [Int](repeating: -1, count: config.vms)
        var vmSite = [Int](repeating: 0, count: config.vms)
        var vmPool = [Int](repeating: 0, count: config.vms)
        var vmRes: [Resources] = []
        inv.vms.reserveCapacity(config.vms)
        for v in 0..<config.vms {
            let x = Double(rng.next() >> 11) / Double(1 << 53) * acc
            var lo = 0
            var hi = cumulative.count - 1
            while lo < hi {
                let m = (lo + hi) / 2
                if cumulative[m] < x { lo = m + 1 } else { hi = m }
            }
            let tenant = lo
            let tier = inv.tenants[tenant].labels["tier"] ?? "bronze"
            let site = homeSite(
                tier: tier, from: tenant + (rng.chance(0.2) ? rng.below(config.sites) : 0), sites: inv.sites)
            let env = Self.environments[rng.below(Self.environments.count)]
            let pool = env == "production" || env == "staging" ? 0 : 1
            let res = [
                Resources(vcpus: 1, memoryMiB: 2048), Resources(vcpus: 2, memoryMiB: 4096),
                Resources(vcpus: 4, memoryMiB: 8192), Resources(vcpus: 8, memoryMiB: 32768),
            ][rng.below(4)]
            let tpl = Self.templates[rng.below(Self.templates.count)]
            let patch = "2026.\(Self.pad(7 + rng.below(4), 2))"
            let zone = env == "test" || env == "development" ? "test" : (rng.chance(0.3) ? "dmz" : "int")
            let siteID = inv.sites[site].id
            let nic = NIC(
                mac: "52:54:\(Self.hex(v >> 24)):\(Self.hex(v >> 16)):\(Self.hex(v >> 8)):\(Self.hex(v))",
                ip: "10.\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)", network: "\(siteID)-\(zone)")
            var host: Int? = nil
            let candidates =
                generalBySite[site][pool].isEmpty ? generalBySite[site][1 - pool] : generalBySite[site][pool]
            if !rng.chance(0.02) {
                for _ in 0..<8 {
                    let h = candidates[rng.below(candidates.count)]
                    if used[h].vcpus + res.vcpus <= capacity[h].vcpus
                        && used[h].memoryMiB + res.memoryMiB <= capacity[h].memoryMiB
                    {
                        host = h
                        break
                    }
                }
            }
            if let h = host {
                used[h].vcpus += res.vcpus
                used[h].memoryMiB += res.memoryMiB
                vmHost[v] = h
            }
            vmSite[v] = site
            vmPool[v] = generalBySite[site][pool].isEmpty ? 1 - pool : pool
            vmRes.append(res)
            inv.vms.append(
                VM(
                    id: "vm-\(Self.pad(v + 1, 6))", tenant: inv.tenants[tenant].id, environment: env,
                    securityLevel: env == "production" ? 2 + rng.below(3) : rng.below(4), resources: res,
                    template: Template(id: tpl, patchLevel: patch), nics: [nic],
                    labels: ["service": "svc-\(rng.below(40))"], host: host.map { inv.hosts[$0].id }, state: .running))
        }
        let events = makeEvents(
            inv: inv, generalBySite: generalBySite, capacity: capacity, used: &used, vmHost: &vmHost, vmSite: vmSite,
            vmPool: vmPool,
            vmRes: vmRes)
        return GeneratedDatacenter(
            inventory: inv, policies: PolicyCatalog.standard(tenants: inv.tenants),
            vulnerabilities: VulnerabilityCatalog.standard, events: events)
    }

    static func hex(_ v: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[(v >> 4) & 15], digits[v & 15]])
    }

    mutating func makeEvents(
        inv: Inventory, generalBySite: [[[Int]]], capacity: [Resources], used: inout [Resources], vmHost: inout [Int],
        vmSite: [Int], vmPool: [Int], vmRes: [Resources]
    ) -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(config.events)
        let span = Int64(config.days) * 86400
        let step = max(1, span / Int64(max(config.events, 1)))
        var time = config.start + 60
        var onHost = [[Int]](repeating: [], count: inv.hosts.count)
        for (v, h) in vmHost.enumerated() where h >= 0 { onHost[h].append(v) }
        var incident = 0
        func fits(_ h: Int, _ r: Resources) -> Bool {
            used[h].vcpus + r.vcpus <= capacity[h].vcpus && used[h].memoryMiB + r.memoryMiB <= capacity[h].memoryMiB
        }
        func moveTarget(_ v: Int, excluding: Int) -> Int? {
            let c = generalBySite[vmSite[v]][vmPool[v]]
            for _ in 0..<6 {
                let h = c[rng.below(c.count)]
                if h != excluding && fits(h, vmRes[v]) { return h }
            }
            return nil
        }
        func relocate(_ v: Int, from: Int?, to: Int?) {
            if let from {
                used[from].vcpus -= vmRes[v].vcpus
                used[from].memoryMiB -= vmRes[v].memoryMiB
                if let i = onHost[from].firstIndex(of: v) {
                    onHost[from].swapAt(i, onHost[from].count - 1); onHost[from].removeLast()
                }
            }
            if let to {
                used[to].vcpus += vmRes[v].vcpus
                used[to].memoryMiB += vmRes[v].memoryMiB
                onHost[to].append(v)
            }
            vmHost[v] = to ?? -1
        }
        while events.count < config.events {
            time += Int64(rng.below(Int(step) * 2 + 1))
            let roll = rng.below(1000)
            if roll < 4 {
                // Maintenance burst: drain one host at night, every VM to another host of the site.
                let s = rng.below(config.sites)
                let p = rng.below(2)
                guard !generalBySite[s][p].isEmpty else { continue }
                let h = generalBySite[s][p][rng.below(generalBySite[s][p].count)]
                for v in onHost[h] where events.count < config.events {
                    guard let to = moveTarget(v, excluding: h) else { continue }
                    time += Int64(1 + rng.below(30))
                    events.append(
                        Event(
                            time: time, body: .migrated(vm: inv.vms[v].id, from: inv.hosts[h].id, to: inv.hosts[to].id))
                    )
                    relocate(v, from: h, to: to)
                }
            } else if roll < 14 {
                let h = rng.below(inv.hosts.count)
                let subject: IncidentSubject
                if roll < 6, inv.hosts[h].role == .general {
                    subject = .host(inv.hosts[h].id)
                } else {
                    subject = .vm(inv.vms[rng.below(inv.vms.count)].id)
                }
                incident += 1
                let sev: Severity = [.low, .medium, .medium, .high][rng.below(4)]
                events.append(
                    Event(
                        time: time,
                        body: .incident(
                            Incident(
                                id: "inc-\(Self.pad(incident, 6))", subject: subject, severity: sev, source: "suricata",
                                signature: "ET SCAN Suspicious inbound traffic \(rng.below(100))"))))
            } else if roll < 40 {
                let v = rng.below(inv.vms.count)
                if vmHost[v] >= 0 {
                    events.append(Event(time: time, body: .removed(vm: inv.vms[v].id)))
                    relocate(v, from: vmHost[v], to: nil)
                } else if let to = moveTarget(v, excluding: -1) {
                    events.append(Event(time: time, body: .placed(vm: inv.vms[v].id, host: inv.hosts[to].id)))
                    relocate(v, from: nil, to: to)
                }
            } else {
                let v = rng.below(inv.vms.count)
                let from = vmHost[v]
                guard from >= 0, let to = moveTarget(v, excluding: from) else { continue }
                events.append(
                    Event(
                        time: time, body: .migrated(vm: inv.vms[v].id, from: inv.hosts[from].id, to: inv.hosts[to].id)))
                relocate(v, from: from, to: to)
            }
        }
        return events
    }
}
