/// The state the policy engine evaluates, at one time: hosts, VMs and placement as dense arrays with interned
/// strings, compiled policies, per-host vulnerability scores, incident times and recent co-residencies.
/// Built once per snapshot (`PolicyWorld.build`); `move` and `addIncident` keep it current for plans and the
/// incremental engine.
public struct PolicyWorld: Sendable {
    struct HostInfo: Sendable {
        var id: String
        var site: String
        var tier: Int
        var jurisdiction: Int32
        var zones: [Int32]
        /// Attached networks, ascending (a host has a handful: a linear scan beats hashing).
        var networks: [Int32]
        var product: Int32
        var version: Version
        var virtualization: Int32
        var maxCvss: Double
        var worstVulnerability: String?
        /// The first (by id) vulnerability affecting the host that is known to be exploited.
        var knownExploited: String?
        var capacity: Resources
        var role: HostRole
        var state: HostState
    }

    struct VMInfo: Sendable {
        var id: String
        var name: Int32
        var tenant: Int32
        var environment: Int32
        var securityLevel: Int
        var resources: Resources
        var networks: [Int32]
        var labels: [Int32: Int32]
        var tenantLabels: [Int32: Int32]
        var state: VMState
    }

    var interner = Interner()
    var hosts: [HostInfo] = []
    var vms: [VMInfo] = []
    var hostIndex: [String: Int32] = [:]
    var vmIndex: [String: Int32] = [:]
    /// Host of each VM (-1: not placed) and placed VMs of each host.
    public internal(set) var hostOf: [Int32] = []
    var vmsOn: [[Int32]] = []
    var used: [Resources] = []
    /// Hosts attached to each network (interned id), ascending: placement candidates for a VM are the hosts
    /// attached to all its networks (the others fail `base.networks`).
    var hostsByNetwork: [Int32: [Int32]] = [:]
    var policies: [CompiledPolicy] = []
    /// Indexes of the policies binding each VM, in document order.
    var binding: [[Int32]] = []
    /// Incident times of each VM, ascending.
    var incidents: [[Timestamp]] = []
    /// Co-residencies of each VM that began through a placement event: (other VM, begin), any order.
    /// For each VM, the latest time each other VM began sharing a host with it through a placement event.
    /// "Distinct VMs whose co-residency began in the window" are exactly those whose latest begin is in it.
    var coResidencies: [CoResidencyTable] = []
    /// The longest `maxNew` window of any policy (0 when none): older co-residencies never count.
    var longestMaxNewWindow: Int64 = 0
    /// Per VM, a time no later than when the oldest entry of its co-residency table leaves every window: a
    /// table is only pruned once that time has come.
    var coResidencyStaleAt: [Timestamp] = []
    /// The time the world describes.
    public internal(set) var now: Timestamp

    /// Number of hosts and VMs.
    public var hostCount: Int { hosts.count }
    public var vmCount: Int { vms.count }

    /// Host and VM ids by dense index.
    public func hostID(_ h: Int32) -> String { hosts[Int(h)].id }
    public func vmID(_ v: Int32) -> String { vms[Int(v)].id }

    /// The other VMs on host `h`.
    func neighbours(of v: Int32, on h: Int32) -> [Int32] { vmsOn[Int(h)].filter { $0 != v } }

    /// `xs` by VM id, so a finding names VMs in the same order whatever order they arrived on the host in. VM
    /// indexes follow id order (a world numbers sorted ids and never gains a VM in place), so this sorts numbers.
    func byID(_ xs: [Int32]) -> [Int32] { xs.sorted() }
    public func index(ofHost id: String) -> Int32? { hostIndex[id] }
    public func index(ofVM id: String) -> Int32? { vmIndex[id] }

    /// The placed VMs on host `h`.
    public func vms(on h: Int32) -> [Int32] { vmsOn[Int(h)] }

