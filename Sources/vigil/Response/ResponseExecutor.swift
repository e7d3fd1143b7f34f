import Foundation
import VigilCore
import VigilDrivers
import VigilStore

/// The shell around `IncidentResponder`: attributes alerts, carries the decided steps out through the
/// hypervisor driver (the built-in simulator when no hypervisor is configured), and batches the records
/// (incidents, events, changes, actions, problems) for one durable transaction per flush.
struct ResponseExecutor {
    let db: VigilDatabase
    let book: AddressBook
    var cmdb: Cmdb
    let playbooks: PlaybookSet
    let now: Timestamp
    /// Built on the first incident a playbook acts on: most alert streams never need the policy world.
    var responder: IncidentResponder?
    var driverInstance: SimulatedDriver?
    /// Incidents seen before the responder existed (applied to its world when it is built).
    var pending: [(Incident, Timestamp)] = []
    var batch = ResponseBatch()
    var known: Set<String>
    var lastEvent: [String: Timestamp] = [:]
    var changeCount: Int
    var problemCount: Int
    var decisions: [ResponseDecision] = []
    /// Counters for the summary.
    var incidents = 0
    var duplicates = 0
    var unmatched = 0

    init(db: VigilDatabase, now: Timestamp) throws {
        self.db = db
        cmdb = try db.loadCmdb()
        book = AddressBook(cmdb)
        playbooks =
            try WorldLoader.document(db, kind: "Playbooks").flatMap { doc -> PlaybookSet? in
                if case .playbooks(let p) = doc { return p } else { return nil }
            } ?? PlaybookSet(playbooks: [])
        self.now = now
        known = cmdb.incidentIDs
        for (id, t) in cmdb.tracks { if let e = t.lastEvent { lastEvent[id] = e } }
        (changeCount, problemCount) = try db.responseRecordCounts()
    }

    static func inventory(_ c: Cmdb) -> Inventory {
        Inventory(
            sites: Array(c.sites.values), networks: Array(c.networks.values),
            hosts: c.hosts.values.sorted { $0.id < $1.id },
            tenants: Array(c.tenants.values), vms: c.vms.values.sorted { $0.id < $1.id })
    }

    static func id(_ prefix: String, _ n: Int) -> String { prefix + String(n, zeroPaddedTo: 6) }

