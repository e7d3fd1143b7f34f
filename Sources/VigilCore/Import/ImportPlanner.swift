/// Checks parsed documents against the CMDB and computes the import's batch, or names the first error.
/// Pure: the caller loads the CMDB, passes the time of import and writes the batch in one transaction.
public struct ImportPlanner {
    var state: Cmdb
    var tracker: PlacementTracker
    /// Incidents this import adds (kept apart from `state`, so the CMDB's large id set is never copied).
    var newIncidents: Set<String> = []
    var batch = ImportBatch()
    /// VM slots whose attributes, placement or state the import changed.
    var changed: [Bool] = []
    var changedSlots: [Int32] = []
    let now: Timestamp
    /// False when the caller already holds the log records (`logEntries(ofHistory:)`): the batch then carries
    /// their VM slots only, and `entries` stays empty.
    var keepsEntries = true

    /// Plans the import of `documents` (any order; inventories are applied first) into `current`.
    public static func plan(
        current: Cmdb, documents: [SourceDocument], now: Timestamp, keepingEntries: Bool = true
    ) throws(DocumentError) -> ImportBatch {
        // A few events touch only the VMs and hosts they name: the tracker starts from those, not from every VM
        // (a long history names most VMs anyway, and collecting the names would only cost time).
        let events = documents.reduce(0) { n, d in if case .events(let e, _, _) = d.document { n + e.count } else { n }
        }
        let named = events * 4 < current.tracks.count ? EventsNamed(documents) : nil
        var planner = ImportPlanner(current: current, now: now, only: named)
        planner.keepsEntries = keepingEntries
        let ordered = documents.enumerated().sorted {
            ($0.element.document.importOrder, $0.offset) < ($1.element.document.importOrder, $1.offset)
        }
        for (_, doc) in ordered { try planner.apply(doc) }
        return planner.finish()
    }

    /// The log records an import of `documents` will append when they are event history only (nil otherwise),
    /// known before checking: every event is recorded, in order, as `record` does.
    public static func logEntries(ofHistory documents: [SourceDocument]) -> [LogEntry]? {
        var out: [LogEntry] = []
        for d in documents {
            guard case .events(let events, _, let sources) = d.document else { return nil }
            out.reserveCapacity(out.count + events.count)
            for (i, e) in events.enumerated() { out.append(LogEntry(event: e, source: sources?[i])) }
        }
        return out
    }

    init(current: Cmdb, now: Timestamp, only named: EventsNamed? = nil) {
        self.state = current
        if let named {
            var tracks: [String: VMTrack] = [:]
            var hosts = Set(named.hosts.filter { current.hosts[$0] != nil })
            for vm in named.vms {
                guard let t = current.tracks[vm] else { continue }
                tracks[vm] = t
                if let h = t.host, current.hosts[h] != nil { hosts.insert(h) }
            }
            self.tracker = PlacementTracker(tracks: tracks, hosts: hosts)
        } else {
            self.tracker = PlacementTracker(tracks: current.tracks, hosts: Set(current.hosts.keys))
        }
        self.now = now
    }

    mutating func apply(_ doc: SourceDocument) throws(DocumentError) {
        switch doc.document {
        case .inventory(let inventory, let lines):
            try applyInventory(inventory, lines: lines, file: doc.file, text: doc.text)
        case .policySet, .vulnerabilityFeed, .knownExploited, .playbooks:
            let kind = doc.document.kind
            batch.entries.append(LogEntry(time: now, type: "document.\(kind)", vm: nil, body: doc.text))
            batch.slots.entryVM.append(-1)
            batch.documents.append((kind, doc.text))
        case .events(let events, let lines, let sources):
            try applyEvents(events, lines: lines, sources: sources, file: doc.file)
        }
    }