    /// Whether VM `v` is quarantined.
    public func isQuarantined(_ v: Int32) -> Bool { vms[Int(v)].state == .quarantined }

    init(now: Timestamp) { self.now = now }
}

/// Everything the policy engine reads, as loaded from the store.
public struct PolicyInput: Sendable {
    public var cmdb: Cmdb
    /// Host of each placed VM at `at` (from the history, or the current state).
    public var placement: [String: String]
    /// Placement intervals (for `neighbours.maxNew`); only those that may matter are needed.
    public var intervals: [PlacementInterval]
    public var incidents: [(time: Timestamp, incident: Incident)]
    public var policies: PolicySet
    public var vulnerabilities: VulnerabilityFeed
    public var at: Timestamp

    public init(
        cmdb: Cmdb, placement: [String: String], intervals: [PlacementInterval],
        incidents: [(time: Timestamp, incident: Incident)], policies: PolicySet, vulnerabilities: VulnerabilityFeed,
        at: Timestamp
    ) {
        self.cmdb = cmdb
        self.placement = placement
        self.intervals = intervals
        self.incidents = incidents
        self.policies = policies
        self.vulnerabilities = vulnerabilities
        self.at = at
    }
}

extension PolicyWorld {
    /// Builds the world for `input.at`.
    public static func build(_ input: PolicyInput) -> PolicyWorld {
        var w = PolicyWorld(now: input.at)
        let cmdb = input.cmdb
        let hostIDs = cmdb.hosts.keys.sorted()
        let vmIDs = cmdb.vms.keys.sorted()
        var byProduct: [String: [Vulnerability]] = [:]
        for v in input.vulnerabilities.vulnerabilities { byProduct[v.product, default: []].append(v) }
        for id in hostIDs {
            guard let h = cmdb.hosts[id] else { preconditionFailure("hostIDs are the keys of cmdb.hosts") }
            let site = cmdb.sites[h.site]
            let zones = Set(h.networks.compactMap { cmdb.networks[$0]?.zone }).sorted().map { w.interner.intern($0) }
            let affecting = (byProduct[h.hypervisor.product] ?? []).filter {
                $0.affects(product: h.hypervisor.product, version: h.hypervisor.version)
            }
            let worst = affecting.max { ($0.cvss, $1.id) < ($1.cvss, $0.id) }
            w.hostIndex[id] = Int32(w.hosts.count)
            w.hosts.append(
                HostInfo(
                    id: id, site: h.site, tier: site?.tier ?? 0,
                    jurisdiction: w.interner.intern(site?.jurisdiction ?? ""),
                    zones: zones, networks: Set(h.networks.map { w.interner.intern($0) }).sorted(),
                    product: w.interner.intern(h.hypervisor.product), version: h.hypervisor.version,
                    virtualization: w.interner.intern(h.hypervisor.virtualization), maxCvss: worst?.cvss ?? 0,
                    worstVulnerability: worst?.id,
                    knownExploited: affecting.filter(\.knownExploited).map(\.id).min(), capacity: h.capacity,
                    role: h.role, state: h.state))
        }
        var tenantLabels: [String: [Int32: Int32]] = [:]
        for (id, t) in cmdb.tenants {
            var l: [Int32: Int32] = [:]
            for (k, v) in t.labels { l[w.interner.intern(k)] = w.interner.intern(v) }
            tenantLabels[id] = l
        }
        for id in vmIDs {
            guard let v = cmdb.vms[id] else { preconditionFailure("vmIDs are the keys of cmdb.vms") }
            var labels: [Int32: Int32] = [:]
            for (k, x) in v.labels { labels[w.interner.intern(k)] = w.interner.intern(x) }
            w.vmIndex[id] = Int32(w.vms.count)
            w.vms.append(
                VMInfo(
                    id: id, name: w.interner.intern(id), tenant: w.interner.intern(v.tenant),
                    environment: w.interner.intern(v.environment), securityLevel: v.securityLevel,
                    resources: v.resources,
                    networks: v.nics.map { w.interner.intern($0.network) }, labels: labels,
                    tenantLabels: tenantLabels[v.tenant] ?? [:], state: v.state))
        }
        for (i, h) in w.hosts.enumerated() { for n in h.networks { w.hostsByNetwork[n, default: []].append(Int32(i)) } }
        w.hostOf = [Int32](repeating: -1, count: w.vms.count)
        w.vmsOn = [[Int32]](repeating: [], count: w.hosts.count)
        w.used = [Resources](repeating: Resources(vcpus: 0, memoryMiB: 0), count: w.hosts.count)
        for (vmID, hostID) in input.placement {
            guard let v = w.vmIndex[vmID], let h = w.hostIndex[hostID] else { continue }
            w.hostOf[Int(v)] = h
        }
        for v in 0..<w.vms.count where w.hostOf[v] >= 0 {
            let h = Int(w.hostOf[v])
            w.vmsOn[h].append(Int32(v))
            w.used[h].vcpus += w.vms[v].resources.vcpus
            w.used[h].memoryMiB += w.vms[v].resources.memoryMiB
        }
        w.policies = input.policies.policies.map { CompiledPolicy($0, &w.interner) }
        // VMs bound by the same policies share one array: the few distinct lists stay in cache.
        var distinct: [[Int32]: [Int32]] = [:]
        // Selectors read the world being built: a constant copy, so the closure does not copy it per call.
        let built = w
        w.binding = (0..<built.vms.count).map { v in
            let list = built.policies.indices.filter { p in
                built.policies[p].selector?.matches(Int32(v), own: Int32(v), in: built) ?? true
            }.map { Int32($0) }
            if let shared = distinct[list] { return shared }
            distinct[list] = list
            return list
        }
        w.incidents = [[Timestamp]](repeating: [], count: w.vms.count)
        for (time, i) in input.incidents where time <= input.at {
            if case .vm(let id) = i.subject, let v = w.vmIndex[id] { w.incidents[Int(v)].append(time) }
        }
        for v in 0..<w.incidents.count where w.incidents[v].count > 1 { w.incidents[v].sort() }
        w.longestMaxNewWindow = w.maxNewWindows.last ?? 0
        w.coResidencies = CoResidency.begins(input.intervals, world: w, at: input.at, within: w.longestMaxNewWindow)
        w.coResidencyStaleAt = w.coResidencies.map {
            ($0.values.min() ?? .max - w.longestMaxNewWindow) + w.longestMaxNewWindow
        }
        return w
    }

