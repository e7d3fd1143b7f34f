import HeapModule

/// Keeps the violation set of a world current as placement and incident events arrive, touching only what
/// an event affects: the moved VM, the VMs on its old and new host (their neighbour rules), the two hosts'
/// capacity, and — when time passes — the VMs whose incident or new-neighbour windows an item left.
public struct IncrementalAuditor: Sendable {
    /// The world as of the last event.
    public private(set) var world: PolicyWorld
    /// Host-level and neighbour-level violations of each VM, and capacity findings of each host.
    var hostPart: [[DenseViolation]]
    var neighbourPart: [[DenseViolation]]
    var capacity: [DenseViolation?]
    /// Windows of incident rules and of new-neighbour rules, in seconds (distinct).
    let incidentWindows: [Int64]
    let newNeighbourWindows: [Int64]
    /// When a counted item leaves a window: (time, vm whose neighbourhood or own rules to re-check, isIncident).
    var agenda = Heap<AgendaItem>()

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
        neighbourPart = hostPart
        capacity = [DenseViolation?](repeating: nil, count: world.hostCount)
        var incidentWs: Set<Int64> = []
        var newWs: Set<Int64> = []
        for p in world.policies {
            for r in p.rules {
                switch r.kind {
                case .maxIncidents(let c): incidentWs.insert(c.within)
                case .maxNew(let c): newWs.insert(c.within)
                default: break
                }
            }
        }
        incidentWindows = incidentWs.sorted()
        newNeighbourWindows = newWs.sorted()
        for h in 0..<Int32(world.hostCount) { recheckCapacity(h) }
        for v in 0..<Int32(world.vmCount) { recheck(v, hostRules: true) }
        for v in 0..<Int32(world.vmCount) {
            for t in world.incidents[Int(v)] { schedule(t, vm: v, incident: true) }
            for (_, b) in world.coResidencies[Int(v)] { schedule(b, vm: v, incident: false) }
        }
    }

    mutating func schedule(_ time: Timestamp, vm: Int32, incident: Bool) {
        for w in incident ? incidentWindows : newNeighbourWindows where time + w > world.now {
            agenda.insert(AgendaItem(at: time + w, vm: vm, incident: incident))
        }
    }

    mutating func recheckCapacity(_ h: Int32) {
        var out: [DenseViolation] = []
        Auditor.capacity(h, world, into: &out)
        capacity[Int(h)] = out.first
    }

    /// Recomputes VM `v`'s violations (neighbour rules only unless `hostRules`).
    mutating func recheck(_ v: Int32, hostRules: Bool) {
        var all: [DenseViolation] = []
        if hostRules {
            Auditor.violations(of: v, world, into: &all)
            hostPart[Int(v)] = all.filter { !$0.rule.isNeighbourRule }
            neighbourPart[Int(v)] = all.filter { $0.rule.isNeighbourRule }
        } else {
            Auditor.violations(of: v, world, into: &all, neighbourRulesOnly: true)
            neighbourPart[Int(v)] = all
        }
    }

    /// Moves VM `v` to host `to` (-1: unplaced) at `time`.
    public mutating func move(_ v: Int32, to: Int32, at time: Timestamp) {
        advance(to: time)
        let from = world.hostOf[Int(v)]
        guard from != to else { return }
        let arrivals = to >= 0 ? world.vms(on: to) : []
        world.move(v, to: to)
        for u in arrivals { schedule(world.now, vm: u, incident: false) }
        if !arrivals.isEmpty { schedule(world.now, vm: v, incident: false) }
        recheck(v, hostRules: true)
        for h in [from, to] where h >= 0 {
            recheckCapacity(h)
            for u in world.vms(on: h) where u != v { recheck(u, hostRules: false) }
        }
    }

    /// Records an incident of VM `v` at `time`: its neighbours' incident rules may now fail.
    public mutating func incident(_ v: Int32, at time: Timestamp) {
        advance(to: time)
        world.addIncident(v, at: time)
        schedule(time, vm: v, incident: true)
        recheckNeighbourhood(of: v)
    }

    mutating func recheckNeighbourhood(of v: Int32) {
        let h = world.hostOf[Int(v)]
        guard h >= 0 else { return }
        for u in world.vms(on: h) where u != v { recheck(u, hostRules: false) }
    }

    /// Moves the clock to `time`, re-checking what the windows let go of. Time passing only lowers incident
    /// and new-neighbour counts, so only VMs that currently break such a rule can change: the others are skipped,
    /// and each VM is re-checked once however many of its items fell due.
    public mutating func advance(to time: Timestamp) {
        guard time > world.now else { return }
        world.advance(to: time)
        var due: Set<Int32> = []
        while let next = agenda.min, next.at <= time {
            let item = agenda.removeMin()
            if item.incident {
                let h = world.hostOf[Int(item.vm)]
                guard h >= 0 else { continue }
                for u in world.vms(on: h) where u != item.vm && breaks(u, .neighboursMaxIncidents) { due.insert(u) }
            } else if breaks(item.vm, .neighboursMaxNew) {
                due.insert(item.vm)
            }
        }
        for v in due.sorted() { recheck(v, hostRules: false) }
    }

    func breaks(_ v: Int32, _ rule: RuleID) -> Bool { neighbourPart[Int(v)].contains { $0.rule == rule } }

    /// Sets VM `v`'s run state (e.g. quarantined): its base role constraint may change.
    public mutating func setState(_ v: Int32, _ state: VMState, at time: Timestamp) {
        advance(to: time)
        world.setState(v, state)
        recheck(v, hostRules: true)
    }

    /// Sets host `h`'s state (e.g. compromised): every VM on it is re-checked.
    public mutating func setHostState(_ h: Int32, _ state: HostState, at time: Timestamp) {
        advance(to: time)
        world.setHostState(h, state)
        for v in world.vms(on: h) { recheck(v, hostRules: true) }
    }

    /// Every violation now, sorted (as `Auditor.audit` would report).
    public var violations: [Violation] {
        var out: [Violation] = capacity.compactMap { $0 }.map { world.violation($0) }
        for v in 0..<world.vmCount {
            out += hostPart[v].map { world.violation($0) }
            out += neighbourPart[v].map { world.violation($0) }
        }
        return out.sorted()
    }

    /// Number of violations held (hard and soft).
    public var count: Int {
        capacity.compactMap { $0 }.count + hostPart.map(\.count).reduce(0, +) + neighbourPart.map(\.count).reduce(0, +)
    }
}