    mutating func applyInventory(_ inv: Inventory, lines: FieldLines, file: String, text: String)
        throws(DocumentError)
    {
        func fail(_ path: String, _ message: String) -> DocumentError {
            DocumentError(file: file, line: lines.line(of: path), path: path, message: message)
        }
        let first = state.isEmpty
        let time = inv.observedAt ?? now
        for s in inv.sites { state.sites[s.id] = s }
        for n in inv.networks { state.networks[n.id] = n }
        for t in inv.tenants { state.tenants[t.id] = t }
        for (i, h) in inv.hosts.enumerated() {
            guard state.sites[h.site] != nil else { throw fail("hosts[\(i)].site", "unknown site \"\(h.site)\"") }
            for (k, n) in h.networks.enumerated() where state.networks[n] == nil {
                throw fail("hosts[\(i)].networks[\(k)]", "unknown network \"\(n)\"")
            }
            state.hosts[h.id] = h
            tracker.addHost(h.id)
        }
        for (i, vm) in inv.vms.enumerated() {
            guard state.tenants[vm.tenant] != nil else {
                throw fail("vms[\(i)].tenant", "unknown tenant \"\(vm.tenant)\"")
            }
            if let h = vm.host, state.hosts[h] == nil { throw fail("vms[\(i)].host", "unknown host \"\(h)\"") }
            for (k, nic) in vm.nics.enumerated() where state.networks[nic.network] == nil {
                throw fail("vms[\(i)].nics[\(k)].network", "unknown network \"\(nic.network)\"")
            }
        }
        let inDocument = Dictionary(inv.vms.enumerated().map { ($0.element.id, $0.offset) }) { a, _ in a }
        try checkAddresses(inDocument: inDocument, incoming: inv.vms, fail: fail)
        batch.entries.append(LogEntry(time: time, type: "document.Inventory", vm: nil, body: text))
        batch.slots.entryVM.append(-1)
        batch.sites += inv.sites
        batch.networks += inv.networks
        batch.tenants += inv.tenants
        batch.hosts += inv.hosts
        for (i, vm) in inv.vms.enumerated() {
            let known = state.vms[vm.id] != nil
            batch.addressChanges += AddressChange.between(
                vm: vm.id, old: state.vms[vm.id]?.nics, new: vm.nics, at: time, first: first)
            state.vms[vm.id] = vm
            batch.editedVMs.insert(vm.id)
            if !known {
                let slot = tracker.introduce(vm: vm.id, host: vm.host, state: vm.state, at: time, baseline: first)
                markChanged(slot)
                if !first && vm.isPlaced, let h = vm.host {
                    record(Event(time: time, body: .placed(vm: vm.id, host: h)), slot: slot)
                }
                continue
            }
            guard let slot = tracker.slot(of: vm.id) else { continue }
            markChanged(slot)
            let old = tracker.track(inSlot: slot)
            var events: [Event] = []
            if old.host != vm.host {
                switch (old.host, vm.host) {
                case (nil, let new?): events.append(Event(time: time, body: .placed(vm: vm.id, host: new)))
                case (_?, nil): events.append(Event(time: time, body: .removed(vm: vm.id)))
                case (let from?, let to?):
                    events.append(Event(time: time, body: .migrated(vm: vm.id, from: from, to: to)))
                case (nil, nil): break
                }
            }
            if old.state != vm.state {
                let change = Event(time: time, body: .stateChanged(vm: vm.id, state: vm.state))
                // Stop before leaving, start after arriving: keeps `vm.placed` valid for a stopped VM.
                if vm.state == .stopped { events.insert(change, at: 0) } else { events.append(change) }
            }
            for e in events {
                do throws(HistoryError) {
                    try tracker.apply(e)
                } catch {
                    throw fail("vms[\(i)]", error.message)
                }
                record(e, slot: slot)
            }
        }
    }

    /// No IP or MAC may belong to two VMs at once (across the CMDB after this document).
    func checkAddresses(
        inDocument: [String: Int], incoming: [VM], fail: (String, String) -> DocumentError
    ) throws(DocumentError) {
        var ipOwner: [String: String] = [:]
        var macOwner: [String: String] = [:]
        ipOwner.reserveCapacity(state.vms.count)
        macOwner.reserveCapacity(state.vms.count)
        // VMs the document leaves alone first (they cannot clash with each other: the CMDB holds no clash), then
        // the document's in order: a clash is reported at the document's VM, naming the VM it clashes with.
        let ordered = state.vms.values.lazy.filter { inDocument[$0.id] == nil } + incoming
        for vm in ordered {
            for (k, nic) in vm.nics.enumerated() {
                if let other = ipOwner[nic.ip], other != vm.id {
                    let path = inDocument[vm.id].map { "vms[\($0)].nics[\(k)].ip" } ?? "vms"
                    throw fail(path, "ip \(nic.ip) of \(vm.id) is already owned by \(other)")
                }
                ipOwner[nic.ip] = vm.id
                if let other = macOwner[nic.mac], other != vm.id {
                    let path = inDocument[vm.id].map { "vms[\($0)].nics[\(k)].mac" } ?? "vms"
                    throw fail(path, "mac \(nic.mac) of \(vm.id) is already owned by \(other)")
                }
                macOwner[nic.mac] = vm.id
            }
        }
    }