    /// The distinct windows of the policies' `maxNew` rules, ascending.
    var maxNewWindows: [Int64] {
        Set(policies.flatMap(\.rules).compactMap { if case .maxNew(let c) = $0.kind { c.within } else { nil } })
            .sorted()
    }
    /// The distinct windows of the policies' `maxIncidents` rules, ascending.
    var maxIncidentsWindows: [Int64] {
        Set(policies.flatMap(\.rules).compactMap { if case .maxIncidents(let c) = $0.kind { c.within } else { nil } })
            .sorted()
    }

    /// Number of incidents of VM `v` in (from, to].
    func incidentCount(_ v: Int32, after from: Timestamp, upTo to: Timestamp) -> Int {
        let times = incidents[Int(v)]
        if times.isEmpty { return 0 }
        var lo = 0
        var hi = times.count
        while lo < hi {
            let m = (lo + hi) / 2
            if times[m] <= from { lo = m + 1 } else { hi = m }
        }
        var end = lo
        while end < times.count && times[end] <= to { end += 1 }
        return end - lo
    }

    /// How many distinct VMs are new neighbours of `v` in (now − within, now], counting `extra` (and
    /// `extraOne`) as arriving now. Allocation-free: this runs for every host of every placement request.
    func newNeighbourCount(_ v: Int32, within: Int64, extra: [Int32] = [], extraOne: Int32 = -1) -> Int {
        let lo = now - within
        var n = 0
        for (_, begin) in coResidencies[Int(v)] where begin > lo && begin <= now { n += 1 }
        func isNew(_ u: Int32) -> Bool {
            guard let b = coResidencies[Int(v)][u] else { return false }
            return b > lo && b <= now
        }
        for u in extra where !isNew(u) { n += 1 }
        if extraOne >= 0 && !isNew(extraOne) && !extra.contains(extraOne) { n += 1 }
        return n
    }

