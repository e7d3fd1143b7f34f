import HeapModule

/// Keeps the violation set of a world current as placement and incident events arrive, touching only what
/// an event affects. A move re-checks the moved VM in full; for the VMs it leaves, only the neighbour rules they
/// currently break (leaving can only mend them); for the VMs it joins, each neighbour rule they keep is tested
/// against the newcomer alone (joining can only break them). An incident tests the subject against its
/// neighbours' incident rules. Time passing re-checks only VMs that break an incident or new-neighbour rule,
/// when an incident or a co-residency leaves the window.
public struct IncrementalAuditor: Sendable {
    /// The world as of the last event.
    public private(set) var world: PolicyWorld
    /// Host-level findings of each VM (stable until it moves or its host changes state).
    var hostPart: [[DenseViolation]]
    /// The neighbour rules each VM breaks now; their findings are written when `violations` is read.
    var broken: [[NeighbourKey]]
    var capacity: [DenseViolation?]
    /// Windows of incident rules, in seconds (distinct).
    let incidentWindows: [Int64]
    /// Due times: an incident leaving a window, or a VM breaking `maxNew` whose oldest new neighbour expires.
    var agenda = Heap<AgendaItem>()
    /// Items on the agenda (incident windows and `maxNew` re-checks, stale ones included).
    public var agendaCount: Int { agenda.count }
    /// The agenda's size after its last compaction.
    var agendaCompacted = 0
    /// The `maxNew` agenda time each VM is waiting for (items with another time are stale).
    var newNeighbourDue: [Timestamp]
    /// Reused buffer of new-neighbour begins.
    var scratch: [Timestamp] = []
    /// Which policies' host rules fail on which hosts (host rules do not change while the engine runs).
    let hostVerdicts: HostVerdictCache
    /// Distinct `maxNew` windows, and per window and VM an upper bound of its new-neighbour count: exact when
    /// computed, raised by one per co-residency a move starts, never lowered by time (counts only fall with
    /// time). A rule whose bound is within its limit holds without counting.
    let newNeighbourWindows: [Int64]
    /// `newNeighbourBound[vm * windows + window]`: a VM's bounds share a cache line.
    var newNeighbourBound: [Int32]
    /// The neighbour rules binding each VM, as plain values.
    let ruleSets: NeighbourRuleSets
    /// When set, every VM and host whose violations may have changed is noted (see `takeTouched`).
    public var notesTouched = false
    /// World time from which `pruneIfDue` next prunes the co-residency tables.
    var nextPrune: Timestamp = .min
    var touchedVMs: [Int32] = []
    var touchedHosts: [Int32] = []

    /// One broken neighbour rule of a VM: policy index and rule index within it.
    struct NeighbourKey: Hashable, Sendable {
        var policy: Int32
        var rule: Int32
        /// Whether the rule is `maxNew` (time and arrivals change it, departures do not).
        var isMaxNew: Bool
    }

    struct AgendaItem: Comparable, Sendable {
        var at: Timestamp
        var vm: Int32
        var incident: Bool

        static func < (l: AgendaItem, r: AgendaItem) -> Bool { (l.at, l.vm) < (r.at, r.vm) }
    }

    /// Starts from a full audit of `world`.
    public init(_ world: PolicyWorld) {
        self.world = world
        hostPart = [[DenseViolation]](repeating: [], count: world.vmCount)
        capacity = [DenseViolation?](repeating: nil, count: world.hostCount)
        newNeighbourDue = [Timestamp](repeating: .min, count: world.vmCount)
        hostVerdicts = HostVerdictCache(world)
        ruleSets = NeighbourRuleSets(world)
        broken = [[NeighbourKey]](repeating: [], count: world.vmCount)
        let windows = world.maxNewWindows
        newNeighbourWindows = windows
        newNeighbourBound = (0..<Int32(world.vmCount)).flatMap { v in
            windows.map { Int32(world.newNeighbourCount(v, within: $0)) }
        }
        incidentWindows = world.maxIncidentsWindows
        for h in 0..<Int32(world.hostCount) { recheckCapacity(h) }
        for v in 0..<Int32(world.vmCount) { recheck(v) }
        for v in 0..<Int32(world.vmCount) {
            for t in world.incidents[Int(v)] { scheduleIncident(t, vm: v) }
        }
    }

