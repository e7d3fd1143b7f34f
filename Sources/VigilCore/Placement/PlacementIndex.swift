/// Online placement at scale (issue 3, B1): decides where a VM goes by checking every host, in a few
/// comparisons per host. Static filters (host state and role, networks, the hard policies' host rules) are
/// intersected as bit sets; what remains is checked against per-host summaries of the residents
/// (`HostSummaries`) instead of the residents themselves. It gives exactly `Placer.evaluate`'s verdicts.
///
/// It describes one world: after `PolicyWorld.move` call `moved`, after `addIncident` call `incidentAdded`;
/// after anything else (time, host states, policies, inventory) build a new one.
public struct PlacementIndex: Sendable {
    var summaries: HostSummaries
    /// Hosts accepting new VMs for a VM that is not quarantined (0) and quarantined (1).
    let roleBits: [HostBits]
    let networkBits: [Int32: HostBits]
    let noHosts: HostBits
    /// Per policy: the hosts where all its host rules hold, and how many fail on each host.
    let passBits: [HostBits]
    let hostFails: [[UInt8]]
    /// Windows of the `maxNew` rules, and per window the scratch count of a requester's new neighbours per host.
    let newWindows: [Int64]
    var newOn: [[Int32]]

    /// Builds the index for `w`; `cache` must describe `w`'s hosts.
    public init(_ w: PolicyWorld, cache: HostVerdictCache) {
        summaries = HostSummaries(w)
        let n = w.hostCount
        noHosts = HostBits(count: n, full: false)
        var roles = [noHosts, noHosts]
        for h in 0..<Int32(n) where HostStateRule.acceptsNewVMs(host: h, world: w) {
            roles[w.hosts[Int(h)].role == .quarantine ? 1 : 0].insert(h)
        }
        roleBits = roles
        var nets: [Int32: HostBits] = [:]
        for (net, hosts) in w.hostsByNetwork {
            var b = noHosts
            for h in hosts { b.insert(h) }
            nets[net] = b
        }
        networkBits = nets
        var pass: [HostBits] = []
        var fails: [[UInt8]] = []
        for (p, policy) in w.policies.enumerated() {
            var b = HostBits(count: n, full: true)
            var f = [UInt8](repeating: 0, count: n)
            for h in 0..<Int32(n) where cache.firstFail[p][Int(h)] >= 0 {
                b.remove(h)
                f[Int(h)] = UInt8(
                    clamping: policy.rules.count {
                        !$0.id.isNeighbourRule && $0.check(vm: 0, host: h, neighbours: [], world: w) != nil
                    })
            }
            pass.append(b)
            fails.append(f)
        }
        passBits = pass
        hostFails = fails
        newWindows = w.maxNewWindows
        newOn = newWindows.map { _ in [Int32](repeating: 0, count: n) }
    }

    /// Keeps the index current after `w.move(v, to: to)` moved `v` from `from`.
    public mutating func moved(from: Int32, to: Int32, in w: PolicyWorld) {
        if from >= 0 { summaries.refresh(from, in: w) }
        if to >= 0 { summaries.refresh(to, in: w) }
    }

    /// Keeps the index current after `w.addIncident(v, …)`.
    public mutating func incidentAdded(_ v: Int32, in w: PolicyWorld) {
        if w.hostOf[Int(v)] >= 0 { summaries.refresh(w.hostOf[Int(v)], in: w) }
    }

    /// Where VM `v` should go now (its current host excluded), checking every host.
    public mutating func decide(_ v: Int32, in w: PolicyWorld) -> PlacementDecision {
        var best: (h: Int32, soft: Int, score: Double)?
        var feasible = 0
        scan(v, in: w) { h, soft, score in
            feasible += 1
            if let b = best, (soft, score) >= (b.soft, b.score) { return }
            best = (h, soft, score)
        }
        return PlacementDecision(
            vm: v, host: best?.h, feasibleHosts: feasible, softViolations: best?.soft ?? 0, score: best?.score ?? 0)
    }

    /// Calls `body(host, soft violations, score)` for each feasible host of `v`, ascending by host.
    mutating func scan(_ v: Int32, in w: PolicyWorld, _ body: (Int32, Int, Double) -> Void) {
        let request = PlacementRequest(v, index: self, world: w)
        var newOn = self.newOn
        self.newOn = []
        defer { self.newOn = newOn }
        for k in request.newWindows {
            request.markNewNeighbours(within: newWindows[k], in: w, counts: &newOn[k], by: 1)
        }
        defer {
            for k in request.newWindows {
                request.markNewNeighbours(within: newWindows[k], in: w, counts: &newOn[k], by: -1)
            }
        }
        let candidates = request.candidates
        let s = summaries
        let resources = w.vms[Int(v)].resources
        candidates.forEach { h in
            let i = Int(h)
            let used = w.used[i]
            let cap = w.hosts[i].capacity
            guard used.vcpus + resources.vcpus <= cap.vcpus, used.memoryMiB + resources.memoryMiB <= cap.memoryMiB,
                request.residentsAccept(h, s, w)
            else { return }
            guard let soft = request.ownRulesHold(h, s, newOn: newOn) else { return }
            var softCount = soft
            for p in request.softPolicies { softCount += Int(hostFails[p][i]) }
            body(h, softCount, w.score(host: h, adding: resources))
        }
    }
}