    /// The distinct VMs of `begins` (one VM's co-residency map) that began in (now − within, now], ascending.
    static func newNeighbours(_ begins: CoResidencyTable, now: Timestamp, within: Int64) -> [Int32] {
        begins.filter { $0.value > now - within && $0.value <= now }.map(\.key).sorted()
    }

    /// The hosts VM `v` could be placed on as far as networks go (all hosts when it has no NIC), ascending.
    func networkCandidates(_ v: Int32) -> [Int32] {
        let nets = vms[Int(v)].networks
        guard let first = nets.first else { return (0..<Int32(hostCount)).map { $0 } }
        var out = hostsByNetwork[first] ?? []
        for n in nets.dropFirst() {
            let other = Set(hostsByNetwork[n] ?? [])
            out = out.filter { other.contains($0) }
        }
        return out
    }

    /// The best feasible host for `v` now (fewest soft violations, lowest load, then host order), or nil.
    func bestFeasibleHost(_ v: Int32, cache: HostVerdictCache) -> Int32? {
        var best: (h: Int32, soft: Int, score: Double)?
        let current = hostOf[Int(v)]
        for h in networkCandidates(v) where h != current {
            if case .feasible(let score, let soft) = Placer.evaluate(v, on: h, in: self, cache: cache) {
                if best.map({ (soft.count, score) < ($0.soft, $0.score) }) ?? true { best = (h, soft.count, score) }
            }
        }
        return best?.h
    }

    /// A good feasible host for `v`, fast, for incident response: candidates in ascending load order, the first
    /// one without soft violations wins; otherwise the best of the first `limit` feasible ones. nil if none.
    func quickFeasibleHost(_ v: Int32, cache: HostVerdictCache, limit: Int = 16) -> Int32? {
        let current = hostOf[Int(v)]
        let none = Resources(vcpus: 0, memoryMiB: 0)
        let candidates = networkCandidates(v).filter { $0 != current }.map { ($0, load(host: $0, adding: none)) }.sorted
        {
            ($0.1, $0.0) < ($1.1, $1.0)
        }
        var best: (h: Int32, soft: Int, score: Double)?
        var found = 0
        for (h, _) in candidates {
            guard case .feasible(let score, let soft) = Placer.evaluate(v, on: h, in: self, cache: cache) else {
                continue
            }
            if soft.isEmpty { return h }
            if best.map({ (soft.count, score) < ($0.soft, $0.score) }) ?? true { best = (h, soft.count, score) }
            found += 1
            if found >= limit { break }
        }
        return best?.h
    }

    /// The load of host `h` with `extra` added: the larger of its vCPU and memory shares (1 for no capacity).
    func load(host h: Int32, adding extra: Resources) -> Double {
        let u = used[Int(h)]
        let c = hosts[Int(h)].capacity
        return max(
            c.vcpus > 0 ? Double(u.vcpus + extra.vcpus) / Double(c.vcpus) : 1,
            c.memoryMiB > 0 ? Double(u.memoryMiB + extra.memoryMiB) / Double(c.memoryMiB) : 1)
    }

    /// The placement score of host `h` with `extra` added: its load to 4 decimals (lower ranks first).
    func score(host h: Int32, adding extra: Resources) -> Double {
        (load(host: h, adding: extra) * 10000).rounded() / 10000
    }