    mutating func applyEvents(_ events: [Event], lines: [Int], sources: [String]?, file: String)
        throws(DocumentError)
    {
        for (i, e) in events.enumerated() {
            func fail(_ message: String) -> DocumentError {
                DocumentError(file: file, line: lines[i], path: "", message: message)
            }
            if case .hostStateChanged(let host, let hostState) = e.body {
                guard var h = state.hosts[host] else { throw fail("host: unknown host \"\(host)\"") }
                h.state = hostState
                state.hosts[host] = h
                batch.hosts.append(h)
            } else if case .incident(let incident) = e.body {
                guard !state.incidentIDs.contains(incident.id), !newIncidents.contains(incident.id) else {
                    throw fail("incident.id: duplicate incident id \"\(incident.id)\"")
                }
                // A known VM is one the tracker numbered (every VM of the CMDB has a track).
                var slot: Int32 = -1
                switch incident.subject {
                case .vm(let v):
                    guard let s = tracker.slot(of: v) else { throw fail("incident.subject.vm: unknown vm \"\(v)\"") }
                    slot = s
                case .host(let h) where state.hosts[h] == nil:
                    throw fail("incident.subject.host: unknown host \"\(h)\"")
                default: break
                }
                newIncidents.insert(incident.id)
                batch.incidents.append((e.time, incident))
                record(e, body: sources?[i], slot: slot)
                continue
            } else {
                do throws(HistoryError) {
                    if let slot = try tracker.apply(e) {
                        record(e, body: sources?[i], slot: slot)
                        continue
                    }
                } catch {
                    throw fail(error.message)
                }
            }
            record(e, body: sources?[i], slot: -1)
        }
    }

    /// Appends the log record of `e`, about the VM in `slot` (-1: none). A placement or state event changes the
    /// VM's row; an incident only adds to its records.
    mutating func record(_ e: Event, body: String? = nil, slot: Int32) {
        if keepsEntries { batch.entries.append(LogEntry(event: e, source: body)) }
        batch.slots.entryVM.append(slot)
        batch.eventCount += 1
        if case .incident = e.body { return }
        if slot >= 0 { markChanged(slot) }
    }

    mutating func markChanged(_ slot: Int32) {
        let k = Int(slot)
        if k >= changed.count { changed += [Bool](repeating: false, count: k - changed.count + 1) }
        if !changed[k] {
            changed[k] = true
            changedSlots.append(slot)
        }
    }

    mutating func finish() -> ImportBatch {
        let ids = tracker.vmIDs
        for slot in changedSlots.sorted(by: { ids[Int($0)] < ids[Int($1)] }) {
            let id = ids[Int(slot)]
            guard var vm = state.vms[id] else { continue }
            let track = tracker.track(inSlot: slot)
            vm.host = track.host
            vm.state = track.state
            batch.vms.append(vm)
            batch.tracks[id] = track
            batch.slots.vmOf.append(slot)
        }
        batch.closedIntervals = tracker.closed
        batch.slots.closedVM = tracker.closedVM
        batch.slots.closedHost = tracker.closedHost
        batch.slots.vmIDs = ids
        batch.slots.hostIDs = tracker.hostIDs
        return batch
    }
}

/// The VMs and hosts a set of event documents names (nil when any document is not events).
struct EventsNamed {
    var vms: Set<String> = []
    var hosts: Set<String> = []

    init?(_ documents: [SourceDocument]) {
        for d in documents {
            guard case .events(let events, _, _) = d.document else { return nil }
            for e in events {
                switch e.body {
                case .placed(let vm, let host):
                    vms.insert(vm)
                    hosts.insert(host)
                case .migrated(let vm, let from, let to):
                    vms.insert(vm)
                    hosts.insert(from)
                    hosts.insert(to)
                case .removed(let vm), .stateChanged(let vm, _): vms.insert(vm)
                case .hostStateChanged(let host, _): hosts.insert(host)
                case .incident(let i):
                    switch i.subject {
                    case .vm(let vm): vms.insert(vm)
                    case .host(let host): hosts.insert(host)
                    case .unmatched: break
                    }
                }
            }
        }
    }
}
