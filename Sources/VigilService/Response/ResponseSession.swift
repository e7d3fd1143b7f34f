import VigilCore
import VigilDrivers
import VigilStore

/// The shell around `IncidentResponder` for one alert stream: attributes alerts to the owner of each address at
/// the alert's time, carries the decided steps out through the configured hypervisor driver, and records them.
/// Every driver call is preceded by a committed intent (a change in state `executing`, or an action `started`)
/// and followed by its committed outcome; a failed migration is fed back to the responder, so later decisions in
/// the stream see where the VM really is. Incidents without driver work are batched, one transaction per flush.
public struct ResponseSession {
    let db: any VigilStore
    let book: AddressBook
    /// The CMDB as the recorded events leave it (handed to the store, which keeps it current).
    var cmdb: Cmdb?
    let playbooks: PlaybookSet
    /// The time records are stamped with (a long-lived session moves it forward with `advance(to:)`).
    public private(set) var now: Timestamp
    var drivers: DriverConfiguration
    /// Built on the first incident a playbook acts on: most alert streams never need the policy world.
    var responder: IncidentResponder?
    var driverInstance: (any HypervisorDriver)?
    /// Incidents seen before the responder existed (applied to its world when it is built).
    var pending: [(Incident, Timestamp)] = []
    var batch = ResponseBatch()
    var known: Set<String>
    /// The time of each VM's latest event in the batch not yet written (written ones are in the CMDB's tracks).
    var lastEvent: [String: Timestamp] = [:]
    /// What was decided for each new incident, in order.
    public private(set) var decisions: [ResponseDecision] = []
    public private(set) var incidents = 0
    public private(set) var duplicates = 0
    public private(set) var unmatched = 0
    /// For each incident a playbook acted on: nanoseconds from the alert's arrival to the decided actions.
    public private(set) var decisionNanos: [UInt64] = []

    /// A session at `now` (the time records are stamped with and the policy world is evaluated at).
    public init(db: any VigilStore, now: Timestamp, drivers: DriverConfiguration = DriverConfiguration()) throws {
        self.db = db
        let cmdb = try db.loadCmdb()
        book = AddressBook(cmdb, history: try db.addressHistory())
        playbooks = try WorldLoader.playbooks(db)
        self.now = now
        self.drivers = drivers
        known = cmdb.incidentIDs
        self.cmdb = cmdb
    }

    /// Moves the session's clock forward (a long-lived session handles alerts as they come).
    public mutating func advance(to time: Timestamp) { now = max(now, time) }

    /// The tallies since the session began or since the last call, which resets them (a long-lived session
    /// reports them per caller and must not keep every decision).
    public mutating func takeTallies() -> AlertIngestion.Summary {
        var s = AlertIngestion.Summary()
        s.incidents = incidents
        s.duplicates = duplicates
        s.unmatched = unmatched
        s.decisions = decisions
        s.decisionNanos = decisionNanos
        (incidents, duplicates, unmatched, decisions, decisionNanos) = (0, 0, 0, [], [])
        return s
    }

    /// Handles one alert: its incidents (skipping ones already recorded: re-delivery is idempotent) and their
    /// response. Throws only when the store fails; driver failures are recorded outcomes.
    public mutating func handle(_ alert: Alert) async throws {
        let arrived = ContinuousClock.now
        for incident in book.incidents(for: alert) {
            guard known.insert(incident.id).inserted else {
                duplicates += 1
                continue
            }
            incidents += 1
            if case .unmatched = incident.subject { unmatched += 1 }
            batch.events.append(Event(time: alert.time, body: .incident(incident)))
            guard !playbooks.matching(incident).isEmpty else {
                if responder != nil {
                    responder?.note(incident, at: alert.time)
                } else {
                    pending.append((incident, alert.time))
                }
                decisions.append(ResponseDecision(incident: incident, playbooks: [], steps: []))
                continue
            }
            if responder == nil {
                do {
                    responder = try buildResponder()
                } catch {
                    action(incident, "respond", "failed", "cannot load the policy world: \(error)")
                    continue
                }
            }
            guard let decision = responder?.respond(to: incident, at: alert.time) else { continue }
            let elapsed = (ContinuousClock.now - arrived).components
            decisionNanos.append(
                UInt64(max(0, elapsed.seconds)) * 1_000_000_000 + UInt64(max(0, elapsed.attoseconds / 1_000_000_000)))
            decisions.append(decision)
            for step in decision.steps { try await carryOut(step, incident: incident, time: alert.time) }
        }
    }

