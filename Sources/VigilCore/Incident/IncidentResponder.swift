/// Decides the response to incidents (DESIGN §4): pure, on a `PolicyWorld` it keeps current as it decides
/// (quarantine and evacuation moves change where later VMs fit). The shell carries the steps out through a
/// `HypervisorDriver` and records them.
public struct IncidentResponder: Sendable {
    public private(set) var world: PolicyWorld
    let playbooks: PlaybookSet
    let cache: HostVerdictCache

    public init(world: PolicyWorld, playbooks: PlaybookSet) {
        self.init(world: world, playbooks: playbooks, cache: HostVerdictCache(world))
    }

    /// A responder on a world whose host verdicts are already cached (a live service lends its own).
    public init(world: PolicyWorld, playbooks: PlaybookSet, cache: HostVerdictCache) {
        self.world = world
        self.playbooks = playbooks
        self.cache = cache
    }

    /// Records an incident that no playbook acts on, so later decisions see it (neighbours' incident rules).
    public mutating func note(_ incident: Incident, at time: Timestamp) {
        world.advance(to: time)
        if case .vm(let id) = incident.subject, let v = world.index(ofVM: id) { world.addIncident(v, at: time) }
    }

    /// Feedback from the shell: a migration this responder decided did not happen, and the driver left `vm` on
    /// `host`. Later decisions in the same stream then see the VM where it really is.
    public mutating func migrationFailed(vm: String, stayedOn host: String) {
        guard let v = world.index(ofVM: vm), let h = world.index(ofHost: host) else { return }
        if world.hostOf[Int(v)] != h { world.move(v, to: h) }
    }

    /// Decides and applies (to the in-memory world) the response to `incident` at `time`.
    public mutating func respond(to incident: Incident, at time: Timestamp) -> ResponseDecision {
        note(incident, at: time)
        let matching = playbooks.matching(incident)
        var steps: [ResponseStep] = []
        var done: Set<PlaybookAction> = []
        for p in matching {
            for action in p.actions where !done.contains(action) {
                done.insert(action)
                steps += decide(action, incident, time: time, lookback: p.lookback)
            }
        }
        return ResponseDecision(incident: incident, playbooks: matching.map(\.name), steps: steps)
    }

    mutating func decide(_ action: PlaybookAction, _ i: Incident, time: Timestamp, lookback: Int64) -> [ResponseStep] {
        switch (action, i.subject) {
        case (.snapshot, .vm(let id)):
            return [.snapshot(vm: id)]
        case (.quarantine, .vm(let id)):
            guard let v = world.index(ofVM: id) else { return [.skipped(action: action, reason: "unknown vm \(id)")] }
            if world.isQuarantined(v) { return [.skipped(action: action, reason: "\(id) is already quarantined")] }
            let from = world.hostOf[Int(v)]
            world.setState(v, .quarantined)
            let target = bestHost(v)
            if let target {
                world.move(v, to: target)
                return [.quarantine(vm: id, from: from >= 0 ? world.hostID(from) : nil, to: world.hostID(target))]
            }
            return [
                .isolate(
                    vm: id, host: from >= 0 ? world.hostID(from) : nil,
                    reason: "no quarantine host has room; isolated by anti-spoofing filter where it runs")
            ]
        case (.exposure, _):
            return [.exposure(subject: i.subject, since: time - lookback)]
        case (.markCompromised, .host(let id)):
            guard let h = world.index(ofHost: id) else {
                return [.skipped(action: action, reason: "unknown host \(id)")]
            }
            world.setHostState(h, .compromised)
            return [.markCompromised(host: id)]
        case (.evacuate, .host(let id)):
            guard let h = world.index(ofHost: id) else {
                return [.skipped(action: action, reason: "unknown host \(id)")]
            }
            return evacuate(h)
        default:
            return [
                .skipped(action: action, reason: "\(action.rawValue) does not apply to a \(i.subject.kind) subject")
            ]
        }
    }

    /// A good feasible host for `v` now (least loaded without soft violations, see `quickFeasibleHost`), or nil:
    /// incident response must decide in milliseconds, so it does not rank every host like `vigil place`.
    func bestHost(_ v: Int32) -> Int32? { world.quickFeasibleHost(v, cache: cache) }

    /// Every VM off host `h`, most sensitive first (hard policies binding it, then security level, then id).
    mutating func evacuate(_ h: Int32) -> [ResponseStep] {
        let vms = world.vms(on: h).map { v in (v, hardPolicies(v), world.vms[Int(v)].securityLevel) }.sorted {
            ($0.1, $0.2) != ($1.1, $1.2) ? ($0.1, $0.2) > ($1.1, $1.2) : world.vmID($0.0) < world.vmID($1.0)
        }.map(\.0)
        var steps: [ResponseStep] = []
        for v in vms {
            if let to = bestHost(v) {
                world.move(v, to: to)
                steps.append(.evacuate(vm: world.vmID(v), from: world.hostID(h), to: world.hostID(to)))
            } else {
                steps.append(.stranded(vm: world.vmID(v), host: world.hostID(h), reason: "no feasible host"))
            }
        }
        return steps
    }

    func hardPolicies(_ v: Int32) -> Int {
        world.binding[Int(v)].filter { world.policies[Int($0)].enforcement == .hard }.count
    }
}