    /// Moves VM `v` to host `to` (-1: unplace), recording new co-residencies as begun at `time` (default and at
    /// most the world's time: an event that arrives late begins its co-residencies when it happened, as a world
    /// built from the history would have them).
    public mutating func move(_ v: Int32, to: Int32, at time: Timestamp? = nil) {
        relocate(v, to: to, record: true, at: min(time ?? now, now))
    }

    /// What `undo` needs to take a move back exactly (co-residencies it recorded included).
    struct MoveUndo {
        var vm: Int32
        var from: Int32
        /// Co-residents at the target and the begins the move replaced (nil: none before).
        var touched: [(vm: Int32, before: Timestamp?)]
    }

    /// Moves `v` like `move`, returning how to take it back.
    mutating func moveUndoably(_ v: Int32, to: Int32) -> MoveUndo {
        let residents = to >= 0 ? vmsOn[Int(to)] : []
        let undo = MoveUndo(vm: v, from: hostOf[Int(v)], touched: residents.map { ($0, coResidencies[Int(v)][$0]) })
        relocate(v, to: to, record: true)
        return undo
    }

    /// Takes back a move made by `moveUndoably` (the last one not yet undone).
    mutating func undo(_ u: MoveUndo) {
        for (x, before) in u.touched {
            coResidencies[Int(x)][u.vm] = before
            coResidencies[Int(u.vm)][x] = before
            if let b = before {
                coResidencyStaleAt[Int(x)] = min(coResidencyStaleAt[Int(x)], b + longestMaxNewWindow)
                coResidencyStaleAt[Int(u.vm)] = min(coResidencyStaleAt[Int(u.vm)], b + longestMaxNewWindow)
            }
        }
        relocate(u.vm, to: u.from, record: false)
    }

    mutating func relocate(_ v: Int32, to: Int32, record: Bool, at begin: Timestamp? = nil) {
        let from = hostOf[Int(v)]
        let r = vms[Int(v)].resources
        if from >= 0 {
            vmsOn[Int(from)].removeAll { $0 == v }
            used[Int(from)].vcpus -= r.vcpus
            used[Int(from)].memoryMiB -= r.memoryMiB
        }
        if to >= 0 {
            let t = begin ?? now
            // A begin already outside every window can never count: a late event records nothing.
            if record && t > now - longestMaxNewWindow {
                let residents = vmsOn[Int(to)]
                makeRoom(v, for: residents.count)
                let staleAt = t + longestMaxNewWindow
                if !residents.isEmpty { coResidencyStaleAt[Int(v)] = min(coResidencyStaleAt[Int(v)], staleAt) }
                // The latest begin of a pair counts (a late event does not replace a later one).
                coResidencies[Int(v)].noteLatest(residents, t)
                for u in residents {
                    // The residents' tables grow too: each is pruned the same way when it would grow.
                    makeRoom(u, for: 1)
                    coResidencyStaleAt[Int(u)] = min(coResidencyStaleAt[Int(u)], staleAt)
                    coResidencies[Int(u)].noteLatest(v, t)
                }
            }
            vmsOn[Int(to)].append(v)
            used[Int(to)].vcpus += r.vcpus
            used[Int(to)].memoryMiB += r.memoryMiB
        }
        hostOf[Int(v)] = to
    }

    /// Makes room for `extra` more co-residencies of `v` before its table would grow: when some entries may
    /// have left every `maxNew` window, prunes them first. Called for the VM that moves and for each VM it
    /// joins; otherwise the table grows as usual.
    mutating func makeRoom(_ v: Int32, for extra: Int) {
        let table = coResidencies[Int(v)]
        guard table.count + extra > table.capacity, now >= coResidencyStaleAt[Int(v)] else { return }
        prune(v, reserving: extra)
    }