    mutating func buildResponder() throws -> IncidentResponder {
        let input = try WorldLoader.input(db, at: now, historical: false, cmdb: cmdb)
        var r = IncidentResponder(world: PolicyWorld.build(input), playbooks: playbooks)
        for (i, t) in pending { r.note(i, at: t) }
        pending = []
        return r
    }

    /// The configured hypervisor driver, started on first use.
    mutating func driver() async -> any HypervisorDriver {
        if let d = driverInstance { return d }
        let d = await drivers.makeDriver(for: cmdb ?? Cmdb(), now: now)
        driverInstance = d
        // A simulator made again later (see `following`) must not fail its steps a second time.
        drivers.simulatorFailNext = []
        return d
    }

    /// A placement event for `vm` no earlier than its last one.
    mutating func event(_ body: EventBody, vm: String, at time: Timestamp) -> Event {
        let t = max(time, lastEvent[vm] ?? time, cmdb?.tracks[vm]?.lastEvent ?? time)
        lastEvent[vm] = t
        return Event(time: t, body: body)
    }

    mutating func action(_ incident: Incident, _ kind: String, _ state: String, change: String? = nil, _ detail: String)
    {
        batch.actions.append(
            ActionRecord(incident: incident.id, kind: kind, state: state, change: change, detail: detail))
    }

    /// The records batched so far, handed to a transaction that writes them before its own. Once written, the
    /// incidents noted before the responder existed are in the store, where a responder built later reads them.
    mutating func takeBatch() -> ResponseBatch {
        defer {
            batch = ResponseBatch()
            pending = []
            lastEvent = [:]
        }
        return batch
    }

    /// Has `write` commit another caller's placement events against this session's CMDB (which the store keeps
    /// current), then follows them: incidents among them become known, and the responder, whose world they may
    /// have moved, is dropped (built again when next needed, or lent by `prepare(world:cache:)`). Documents
    /// (addresses, playbooks) need a new session instead.
    public mutating func following<T>(_ write: (inout Cmdb?) throws -> T) throws -> T {
        try flush()
        let incidents = cmdb?.incidentIDs.count ?? 0
        let value = try write(&cmdb)
        if let c = cmdb, c.incidentIDs.count != incidents { known.formUnion(c.incidentIDs) }
        responder = nil
        // The simulator holds the CMDB's placement as it was made: it is made again from the current one.
        if drivers.given == nil { driverInstance = nil }
        return value
    }

    /// Whether the next incident a playbook acts on would have to build the responder's world first.
    public var needsResponder: Bool { responder == nil }

    /// Builds the responder now rather than at the first incident a playbook acts on (a server warms up).
    public mutating func prepare() throws {
        if responder == nil { responder = try buildResponder() }
    }

    /// Sets the responder on a world lent by a live service (the policy world as the committed writes leave it,
    /// with its host verdicts): nothing is loaded, and the two share what the responder does not change.
    public mutating func prepare(world: PolicyWorld, cache: HostVerdictCache) {
        var r = IncidentResponder(world: world, playbooks: playbooks, cache: cache)
        for (i, t) in pending { r.note(i, at: t) }
        pending = []
        responder = r
    }

