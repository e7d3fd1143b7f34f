import Synchronization
import VigilCore
import VigilIngest
import VigilStore

/// The live state of a running server (DESIGN §8): loaded from the store once, then kept current after every
/// committed write. It owns the policy world (inside the incremental auditor), the placement index and the
/// host-level verdicts; placement, audit and plans are answered from them without touching the store.
/// Placement events, state changes and incidents are applied incrementally; a document (new hosts, VMs,
/// policies) rebuilds everything from the store.
///
/// The engines sit behind a lock rather than in an actor: a decision takes microseconds, and a request thread
/// that decides in place is cheaper than two executor hops per request. Nothing slow runs under the lock: store
/// reads and rebuilds happen outside it, plans and full rankings run on a copy of the world (copy on write).
public final class LiveState: Sendable {
    let db: any VigilStore
    let engines: Mutex<LiveEngines>
    /// Catch-ups run one at a time (the server's one writer calls them; this makes sure).
    let catchingUp = Mutex<Void>(())

    /// What a catch-up found: the new log records, and the violations that appeared or cleared with them (in no
    /// particular order).
    public struct CatchUp: Sendable {
        public var records: [LogRecord] = []
        public var appeared: [Violation] = []
        public var cleared: [Violation] = []
    }

    /// Loads the state at `now`.
    public init(db: any VigilStore, now: Timestamp) throws {
        self.db = db
        let seq = try db.headSeq()
        let world = PolicyWorld.build(try WorldLoader.input(db, at: now, historical: false))
        engines = Mutex(LiveEngines(world, seq: seq))
    }

    /// How many entries the live engines hold, by structure (`vigil_live_entries`): what a long-running server's
    /// memory follows.
    public var sizes: [(String, Int)] {
        engines.withLock { e in
            [
                ("coresidencies", e.auditor.world.coResidencyCount), ("agenda", e.auditor.agendaCount),
                ("violation_wordings", e.violations.count),
                ("violation_related", e.violations.values.reduce(0) { $0 + $1.relatedCount }),
            ]
        }
    }

    /// Bumped after every applied commit (for tests and metrics).
    public var generation: Int { engines.withLock { $0.generation } }
    /// The last log record the engines have seen.
    public var seq: Int64 { engines.withLock { $0.seq } }

    /// The policy world as the committed writes leave it.
    public var world: PolicyWorld { engines.withLock { $0.auditor.world } }

    /// The policy world and its host verdicts, lent to the incident responder (copied only where it changes).
    public func responderBasis() -> (PolicyWorld, HostVerdictCache) {
        engines.withLock { ($0.auditor.world, $0.cache) }
    }

    /// Rebuilds everything from the store (after a document import).
    public func reload(now: Timestamp) throws {
        let at = max(now, engines.withLock { $0.auditor.world.now })
        let world = PolicyWorld.build(try WorldLoader.input(db, at: at, historical: false))
        engines.withLock { $0.install(world) }
    }

    /// Reads the records committed since the last call and applies them: events incrementally, documents by
    /// rebuilding. Returns the new records (for the event stream). Every write calls this before it answers, so
    /// an acknowledged write is visible to the next request.
    @discardableResult
    public func catchUp(now: Timestamp) throws -> CatchUp {
        try catchingUp.withLock { _ in
            var all: [LogRecord] = []
            var changed = false
            while true {
                let records = try db.records(after: seq, limit: 10_000)
                guard let last = records.last else { break }
                if records.contains(where: { $0.type.hasPrefix("document.") }) {
                    try reload(now: now)
                    changed = true
                } else {
                    // Only incidents about a VM change what the engines see; others just move the clock
                    // (an incident's record names its subject VM in the `vm` column).
                    let relevant = records.filter {
                        Self.eventTypes.contains($0.type) && ($0.type != "incident" || $0.vm != nil)
                    }
                    if !relevant.isEmpty {
                        let lines = relevant.map(\.body).joined(separator: "\n")
                        let (events, _, _) = try DocumentLoader.parseEvents(file: "(log)", text: lines)
                        try apply(events, now: now)
                        changed = true
                    }
                }
                engines.withLock { $0.seq = last.seq }
                all += records
            }
            var result = CatchUp(records: all)
            // Violations change only when the engines saw something.
            guard changed else { return result }
            engines.withLock { $0.compareViolations(into: &result) }
            return result
        }
    }

    static let eventTypes: Set<String> = [
        "vm.placed", "vm.migrated", "vm.removed", "vm.state", "host.state", "incident",
    ]

    /// Applies committed events; anything the engines cannot follow incrementally (an id they do not know)
    /// rebuilds from the store.
    public func apply(_ events: [Event], now: Timestamp) throws {
        let followed = engines.withLock { e in
            for event in events where !e.applyIncrementally(event) { return false }
            e.auditor.pruneIfDue()
            e.generation += 1
            return true
        }
        if !followed { try reload(now: now) }
    }

    /// The fast decision for `vm` (best host and number of feasible hosts), from the placement index.
    public func decide(vm: String, now: Timestamp) throws -> (host: String?, feasible: Int, softViolations: Int) {
        try engines.withLock { e in
            guard let v = e.auditor.world.index(ofVM: vm) else { throw ServiceError(.notFound, "unknown vm \"\(vm)\"") }
            e.auditor.advance(to: now)
            let d = e.index.decide(v, in: e.auditor.world)
            return (d.host.map { e.auditor.world.hostID($0) }, d.feasibleHosts, d.softViolations)
        }
    }

    /// The full ranking for `vm` with every rejected host's first rule (`vigil place --all`).
    public func place(vm: String, now: Timestamp) throws -> PlacementAnswer {
        let (v, world, cache) = try engines.withLock { e in
            guard let v = e.auditor.world.index(ofVM: vm) else { throw ServiceError(.notFound, "unknown vm \"\(vm)\"") }
            e.auditor.advance(to: now)
            return (v, e.auditor.world, e.cache)
        }
        return Placer.place(v, in: world, cache: cache)
    }

    /// Every violation now, from the incremental auditor.
    public func audit(now: Timestamp) -> (at: Timestamp, violations: [Violation]) {
        let auditor = engines.withLock { e in
            e.auditor.advance(to: now)
            return e.auditor
        }
        return (auditor.world.now, auditor.violations)
    }

    /// A remediation plan on the live world.
    public func plan(now: Timestamp, maxMigrations: Int = .max) -> RemediationPlan {
        let world = engines.withLock { e in
            e.auditor.advance(to: now)
            return e.auditor.world
        }
        return Planner.plan(world, maxMigrations: maxMigrations)
    }
}
