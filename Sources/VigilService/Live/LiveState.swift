import VigilCore
import VigilIngest
import VigilStore

/// The live state of a running server (DESIGN §8): loaded from the store once, then kept current after every
/// committed write. One actor owns the policy world (inside the incremental auditor), the placement index and
/// the host-level verdicts; placement, audit and plans are answered from them without touching the store.
/// Placement events, state changes and incidents are applied incrementally; a document (new hosts, VMs,
/// policies) rebuilds everything from the store.
public actor LiveState {
    let db: any VigilStore
    var auditor: IncrementalAuditor
    var index: PlacementIndex
    var cache: HostVerdictCache
    /// Bumped after every applied commit (for tests and metrics).
    public private(set) var generation = 0
    /// The last log record the engines have seen.
    public private(set) var seq: Int64
    /// The violations as of the last catch-up, by (vm, host, policy, rule), and their keys by VM and by host
    /// (capacity), so a catch-up compares only what the events touched.
    var violations: [ViolationKey: Violation] = [:]
    var keysOfVM: [Int32: Set<ViolationKey>] = [:]
    var keyOfHost: [Int32: ViolationKey] = [:]

    /// What a catch-up found: the new log records, and the violations that appeared or cleared with them.
    public struct CatchUp: Sendable {
        public var records: [LogRecord] = []
        public var appeared: [Violation] = []
        public var cleared: [Violation] = []
    }

    /// Loads the state at `now`.
    public init(db: any VigilStore, now: Timestamp) throws {
        self.db = db
        seq = try db.headSeq()
        let world = PolicyWorld.build(try WorldLoader.input(db, at: now, historical: false))
        cache = HostVerdictCache(world)
        index = PlacementIndex(world, cache: cache)
        auditor = IncrementalAuditor(world)
        auditor.notesTouched = true
        (violations, keysOfVM, keyOfHost) = Self.index(&auditor)
    }

    /// Writes every violation held now and indexes it by VM and host.
    static func index(_ auditor: inout IncrementalAuditor) -> (
        [ViolationKey: Violation], [Int32: Set<ViolationKey>], [Int32: ViolationKey]
    ) {
        var violations: [ViolationKey: Violation] = [:]
        var keysOfVM: [Int32: Set<ViolationKey>] = [:]
        var keyOfHost: [Int32: ViolationKey] = [:]
        for k in auditor.violationKeys {
            violations[k] = auditor.violation(k)
            if k.vm >= 0 { keysOfVM[k.vm, default: []].insert(k) } else { keyOfHost[k.host] = k }
        }
        _ = auditor.takeTouched()
        return (violations, keysOfVM, keyOfHost)
    }

    /// The policy world as the committed writes leave it.
    public var world: PolicyWorld { auditor.world }

    /// The policy world and its host verdicts, lent to the incident responder (copied only where it changes).
    public func responderBasis() -> (PolicyWorld, HostVerdictCache) { (auditor.world, cache) }

    /// Rebuilds everything from the store (after a document import).
    public func reload(now: Timestamp) throws {
        let world = PolicyWorld.build(try WorldLoader.input(db, at: max(now, auditor.world.now), historical: false))
        cache = HostVerdictCache(world)
        index = PlacementIndex(world, cache: cache)
        auditor = IncrementalAuditor(world)
        auditor.notesTouched = true
        generation += 1
        // Indexes may differ in the new world: the next catch-up compares by what the violations say.
        rebuilt = true
    }

    /// Set by `reload`: the next comparison of violations starts from scratch.
    var rebuilt = false

    /// Reads the records committed since the last call and applies them: events incrementally, documents by
    /// rebuilding. Returns the new records (for the event stream). Every write calls this before it answers, so
    /// an acknowledged write is visible to the next request.
    @discardableResult
    public func catchUp(now: Timestamp) throws -> CatchUp {
        var all: [LogRecord] = []
        var engines = false
        while true {
            let records = try db.records(after: seq, limit: 10_000)
            guard let last = records.last else { break }
            if records.contains(where: { $0.type.hasPrefix("document.") }) {
                try reload(now: now)
                engines = true
            } else {
                // Only incidents about a VM change what the engines see; others just move the clock.
                // (an incident's record names its subject VM in the `vm` column).
                let relevant = records.filter {
                    Self.eventTypes.contains($0.type) && ($0.type != "incident" || $0.vm != nil)
                }
                if !relevant.isEmpty {
                    let lines = relevant.map(\.body).joined(separator: "\n")
                    let (events, _, _) = try DocumentLoader.parseEvents(file: "(log)", text: lines)
                    try apply(events, now: now)
                    engines = true
                }
            }
            seq = last.seq
            all += records
        }
        var result = CatchUp(records: all)
        // Violations change only when the engines saw something.
        guard engines else { return result }
        if rebuilt {
            // After a rebuild, indexes are new: compare by what the violations say.
            rebuilt = false
            let old = Dictionary(violations.values.map { ($0.key, $0) }) { a, _ in a }
            (violations, keysOfVM, keyOfHost) = Self.index(&auditor)
            let new = Dictionary(violations.values.map { ($0.key, $0) }) { a, _ in a }
            result.appeared = new.filter { old[$0.key] == nil }.map(\.value).sorted()
            result.cleared = old.filter { new[$0.key] == nil }.map(\.value).sorted()
            return result
        }
        let touched = auditor.takeTouched()
        for v in touched.vms {
            let now = Set(auditor.violationKeys(ofVM: v))
            let old = keysOfVM[v] ?? []
            guard now != old else { continue }
            compare(now, old, into: &result)
            keysOfVM[v] = now.isEmpty ? nil : now
        }
        for h in touched.hosts {
            let now = auditor.violationKey(ofHost: h)
            guard now != keyOfHost[h] else { continue }
            compare(Set([now].compactMap { $0 }), Set([keyOfHost[h]].compactMap { $0 }), into: &result)
            keyOfHost[h] = now
        }
        result.appeared.sort()
        result.cleared.sort()
        return result
    }

    /// Notes the violations among `now` that are new and those of `old` that are gone.
    func compare(_ now: Set<ViolationKey>, _ old: Set<ViolationKey>, into result: inout CatchUp) {
        for k in now.subtracting(old) {
            if let v = auditor.violation(k) {
                violations[k] = v
                result.appeared.append(v)
            }
        }
        for k in old.subtracting(now) {
            if let v = violations.removeValue(forKey: k) { result.cleared.append(v) }
        }
    }

    static let eventTypes: Set<String> = [
        "vm.placed", "vm.migrated", "vm.removed", "vm.state", "host.state", "incident",
    ]

    /// Applies committed events; anything the engines cannot follow incrementally (an id they do not know)
    /// rebuilds from the store.
    public func apply(_ events: [Event], now: Timestamp) throws {
        for e in events where !applyIncrementally(e) {
            try reload(now: now)
            return
        }
        generation += 1
    }

    func applyIncrementally(_ e: Event) -> Bool {
        let w = auditor.world
        switch e.body {
        case .migrated(let vm, _, let to), .placed(let vm, let to):
            guard let v = w.index(ofVM: vm), let h = w.index(ofHost: to) else { return false }
            let from = w.hostOf[Int(v)]
            auditor.move(v, to: h, at: e.time)
            index.moved(from: from, to: h, in: auditor.world)
        case .removed(let vm):
            guard let v = w.index(ofVM: vm) else { return false }
            let from = w.hostOf[Int(v)]
            auditor.move(v, to: -1, at: e.time)
            index.moved(from: from, to: -1, in: auditor.world)
        case .stateChanged(let vm, let state):
            guard let v = w.index(ofVM: vm) else { return false }
            auditor.setState(v, state, at: e.time)
            let h = auditor.world.hostOf[Int(v)]
            index.moved(from: h, to: -1, in: auditor.world)
        case .hostStateChanged(let host, let state):
            guard let h = w.index(ofHost: host) else { return false }
            auditor.setHostState(h, state, at: e.time)
            // Host-level verdicts include the host's state.
            cache = HostVerdictCache(auditor.world)
            index = PlacementIndex(auditor.world, cache: cache)
        case .incident(let incident):
            auditor.advance(to: e.time)
            if case .vm(let vm) = incident.subject, let v = w.index(ofVM: vm) {
                auditor.incident(v, at: e.time)
                index.incidentAdded(v, in: auditor.world)
            }
        }
        return true
    }

    /// The fast decision for `vm` (best host and number of feasible hosts), from the placement index.
    public func decide(vm: String, now: Timestamp) throws -> (host: String?, feasible: Int, softViolations: Int) {
        guard let v = auditor.world.index(ofVM: vm) else { throw ServiceError(.notFound, "unknown vm \"\(vm)\"") }
        auditor.advance(to: now)
        let d = index.decide(v, in: auditor.world)
        return (d.host.map { auditor.world.hostID($0) }, d.feasibleHosts, d.softViolations)
    }

    /// The full ranking for `vm` with every rejected host's first rule (`vigil place --all`).
    public func place(vm: String, now: Timestamp) throws -> PlacementAnswer {
        guard let v = auditor.world.index(ofVM: vm) else { throw ServiceError(.notFound, "unknown vm \"\(vm)\"") }
        auditor.advance(to: now)
        return Placer.place(v, in: auditor.world, cache: cache)
    }

    /// Every violation now, from the incremental auditor.
    public func audit(now: Timestamp) -> (at: Timestamp, violations: [Violation]) {
        auditor.advance(to: now)
        return (auditor.world.now, auditor.violations.sorted())
    }

    /// A remediation plan on the live world.
    public func plan(now: Timestamp, maxMigrations: Int = .max) -> RemediationPlan {
        auditor.advance(to: now)
        return Planner.plan(auditor.world, maxMigrations: maxMigrations)
    }
}