    mutating func carryOut(_ step: ResponseStep, incident: Incident, time: Timestamp) async throws {
        switch step {
        case .snapshot(let vm):
            let id = try db.startAction(
                incident: incident.id, kind: "snapshot", detail: "snapshot of \(vm) requested", batch: takeBatch(),
                now: now, current: &cmdb)
            let d = await driver()
            // The outcome is committed with the next write: the next driver call's intent, or the flush.
            switch await runSnapshot(vm: vm, driver: d) {
            case .recorded(let r):
                batch.finishes.append(
                    ActionFinish(
                        id: id, state: "done", detail: "snapshot \(r.snapshotID) of \(vm), sha256 \(r.digest)",
                        snapshot: r))
            case .failed(let reason):
                batch.finishes.append(ActionFinish(id: id, state: "failed", detail: reason))
            }
        case .quarantine(let vm, let from, let to):
            batch.events.append(event(.stateChanged(vm: vm, state: .quarantined), vm: vm, at: time))
            let ok = try await migrate(
                vm, from: from, to: to, reason: "quarantine after incident \(incident.id)", incident,
                kind: "quarantine", time: time)
            if !ok {
                action(
                    incident, "isolate", "isolated",
                    "migration failed; \(vm) isolated by anti-spoofing filter where it runs")
            }
        case .isolate(let vm, _, let reason):
            batch.events.append(event(.stateChanged(vm: vm, state: .quarantined), vm: vm, at: time))
            action(incident, "quarantine", "isolated", reason)
        case .markCompromised(let host):
            batch.events.append(Event(time: time, body: .hostStateChanged(host: host, state: .compromised)))
            action(incident, "mark-compromised", "done", "host \(host) marked compromised")
        case .evacuate(let vm, let from, let to):
            _ = try await migrate(
                vm, from: from, to: to, reason: "evacuation of \(from) after incident \(incident.id)", incident,
                kind: "evacuate", time: time)
        case .stranded(let vm, let host, let reason):
            action(incident, "evacuate", "stranded", "\(vm) stays on \(host): \(reason)")
        case .exposure(let subject, let since):
            // The report reads committed history: write what is pending first.
            try flush()
            var body: String
            do {
                let report =
                    switch subject {
                    case .vm(let v): try ExposureReport.forVM(v, db: db, since: since, until: time)
                    case .host(let h): try ExposureReport.forHost(h, db: db, since: since, until: time)
                    case .unmatched(let ip):
                        ExposureReport(subject: ("address", ip), since: since, until: time, entries: [], identical: [])
                    }
                body = JSONWriter.write(report.json)
            } catch {
                body = JSONWriter.write(.object([("error", .string("\(error)"))]))
            }
            _ = try db.recordProblem(
                incident: incident.id, subject: subject, since: since, until: time, body: body,
                detail: { "problem \($0): exposure of \(subject.value) since \(RFC3339.format(since))" },
                batch: takeBatch(), now: now, current: &cmdb)
        case .skipped(let a, let reason):
            action(incident, a.rawValue, "skipped", reason)
        }
    }

    /// A standard change for one migration: its intent committed, carried out through the driver, its outcome
    /// committed; the CMDB follows only what really happened, and so does the responder's world.
    mutating func migrate(
        _ vm: String, from: String?, to: String, reason: String, _ incident: Incident, kind: String, time: Timestamp
    ) async throws -> Bool {
        guard let record = cmdb?.vms[vm], let from else {
            action(incident, kind, "failed", change: nil, "\(vm) is not placed")
            return false
        }
        let handover = FilterHandover.forMigration(vm: record, from: from, to: to)
        let started = try db.startStandardChange(
            ChangeDraft(
                vm: vm, from: from, to: to, reason: reason, standard: true, incident: incident.id, handover: handover),
            batch: takeBatch(), now: now, current: &cmdb)
        var lifecycle = ChangeLifecycle(started)
        let d = await driver()
        let outcome = await runMigration(vm: vm, from: from, to: to, rules: handover.add, driver: d)
        var records = ResponseBatch()
        let input: ChangeLifecycle.Action
        switch outcome {
        case .done, .doneWithLeftoverFilters:
            input = lifecycle.executed()
            records.events = [event(.migrated(vm: vm, from: from, to: to), vm: vm, at: time)]
            records.actions = [
                ActionRecord(
                    incident: incident.id, kind: kind, state: "done", change: started.id,
                    detail: "\(vm) migrated \(from) → \(to); anti-spoofing rules moved")
            ]
        case .failed(let why):
            input = lifecycle.executionFailed(rolledBack: false)
            records.actions = [
                ActionRecord(incident: incident.id, kind: kind, state: "failed", change: started.id, detail: why)
            ]
        case .rolledBack(let why), .rolledBackWithLeftoverFilters(let why, _):
            input = lifecycle.executionFailed(rolledBack: true)
            records.actions = [
                ActionRecord(
                    incident: incident.id, kind: kind, state: "failed", change: started.id,
                    detail: "rolled back: \(why)")
            ]
        }
        if case .refuse(let why) = input { throw ServiceError(.conflict, why) }
        _ = try db.finishChange(lifecycle.change, batch: records, now: now, current: &cmdb)
        let ok = lifecycle.change.state == .done
        if !ok { responder?.migrationFailed(vm: vm, stayedOn: from) }
        return ok
    }

    /// Writes the batched records durably.
    public mutating func flush() throws {
        guard !batch.isEmpty else { return }
        _ = try db.recordResponse(takeBatch(), now: now, current: &cmdb)
    }
}