    /// Drops the entries of `v`'s table that left every `maxNew` window (time only moves forward, so they can
    /// never count again) and fits the table to what is left plus `extra`.
    mutating func prune(_ v: Int32, reserving extra: Int) {
        let oldest = now - longestMaxNewWindow
        let kept = coResidencies[Int(v)].filtered(reserving: extra) { $0 > oldest }
        coResidencies[Int(v)] = kept
        coResidencyStaleAt[Int(v)] = (kept.values.min() ?? .max - longestMaxNewWindow) + longestMaxNewWindow
    }

    /// Co-residencies held, over every VM's table.
    public var coResidencyCount: Int { coResidencies.reduce(0) { $0 + $1.count } }

    /// Prunes every table holding an entry that left every `maxNew` window: a long-running engine then holds
    /// the co-residencies a world built now would, not every one since it started.
    public mutating func pruneCoResidencies() {
        for v in 0..<Int32(vmCount) where now >= coResidencyStaleAt[Int(v)] { prune(v, reserving: 0) }
    }

    /// Records an incident of VM `v` at `time`.
    public mutating func addIncident(_ v: Int32, at time: Timestamp) {
        let i = incidents[Int(v)].firstIndex { $0 > time } ?? incidents[Int(v)].count
        incidents[Int(v)].insert(time, at: i)
    }

    /// Sets VM `v`'s run state (e.g. quarantined) without moving it.
    public mutating func setState(_ v: Int32, _ state: VMState) { vms[Int(v)].state = state }

    /// Sets a host's state (e.g. compromised).
    public mutating func setHostState(_ h: Int32, _ state: HostState) { hosts[Int(h)].state = state }

    /// Advances the world's clock (windows of incident and new-neighbour rules move with it).
    public mutating func advance(to time: Timestamp) { now = max(now, time) }
}

/// Derives the co-residencies that began through placement events from placement intervals.
enum CoResidency {
    /// For each VM of `world`, the (other VM, begin) pairs with begin in (at − within, at].
    static func begins(_ intervals: [PlacementInterval], world w: PolicyWorld, at: Timestamp, within: Int64)
        -> [CoResidencyTable]
    {
        guard within > 0 else { return [CoResidencyTable](repeating: CoResidencyTable(), count: w.vms.count) }
        let from = at - within
        var byHost: [Int32: [(vm: Int32, start: Timestamp, end: Timestamp, baseline: Bool)]] = [:]
        for i in intervals where i.start <= at && (i.end ?? .max) > from {
            guard let v = w.vmIndex[i.vm], let h = w.hostIndex[i.host] else { continue }
            byHost[h, default: []].append((v, i.start, i.end ?? .max, i.baseline))
        }
        for h in byHost.keys { byHost[h]?.sort { $0.start < $1.start } }
        /// Calls `add` for every co-residency that began through an event in the window.
        func pairs(_ add: (Int32, Int32, Timestamp) -> Void) {
            for (_, sorted) in byHost {
                for (k, b) in sorted.enumerated() where b.start > from && !b.baseline {
                    // b began in the window through an event: every interval overlapping its start is new.
                    for a in sorted[..<k] where a.end > b.start && a.vm != b.vm { add(a.vm, b.vm, b.start) }
                    for a in sorted[(k + 1)...] where a.start == b.start && a.vm != b.vm && a.baseline {
                        add(a.vm, b.vm, b.start)
                    }
                }
            }
        }
        // Counted first, so each table is allocated once at its size: no transient copies left as heap holes.
        var counts = [Int](repeating: 0, count: w.vms.count)
        pairs { a, b, _ in
            counts[Int(a)] += 1
            counts[Int(b)] += 1
        }
        var packed = counts.map { n -> [UInt64] in
            var x: [UInt64] = []
            x.reserveCapacity(n)
            return x
        }
        pairs { a, b, t in
            packed[Int(a)].append(CoResidencyTable.pack(b, t))
            packed[Int(b)].append(CoResidencyTable.pack(a, t))
        }
        for v in packed.indices { CoResidencyTable.normalise(&packed[v]) }
        return packed.map { CoResidencyTable(packed: $0) }
    }
}
