import VigilCore
import VigilIngest
import VigilStore

/// The one writer of a running server (DESIGN §8 durability). Every write goes through it; writes that arrive
/// while a commit is under way wait and are then committed together (group commit): documents and events of
/// all waiting callers in one transaction, alerts of all waiting callers through one response session and one
/// flush. After each round `onCommit` runs once (the live state catches up and the stream hears of it), and only
/// then is every caller answered, so an acknowledged write is durable and visible to the next request.
///
/// Alerts go through a long-lived `ResponseSession` (its CMDB, address book, known incidents and responder
/// world stay in memory between rounds). Any other write, or a commit by another process, invalidates it and the
/// next alert round rebuilds it from the store.
public actor Committer {
    let db: any VigilStore
    let drivers: DriverConfiguration
    let clock: @Sendable () -> Timestamp
    let onCommit: @Sendable () async throws -> Void
    /// Lends the live policy world and its host verdicts to the response session (nil: it loads its own).
    let world: (@Sendable () async -> (PolicyWorld, HostVerdictCache)?)?
    var session: ResponseSession?
    var dataVersion: Int64?
    var queue: [Job] = []
    var draining = false
    /// Rounds committed and sessions built (for tests and metrics).
    public private(set) var rounds = 0
    public private(set) var sessionsBuilt = 0

    /// What a caller is told once the round's `onCommit` has run (its error, if it failed, goes to everyone).
    typealias Reply = @Sendable ((any Error)?) -> Void

    enum Job {
        case documents(ImportRequest, CheckedContinuation<ImportResult, any Error>)
        case alerts([Alert], names: [String], CheckedContinuation<AlertIngestion.Summary, any Error>)
        case other(names: [String], run: @Sendable () async -> Reply)
        case prepare(CheckedContinuation<Void, any Error>)
    }

    public init(
        db: any VigilStore, drivers: DriverConfiguration, clock: @escaping @Sendable () -> Timestamp,
        world: (@Sendable () async -> (PolicyWorld, HostVerdictCache)?)? = nil,
        onCommit: @escaping @Sendable () async throws -> Void
    ) {
        self.db = db
        self.drivers = drivers
        self.clock = clock
        self.world = world
        self.onCommit = onCommit
    }

    /// Imports documents or events (one caller's), grouped with other callers' into one transaction. A check
    /// failure is this caller's alone.
    public func importDocuments(_ documents: [SourceDocument]) async throws -> ImportResult {
        let by = WriteActor.names.first
        return try await withCheckedThrowingContinuation { c in
            enqueue(.documents(ImportRequest(documents: documents, by: by), c))
        }
    }

    /// Handles parsed alerts (one caller's) with the other waiting callers' in one response round; returns this
    /// caller's incidents, duplicates and decisions.
    public func handle(_ alerts: [Alert]) async throws -> AlertIngestion.Summary {
        let names = WriteActor.names
        return try await withCheckedThrowingContinuation { c in enqueue(.alerts(alerts, names: names, c)) }
    }

    /// Any other write (plans, change decisions), run alone in its turn; it invalidates the alert session.
    public func perform<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let names = WriteActor.names
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            enqueue(
                .other(
                    names: names,
                    run: {
                        do {
                            let value = try await WriteActor.$names.withValue(names) { try await body() }
                            return { error in error.map { c.resume(throwing: $0) } ?? c.resume(returning: value) }
                        } catch {
                            return { _ in c.resume(throwing: error) }
                        }
                    }))
        }
    }

    func enqueue(_ job: Job) {
        queue.append(job)
        guard !draining else { return }
        draining = true
        Task { await drain() }
    }

    /// Commits rounds until nothing waits: documents first, then alerts, then other writes in arrival order.
    func drain() async {
        while !queue.isEmpty {
            let jobs = queue
            queue = []
            var replies: [Reply] = []
            var requests: [(ImportRequest, CheckedContinuation<ImportResult, any Error>)] = []
            var alerts: [([Alert], [String], CheckedContinuation<AlertIngestion.Summary, any Error>)] = []
            var others: [@Sendable () async -> Reply] = []
            var preparing: [CheckedContinuation<Void, any Error>] = []
            for job in jobs {
                switch job {
                case .documents(let r, let c): requests.append((r, c))
                case .alerts(let a, let names, let c): alerts.append((a, names, c))
                case .other(_, let run): others.append(run)
                case .prepare(let c): preparing.append(c)
                }
            }
            if !requests.isEmpty { replies += importRound(requests) }
            if !preparing.isEmpty {
                var failure: (any Error)?
                do { try await prepareSession() } catch { failure = error }
                let result: Result<Void, any Error> = failure.map { .failure($0) } ?? .success(())
                replies += preparing.map { c in { _ in c.resume(with: result) } }
            }
            if !alerts.isEmpty { replies += await alertRound(alerts) }
            for run in others {
                replies.append(await run())
                session = nil
            }
            var failure: (any Error)?
            do { try await onCommit() } catch { failure = error }
            rounds += 1
            for reply in replies { reply(failure) }
        }
        draining = false
    }

    func importRound(_ requests: [(ImportRequest, CheckedContinuation<ImportResult, any Error>)]) -> [Reply] {
        let now = clock()
        do {
            // Placement events are followed by the kept session; documents may change what it holds.
            let eventsOnly = requests.allSatisfy { r in
                r.0.documents.allSatisfy { if case .events = $0.document { true } else { false } }
            }
            let results = try WriteActor.$names.withValue([]) { () throws -> [Result<ImportResult, any Error>] in
                if eventsOnly, var s = try currentSession(now: now) {
                    defer { session = s }
                    return try s.following { cmdb in try db.importGroup(requests.map(\.0), now: now, current: &cmdb) }
                }
                session = nil
                var none: Cmdb?
                return try db.importGroup(requests.map(\.0), now: now, current: &none)
            }
            return zip(requests, results).map { request, result in
                let c = request.1
                return { failure in
                    if let failure { return c.resume(throwing: failure) }
                    c.resume(with: result)
                }
            }
        } catch {
            session = nil
            return requests.map { r in { _ in r.1.resume(throwing: error) } }
        }
    }

    func alertRound(_ callers: [([Alert], [String], CheckedContinuation<AlertIngestion.Summary, any Error>)]) async
        -> [Reply]
    {
        let now = clock()
        var names: [String] = []
        for (_, ns, _) in callers { for n in ns where !names.contains(n) { names.append(n) } }
        var summaries: [AlertIngestion.Summary] = []
        do {
            guard var s = try currentSession(now: now) else { throw ServiceError(.failure, "no response session") }
            s.advance(to: now)
            _ = s.takeTallies()
            if world != nil { try await lendWorld(to: &s) }
            try await WriteActor.$names.withValue(names) {
                for (alerts, _, _) in callers {
                    for a in alerts { try await s.handle(a) }
                    summaries.append(s.takeTallies())
                }
                try s.flush()
            }
            session = s
        } catch {
            // What the session held may not match the store any more: the next round rebuilds it.
            session = nil
            return callers.map { caller in { _ in caller.2.resume(throwing: error) } }
        }
        return zip(callers, summaries).map { caller, summary in
            let c = caller.2
            return { failure in
                if let failure { return c.resume(throwing: failure) }
                c.resume(returning: summary)
            }
        }
    }

    /// Builds the alert session and its responder ahead of the first alert (a server calls this once ready). It
    /// runs in its turn like a write: the session is taken out while it is built, and a round running meanwhile
    /// would otherwise build a second one that this one then replaced (losing what that round followed).
    public func prepare() async throws {
        try await withCheckedThrowingContinuation { c in enqueue(.prepare(c)) }
    }

    func prepareSession() async throws {
        guard var s = try currentSession(now: clock()) else { return }
        defer { session = s }
        try await lendWorld(to: &s)
    }

    /// Gives the session a responder: on the live world when one is lent (after the live state has caught up
    /// with this round's imports), else loaded from the store.
    func lendWorld(to s: inout ResponseSession) async throws {
        guard s.needsResponder else { return }
        if let world {
            try await onCommit()
            if let (w, cache) = await world() {
                s.prepare(world: w, cache: cache)
                return
            }
        }
        try s.prepare()
    }

    /// The alert session, rebuilt when another write or another process changed the store since it was used.
    func currentSession(now: Timestamp) throws -> ResponseSession? {
        let version = try db.dataVersion()
        // Taken out while in use, so changing it never copies what it holds (the caller puts it back).
        defer { session = nil }
        if let s = session, version == dataVersion { return s }
        session = nil
        sessionsBuilt += 1
        dataVersion = version
        return try ResponseSession(db: db, now: now, drivers: drivers)
    }
}