    /// Handles one alert: its incidents (skipping ones already recorded: re-delivery is idempotent) and their response.
    mutating func handle(_ alert: Alert) async {
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
                    responder!.note(incident, at: alert.time)
                } else {
                    pending.append((incident, alert.time))
                }
                decisions.append(ResponseDecision(incident: incident, playbooks: [], steps: []))
                continue
            }
            if responder == nil {
                do {
                    try buildResponder()
                } catch {
                    action(incident, "respond", "failed", "cannot load the policy world: \(error)")
                    continue
                }
            }
            let decision = responder!.respond(to: incident, at: alert.time)
            decisions.append(decision)
            for step in decision.steps { await carryOut(step, incident: incident, time: alert.time) }
        }
    }

    mutating func buildResponder() throws {
        let input = try WorldLoader.input(db, at: now, historical: false, cmdb: cmdb)
        var r = IncidentResponder(world: PolicyWorld.build(input), playbooks: playbooks)
        for (i, t) in pending { r.note(i, at: t) }
        pending = []
        responder = r
    }

    /// The hypervisor driver: the built-in simulator (no hypervisor connection is configured).
    mutating func driver() async -> SimulatedDriver {
        if let d = driverInstance { return d }
        let d = await Self.makeDriver(cmdb, now: now)
        driverInstance = d
        return d
    }

    /// The built-in simulator holding `cmdb`'s placement, its clock stopped at `now`. Test hook:
    /// `VIGIL_SIMULATOR_FAIL=migrate,snapshot` makes it fail those steps once each, so failure handling can be
    /// shown end to end (the change ends failed/rolled-back, the CMDB stays truthful).
    static func makeDriver(_ cmdb: Cmdb, now: Timestamp) async -> SimulatedDriver {
        let driver = SimulatedDriver(inventory: inventory(cmdb), now: { now })
        let spec = ProcessInfo.processInfo.environment["VIGIL_SIMULATOR_FAIL"] ?? ""
        for step in spec.split(separator: ",").compactMap({ DriverStep(rawValue: String($0)) }) {
            await driver.failNext(step)
        }
        return driver
    }

    /// A placement event for `vm` no earlier than its last one.
    mutating func event(_ body: EventBody, vm: String, at time: Timestamp) {
        let t = max(time, lastEvent[vm] ?? time)
        lastEvent[vm] = t
        batch.events.append(Event(time: t, body: body))
    }

    mutating func action(_ incident: Incident, _ kind: String, _ state: String, change: String? = nil, _ detail: String)
    {
        batch.actions.append(
            ActionRecord(incident: incident.id, kind: kind, state: state, change: change, detail: detail))
    }

    mutating func carryOut(_ step: ResponseStep, incident: Incident, time: Timestamp) async {
        switch step {
        case .snapshot(let vm):
            let d = await driver()
            switch await runSnapshot(vm: vm, driver: d) {
            case .recorded(let r):
                action(incident, "snapshot", "done", "snapshot \(r.snapshotID) of \(vm), sha256 \(r.digest)")
            case .failed(let reason): action(incident, "snapshot", "failed", reason)
            }
        case .quarantine(let vm, let from, let to):
            event(.stateChanged(vm: vm, state: .quarantined), vm: vm, at: time)
            let ok = await migrate(
                vm, from: from, to: to, reason: "quarantine after incident \(incident.id)", incident,
                kind: "quarantine", time: time)
            if !ok {
                action(
                    incident, "isolate", "isolated",
                    "migration failed; \(vm) isolated by anti-spoofing filter where it runs")
            }
        case .isolate(let vm, _, let reason):
            event(.stateChanged(vm: vm, state: .quarantined), vm: vm, at: time)
            action(incident, "quarantine", "isolated", reason)
        case .markCompromised(let host):
            batch.events.append(Event(time: time, body: .hostStateChanged(host: host, state: .compromised)))
            action(incident, "mark-compromised", "done", "host \(host) marked compromised")
        case .evacuate(let vm, let from, let to):
            _ = await migrate(
                vm, from: from, to: to, reason: "evacuation of \(from) after incident \(incident.id)", incident,
                kind: "evacuate", time: time)
        case .stranded(let vm, let host, let reason):
            action(incident, "evacuate", "stranded", "\(vm) stays on \(host): \(reason)")
        case .exposure(let subject, let since):
            problemCount += 1
            let id = Self.id("prb-", problemCount)
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
            batch.problems.append(
                ProblemRecord(id: id, incident: incident.id, subject: subject, since: since, until: time, body: body))
            action(
                incident, "exposure", "done",
                "problem \(id): exposure of \(subject.value) since \(RFC3339.format(since))")
        case .skipped(let a, let reason):
            action(incident, a.rawValue, "skipped", reason)
        }
    }

    /// A standard change for one migration, carried out at once; the CMDB follows only what really happened.
    mutating func migrate(
        _ vm: String, from: String?, to: String, reason: String, _ incident: Incident, kind: String, time: Timestamp
    ) async -> Bool {
        changeCount += 1
        let id = Self.id("chg-", changeCount)
        guard let record = cmdb.vms[vm], let from else {
            action(incident, kind, "failed", change: nil, "\(vm) is not placed")
            return false
        }
        let handover = FilterHandover.forMigration(vm: record, from: from, to: to)
        var lifecycle = ChangeLifecycle(
            ChangeRecord(
                id: id, vm: vm, from: from, to: to, reason: reason, state: .proposed, standard: true,
                incident: incident.id, handover: handover))
        _ = lifecycle.submit()
        let d = await driver()
        let outcome = await runMigration(vm: vm, from: from, to: to, rules: handover.add, driver: d)
        let ok: Bool
        switch outcome {
        case .done, .doneWithLeftoverFilters:
            _ = lifecycle.executed()
            event(.migrated(vm: vm, from: from, to: to), vm: vm, at: time)
            action(incident, kind, "done", change: id, "\(vm) migrated \(from) → \(to); anti-spoofing rules moved")
            ok = true
        case .failed(let why):
            _ = lifecycle.executionFailed(rolledBack: false)
            action(incident, kind, "failed", change: id, why)
            ok = false
        case .rolledBack(let why), .rolledBackWithLeftoverFilters(let why, _):
            _ = lifecycle.executionFailed(rolledBack: true)
            action(incident, kind, "failed", change: id, "rolled back: \(why)")
            ok = false
        }
        batch.changes.append(lifecycle.change)
        return ok
    }

    /// Writes the batch durably and starts a new one.
    mutating func flush(now: Timestamp) throws {
        guard !batch.isEmpty else { return }
        // Hand the CMDB over instead of sharing it, so updating it after the write does not copy it.
        var current: Cmdb? = cmdb
        cmdb = Cmdb()
        defer { cmdb = current ?? Cmdb() }
        _ = try db.recordResponse(batch, now: now, current: &current)
        batch = ResponseBatch()
    }
}
