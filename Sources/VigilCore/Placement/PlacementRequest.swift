/// One placement request prepared for `PlacementIndex`: the VM's static host filter, the values its residents'
/// rules look at, and its own neighbour rules as checks against `HostSummaries`.
struct PlacementRequest {
    /// One of the VM's own neighbour rules.
    struct Check {
        var kind: NeighbourRuleSets.Kind
        var hard: Bool
        var limit: Int32
        /// Incident or new-neighbour window index; for `forbid`, the range of `forbidEntries` to test.
        var window: Int = 0
        var entries: Range<Int> = 0..<0
        /// For `maxNew`: the VM's new neighbours before arriving.
        var base: Int32 = 0
    }

    let v: Int32
    let now: Timestamp
    private(set) var candidates: HostBits
    let level: Int32
    /// The VM's incident count per `maxIncidents` window.
    let incidentCounts: [Int32]
    /// Forbid entries whose plain part matches the VM, as a list and as `HostSummaries` mask bits.
    private(set) var plainEntries: [Int] = []
    private(set) var plainMask: UInt64 = 0
    /// The VM's `self` projection for each forbid entry, at `projectionStart[e]`.
    private(set) var projection: [Int32] = []
    private(set) var projectionStart: [Int] = []
    /// Own neighbour rules, hard ones first, and the forbid entries they name.
    private(set) var checks: [Check] = []
    private(set) var forbidEntries: [Int] = []
    /// Indexes of the VM's soft policies (their failing host rules count toward rank) and of the `maxNew`
    /// windows its rules use.
    private(set) var softPolicies: [Int] = []
    private(set) var newWindows: [Int] = []

    init(_ v: Int32, index x: PlacementIndex, world w: PolicyWorld) {
        self.v = v
        now = w.now
        let vm = w.vms[Int(v)]
        let s = x.summaries
        candidates = x.roleBits[vm.state == .quarantined ? 1 : 0]
        for n in vm.networks { candidates.formIntersection(x.networkBits[n] ?? x.noHosts) }
        if w.hostOf[Int(v)] >= 0 { candidates.remove(w.hostOf[Int(v)]) }
        level = Int32(clamping: vm.securityLevel)
        incidentCounts = s.incidentWindows.map { Int32(w.incidentCount(v, after: w.now - $0, upTo: w.now)) }
        for (e, entry) in s.entries.enumerated() {
            projectionStart.append(projection.count)
            entry.project(v, in: w, into: &projection)
            if entry.plain.matches(v, own: v, in: w) {
                plainEntries.append(e)
                plainMask |= 1 << UInt64(min(e, 63))
            }
        }
        for p in w.binding[Int(v)] {
            if w.policies[Int(p)].enforcement == .hard {
                candidates.formIntersection(x.passBits[Int(p)])
            } else {
                softPolicies.append(Int(p))
            }
        }
        var soft: [Check] = []
        for ref in s.ruleSets.rules(of: v) {
            let p = Int(ref.key.policy)
            let hard = w.policies[p].enforcement == .hard
            var c = Check(kind: ref.kind, hard: hard, limit: Int32(clamping: ref.limit))
            switch ref.kind {
            case .maxIncidents: c.window = s.window(ref.within)
            case .forbid:
                c.entries = forbidEntries.count..<(forbidEntries.count + s.policyEntries[p].count)
                forbidEntries += s.policyEntries[p]
            case .maxNew:
                guard let window = x.newWindows.firstIndex(of: ref.within) else {
                    preconditionFailure("newWindows holds the window of every maxNew rule")
                }
                c.window = window
                c.base = Int32(w.newNeighbourCount(v, within: ref.within))
                if !newWindows.contains(c.window) { newWindows.append(c.window) }
            case .maxNeighbours, .minSecurityLevel: break
            }
            if hard { checks.append(c) } else { soft.append(c) }
        }
        checks += soft
    }

    /// Adds `by` to `counts[host]` for each of the VM's new neighbours (begun in the window) placed on a host.
    func markNewNeighbours(within: Int64, in w: PolicyWorld, counts: inout [Int32], by: Int32) {
        for (u, begin) in w.coResidencies[Int(v)] where begin > now - within && begin <= now {
            let h = w.hostOf[Int(u)]
            if h >= 0 { counts[Int(h)] += by }
        }
    }

    /// Whether the hard neighbour rules of host `h`'s residents let the VM join.
    @inline(__always)
    func residentsAccept(_ h: Int32, _ s: HostSummaries, _ w: PolicyWorld) -> Bool {
        let i = Int(h)
        if s.count[i] > s.residentLimit[i] || level < s.requiredLevel[i] { return false }
        for k in incidentCounts.indices where incidentCounts[k] > s.incidentLimit[k][i] { return false }
        let owners = s.ownerMask[i] & plainMask
        if owners != 0 {
            for e in plainEntries where owners & (1 << UInt64(min(e, 63))) != 0 {
                if matchesAny(s.owners[e][i], entry: e, s, vmIsCandidate: true) { return false }
            }
        }
        for t in s.tight[i] {
            if t.over { return false }
            guard let b = w.coResidencies[Int(t.vm)][v], b > now - t.within, b <= now else { return false }
        }
        return true
    }

    /// The VM's own neighbour rules on host `h`: nil when a hard one fails, else how many soft ones fail.
    @inline(__always)
    func ownRulesHold(_ h: Int32, _ s: HostSummaries, newOn: [[Int32]]) -> Int? {
        let i = Int(h)
        var soft = 0
        for c in checks {
            let holds: Bool
            switch c.kind {
            case .maxNeighbours: holds = s.count[i] <= c.limit
            case .minSecurityLevel: holds = s.minLevel[i] >= c.limit
            case .maxIncidents: holds = s.maxIncidents[c.window][i] <= c.limit
            case .maxNew: holds = c.base + s.count[i] - newOn[c.window][i] <= c.limit
            case .forbid:
                holds = !forbidEntries[c.entries].contains { e in
                    s.suspectMask[i] & (1 << UInt64(min(e, 63))) != 0
                        && matchesAny(s.suspects[e][i], entry: e, s, vmIsCandidate: false)
                }
            }
            if holds { continue }
            if c.hard { return nil }
            soft += 1
        }
        return soft
    }

    /// Whether any tuple of `tuples` and the VM's projection match entry `e`'s `self` fields. The VM is the
    /// candidate neighbour of the tuples' owners (`vmIsCandidate`), or the bound VM of the tuples' residents.
    private func matchesAny(_ tuples: [Int32], entry e: Int, _ s: HostSummaries, vmIsCandidate: Bool) -> Bool {
        let entry = s.entries[e]
        let stride = entry.stride
        let at = projectionStart[e]
        return tuples.withUnsafeBufferPointer { t in
            projection.withUnsafeBufferPointer { mine in
                var k = 0
                while k < t.count {
                    let hit =
                        vmIsCandidate ? entry.selfMatches(mine, at, own: t, k) : entry.selfMatches(t, k, own: mine, at)
                    if hit { return true }
                    k += stride
                }
                return false
            }
        }
    }
}