    mutating func scheduleIncident(_ time: Timestamp, vm: Int32) {
        for w in incidentWindows where time + w > world.now {
            agenda.insert(AgendaItem(at: time + w, vm: vm, incident: true))
        }
    }

    /// If `v` breaks a `maxNew` rule, schedules a re-check for when enough of its new neighbours have left the
    /// window for the count to be within the limit again (exactly then, so each broken rule is re-checked once
    /// unless new neighbours arrive meanwhile).
    mutating func scheduleNewNeighbours(_ v: Int32) {
        var due = Timestamp.max
        let known = broken[Int(v)]
        guard known.contains(where: \.isMaxNew) else { return }
        for ref in ruleSets.rules(of: v) where ref.kind == .maxNew && known.contains(ref.key) {
            // The count is back within the limit when its (count − limit)-th oldest new neighbour leaves.
            let lo = world.now - ref.within
            scratch.removeAll(keepingCapacity: true)
            for (_, b) in world.coResidencies[Int(v)] where b > lo { scratch.append(b) }
            guard scratch.count > ref.limit else { continue }
            due = min(due, Self.select(&scratch, rank: scratch.count - ref.limit - 1) + ref.within)
        }
        guard due != .max, due != newNeighbourDue[Int(v)] else { return }
        newNeighbourDue[Int(v)] = due
        agenda.insert(AgendaItem(at: due, vm: v, incident: false))
        if agenda.count > 2 * agendaCompacted + 65_536 { compactAgenda() }
    }

    /// Drops the `maxNew` items a later one replaced (each VM waits for one time only): a VM whose new neighbours
    /// keep arriving would otherwise leave one stale item per arrival until its time came.
    mutating func compactAgenda() {
        agenda = Heap(agenda.unordered.filter { $0.incident || $0.at == newNeighbourDue[Int($0.vm)] })
        agendaCompacted = agenda.count
    }

