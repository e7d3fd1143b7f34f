import VigilCore

/// What `LiveState` guards: the incremental auditor (holding the policy world), the placement index, the host
/// verdicts, and the violations as of the last catch-up, indexed by VM and host so a catch-up compares only what
/// the events touched.
struct LiveEngines: Sendable {
    var auditor: IncrementalAuditor
    var index: PlacementIndex
    var cache: HostVerdictCache
    /// Bumped after every applied commit.
    var generation = 0
    /// The last log record the engines have seen.
    var seq: Int64
    /// The wording of each violation held, by (vm, host, policy, rule), and the keys by VM and by host (capacity).
    /// Only the wording is kept (related VMs as indexes): a violation that clears is reported as it read, and a
    /// `maxNew` finding can list hundreds of neighbours.
    var violations: [ViolationKey: ViolationWording] = [:]
    var keysOfVM: [Int32: Set<ViolationKey>] = [:]
    var keyOfHost: [Int32: ViolationKey] = [:]
    /// Set by `install`: the violations held before, written on the world they were taken on (the new world's
    /// indexes may differ); the next comparison is by what the violations say.
    var heldBeforeRebuild: [Violation]?

    init(_ world: PolicyWorld, seq: Int64) {
        cache = HostVerdictCache(world)
        index = PlacementIndex(world, cache: cache)
        auditor = IncrementalAuditor(world)
        auditor.notesTouched = true
        self.seq = seq
        indexViolations()
    }

    /// Replaces the engines with ones built on `world` (after a document import).
    mutating func install(_ world: PolicyWorld) {
        if heldBeforeRebuild == nil {
            heldBeforeRebuild = violations.map { auditor.violation($0.key, worded: $0.value) }
        }
        cache = HostVerdictCache(world)
        index = PlacementIndex(world, cache: cache)
        auditor = IncrementalAuditor(world)
        auditor.notesTouched = true
        generation += 1
    }

    /// Writes every violation held now and indexes it by VM and host.
    mutating func indexViolations() {
        violations = [:]
        keysOfVM = [:]
        keyOfHost = [:]
        for k in auditor.violationKeys {
            violations[k] = auditor.wording(k)
            if k.vm >= 0 { keysOfVM[k.vm, default: []].insert(k) } else { keyOfHost[k.host] = k }
        }
        _ = auditor.takeTouched()
    }

    /// Adds the violations that appeared and cleared since the last comparison to `result`.
    mutating func compareViolations(into result: inout LiveState.CatchUp) {
        if let held = heldBeforeRebuild {
            // After a rebuild, indexes are new: compare by what the violations say.
            heldBeforeRebuild = nil
            let old = Dictionary(held.map { ($0.key, $0) }) { a, _ in a }
            indexViolations()
            let new = Dictionary(violations.map { k, w in auditor.violation(k, worded: w) }.map { ($0.key, $0) }) {
                a, _ in a
            }
            result.appeared = new.filter { old[$0.key] == nil }.map(\.value)
            result.cleared = old.filter { new[$0.key] == nil }.map(\.value)
            return
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
        // Left unsorted: only a stream with subscribers needs the order, and sorting is most of the cost here.
    }

    /// Notes the violations among `now` that are new and those of `old` that are gone.
    mutating func compare(_ now: Set<ViolationKey>, _ old: Set<ViolationKey>, into result: inout LiveState.CatchUp) {
        for k in now.subtracting(old) {
            if let w = auditor.wording(k) {
                violations[k] = w
                result.appeared.append(auditor.violation(k, worded: w))
            }
        }
        for k in old.subtracting(now) {
            if let w = violations.removeValue(forKey: k) { result.cleared.append(auditor.violation(k, worded: w)) }
        }
    }

    /// Applies one committed event; false when the engines cannot follow it (an id they do not know).
    mutating func applyIncrementally(_ e: Event) -> Bool {
        switch e.body {
        case .migrated(let vm, _, let to), .placed(let vm, let to):
            guard let v = auditor.world.index(ofVM: vm), let h = auditor.world.index(ofHost: to) else { return false }
            let from = auditor.world.hostOf[Int(v)]
            auditor.move(v, to: h, at: e.time)
            index.moved(from: from, to: h, in: auditor.world)
        case .removed(let vm):
            guard let v = auditor.world.index(ofVM: vm) else { return false }
            let from = auditor.world.hostOf[Int(v)]
            auditor.move(v, to: -1, at: e.time)
            index.moved(from: from, to: -1, in: auditor.world)
        case .stateChanged(let vm, let state):
            guard let v = auditor.world.index(ofVM: vm) else { return false }
            auditor.setState(v, state, at: e.time)
            let h = auditor.world.hostOf[Int(v)]
            index.moved(from: h, to: -1, in: auditor.world)
        case .hostStateChanged(let host, let state):
            guard let h = auditor.world.index(ofHost: host) else { return false }
            auditor.setHostState(h, state, at: e.time)
            // Host-level verdicts include the host's state.
            cache = HostVerdictCache(auditor.world)
            index = PlacementIndex(auditor.world, cache: cache)
        case .incident(let incident):
            auditor.advance(to: e.time)
            if case .vm(let vm) = incident.subject, let v = auditor.world.index(ofVM: vm) {
                auditor.incident(v, at: e.time)
                index.incidentAdded(v, in: auditor.world)
            }
        }
        return true
    }
}