    /// The element that would be at `rank` if `xs` were sorted (Hoare's selection; reorders `xs`).
    static func select(_ xs: inout [Timestamp], rank: Int) -> Timestamp {
        var lo = 0
        var hi = xs.count - 1
        while lo < hi {
            let pivot = xs[(lo + hi) / 2]
            var i = lo
            var j = hi
            while i <= j {
                while xs[i] < pivot { i += 1 }
                while xs[j] > pivot { j -= 1 }
                if i <= j {
                    xs.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { hi = j } else if rank >= i { lo = i } else { return xs[rank] }
        }
        return xs[rank]
    }

    mutating func recheckCapacity(_ h: Int32) {
        var out: [DenseViolation] = []
        Auditor.capacity(h, world, into: &out)
        capacity[Int(h)] = out.first
        if notesTouched { touchedHosts.append(h) }
    }

    /// Recomputes all of VM `v`'s violations where it is now.
    mutating func recheck(_ v: Int32) {
        var host: [DenseViolation] = []
        Auditor.violations(of: v, world, into: &host, cache: hostVerdicts, neighbourRules: false)
        hostPart[Int(v)] = host
        broken[Int(v)].removeAll(keepingCapacity: true)
        if notesTouched { touchedVMs.append(v) }
        let h = world.hostOf[Int(v)]
        if h >= 0 {
            let residents = world.vmsOn[Int(h)]
            for ref in ruleSets.rules(of: v) {
                let breaks =
                    ref.kind == .maxNew
                    ? breaksMaxNew(v, CountWithin(count: ref.limit, within: ref.within))
                    : !world.rule(ref.key).holds(vm: v, residents: residents, world: world)
                if breaks { broken[Int(v)].append(ref.key) }
            }
        }
        scheduleNewNeighbours(v)
    }

    /// Whether `v` has more than `limit.count` new neighbours now; counts only when the bound says it may.
    mutating func breaksMaxNew(_ v: Int32, _ limit: CountWithin) -> Bool {
        guard let k = newNeighbourWindows.firstIndex(of: limit.within) else {
            preconditionFailure("newNeighbourWindows holds the window of every maxNew rule")
        }
        let i = Int(v) * newNeighbourWindows.count + k
        if newNeighbourBound[i] <= limit.count { return false }
        let exact = world.newNeighbourCount(v, within: limit.within)
        newNeighbourBound[i] = Int32(exact)
        return exact > limit.count
    }

    /// Re-checks the broken neighbour rules of `u` (on its current host) that are `maxNew` rules or not (as
    /// `maxNew` says) and that `shouldCheck` selects; drops those that hold now from `broken`.
    mutating func recheckBroken(_ u: Int32, maxNew: Bool, where shouldCheck: (CompiledRule) -> Bool = { _ in true }) {
        // Most VMs here break nothing, or only rules of the other group: leave their list untouched.
        guard broken[Int(u)].contains(where: { $0.isMaxNew == maxNew }) else { return }
        if notesTouched { touchedVMs.append(u) }
        let h = world.hostOf[Int(u)]
        guard h >= 0 else {
            broken[Int(u)] = []
            return
        }
        let residents = world.vmsOn[Int(h)]
        let w = world
        broken[Int(u)].removeAll { key in
            guard key.isMaxNew == maxNew else { return false }
            let rule = w.rule(key)
            return shouldCheck(rule) && rule.holds(vm: u, residents: residents, world: w)
        }
    }

    /// Tests `u`'s unbroken neighbour rules against `c`, which just joined its host (co-residency recorded);
    /// `u` had `before` neighbours before.
    mutating func joined(_ u: Int32, by c: Int32, before: Int) {
        let known = broken[Int(u)]
        var added = false
        for ref in ruleSets.rules(of: u) where !known.contains(ref.key) {
            let breaks: Bool
            switch ref.kind {
            case .maxNeighbours: breaks = MaxNeighboursRule.joinBreaks(ref.limit, neighboursBefore: before)
            case .minSecurityLevel: breaks = MinSecurityLevelRule.joinBreaks(ref.limit, joining: c, world: world)
            case .maxIncidents:
                breaks = MaxIncidentsRule.joinBreaks(
                    CountWithin(count: ref.limit, within: ref.within), joining: c, world: world)
            case .maxNew: breaks = breaksMaxNew(u, CountWithin(count: ref.limit, within: ref.within))
            case .forbid:
                breaks = world.rule(ref.key).joinBreaks(bound: u, joining: c, neighboursBefore: before, world: world)
            }
            if breaks {
                broken[Int(u)].append(ref.key)
                added = true
            }
        }
        if added {
            if notesTouched { touchedVMs.append(u) }
            scheduleNewNeighbours(u)
        }
    }

    /// Moves VM `v` to host `to` (-1: unplaced) at `time`.
    public mutating func move(_ v: Int32, to: Int32, at time: Timestamp) {
        advance(to: time)
        let from = world.hostOf[Int(v)]
        guard from != to else { return }
        if to >= 0 {
            let residents = world.vmsOn[Int(to)]
            let n = newNeighbourWindows.count
            newNeighbourBound.withUnsafeMutableBufferPointer { bound in
                for k in 0..<n {
                    bound[Int(v) * n + k] += Int32(residents.count)
                    for u in residents { bound[Int(u) * n + k] += 1 }
                }
            }
        }
        world.move(v, to: to, at: time)
        recheck(v)
        if from >= 0 {
            recheckCapacity(from)
            for u in world.vmsOn[Int(from)] {
                // Leaving mends at most; new-neighbour counts do not drop when a neighbour leaves.
                recheckBroken(u, maxNew: false)
            }
        }
        if to >= 0 {
            recheckCapacity(to)
            let residents = world.vmsOn[Int(to)]
            for u in residents where u != v { joined(u, by: v, before: residents.count - 2) }
        }
    }

    /// Records an incident of VM `v` at `time`: its neighbours' incident rules may now fail.
    public mutating func incident(_ v: Int32, at time: Timestamp) {
        advance(to: time)
        world.addIncident(v, at: time)
        scheduleIncident(time, vm: v)
        let h = world.hostOf[Int(v)]
        guard h >= 0 else { return }
        for u in world.vmsOn[Int(h)] where u != v {
            for ref in ruleSets.rules(of: u) where ref.kind == .maxIncidents && !broken[Int(u)].contains(ref.key) {
                if MaxIncidentsRule.joinBreaks(
                    CountWithin(count: ref.limit, within: ref.within), joining: v, world: world)
                {
                    broken[Int(u)].append(ref.key)
                    if notesTouched { touchedVMs.append(u) }
                }
            }
        }
    }

    /// Prunes the co-residency tables (`PolicyWorld.pruneCoResidencies`) once world time has moved an eighth of
    /// the longest `maxNew` window since the last time: entries older than every window then stay a small part
    /// of a long-running engine's tables. Counts are unchanged; only memory is returned. True when it pruned.
    @discardableResult
    public mutating func pruneIfDue() -> Bool {
        let every = world.longestMaxNewWindow / 8
        guard every > 0, world.now >= nextPrune else { return false }
        let first = nextPrune == .min
        nextPrune = world.now + every
        // The first call only starts the clock: a world just built holds nothing older than its windows.
        guard !first else { return false }
        world.pruneCoResidencies()
        return true
    }

    /// Moves the clock to `time`, re-checking what the windows let go of. Time passing only lowers incident
    /// and new-neighbour counts, so only rules currently broken can change.
    public mutating func advance(to time: Timestamp) {
        guard time > world.now else { return }
        world.advance(to: time)
        var dueNew: Set<Int32> = []
        var dueIncidents: Set<Int32> = []
        while let next = agenda.min, next.at <= time {
            let item = agenda.removeMin()
            if item.incident {
                let h = world.hostOf[Int(item.vm)]
                guard h >= 0 else { continue }
                for u in world.vmsOn[Int(h)] where u != item.vm && !broken[Int(u)].isEmpty {
                    dueIncidents.insert(u)
                }
            } else if item.at == newNeighbourDue[Int(item.vm)] {
                newNeighbourDue[Int(item.vm)] = .min
                dueNew.insert(item.vm)
            }
        }
        for u in dueIncidents.sorted() {
            recheckBroken(u, maxNew: false) { if case .maxIncidents = $0.kind { true } else { false } }
        }
        for u in dueNew.sorted() {
            recheckBroken(u, maxNew: true)
            scheduleNewNeighbours(u)
        }
    }

    /// Sets VM `v`'s run state (e.g. quarantined): its base role constraint may change.
    public mutating func setState(_ v: Int32, _ state: VMState, at time: Timestamp) {
        advance(to: time)
        world.setState(v, state)
        recheck(v)
    }

    /// Sets host `h`'s state (e.g. compromised): every VM on it is re-checked.
    public mutating func setHostState(_ h: Int32, _ state: HostState, at time: Timestamp) {
        advance(to: time)
        world.setHostState(h, state)
        for v in world.vms(on: h) { recheck(v) }
    }

    /// The findings of VM `v`'s broken neighbour rules, written from the current state.
    func neighbourViolations(_ v: Int32) -> [DenseViolation] {
        let h = world.hostOf[Int(v)]
        guard h >= 0, !broken[Int(v)].isEmpty else { return [] }
        let neighbours = world.neighbours(of: v, on: h)
        return broken[Int(v)].map { key in
            let rule = world.rule(key)
            // A key whose rule holds would be an engine bug: report it rather than hide it.
            let finding =
                rule.check(vm: v, host: h, neighbours: neighbours, world: world)
                ?? RuleFinding("internal: incremental engine holds a rule that is not broken")
            return DenseViolation(vm: v, host: h, policy: key.policy, rule: rule.id, finding: finding)
        }
    }

    /// Every violation now, sorted (as `Auditor.audit` would report).
    public var violations: [Violation] {
        var out: [Violation] = capacity.compactMap { $0 }.map { world.violation($0) }
        for v in 0..<Int32(world.vmCount) {
            out += hostPart[Int(v)].map { world.violation($0) }
            out += neighbourViolations(v).map { world.violation($0) }
        }
        return out.sorted()
    }

    /// Number of violations held (hard and soft).
    public var count: Int {
        capacity.compactMap { $0 }.count + hostPart.map(\.count).reduce(0, +) + broken.map(\.count).reduce(0, +)
    }
}
