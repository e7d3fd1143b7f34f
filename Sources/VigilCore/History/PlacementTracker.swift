/// A placement event that does not fit the history, with a message saying what to fix.
public struct HistoryError: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
}

/// Applies placement events to VM tracks, checking them, and collects the intervals they close.
/// After a batch, `closed` holds finished intervals and `touched` the VMs whose open interval changed.
/// VMs and hosts are numbered (slots) when first seen, so applying an event costs one lookup per id and the
/// import can group its records and intervals by slot without hashing ids again.
public struct PlacementTracker: Sendable {
    /// Slot of each VM id; `vmIDs[slot]` and `states[slot]` are its id and track.
    private(set) var vmSlot: [String: Int32] = [:]
    private(set) var vmIDs: [String] = []
    private var states: [VMTrack] = []
    /// The slot of each VM's host (-1: none).
    private var hostOf: [Int32] = []
    /// Slot of each host id a VM or event named; `hostIDs[slot]` is the id, `isKnownHost[slot]` whether events
    /// may name it (a host of the CMDB).
    private(set) var hostSlot: [String: Int32] = [:]
    private(set) var hostIDs: [String] = []
    private var isKnownHost: [Bool] = []
    /// Intervals ended by the applied events (including ones open before the batch).
    public private(set) var closed: [PlacementInterval] = []
    /// The VM and host slot of each of `closed`.
    private(set) var closedVM: [Int32] = []
    private(set) var closedHost: [Int32] = []
    /// Slots whose open interval was ended or started by the applied events, in first-touch order.
    private(set) var touchedSlots: [Int32] = []
    private var isTouched: [Bool] = []

    /// Starts from the tracks of known VMs and the ids of known hosts.
    public init(tracks: [String: VMTrack], hosts: Set<String>) {
        vmSlot.reserveCapacity(tracks.count)
        vmIDs.reserveCapacity(tracks.count)
        states.reserveCapacity(tracks.count)
        for h in hosts.sorted() { addHost(h) }
        for (vm, track) in tracks { add(vm, track) }
    }

    /// Every VM's track by id, built on each call: look one VM up with `track(of:)`.
    public var tracks: [String: VMTrack] {
        Dictionary(uniqueKeysWithValues: zip(vmIDs, states))
    }

    /// VMs whose open interval was ended or started by the applied events.
    public var touched: Set<String> { Set(touchedSlots.map { vmIDs[Int($0)] }) }

    /// The track of `vm`, if known.
    public func track(of vm: String) -> VMTrack? { vmSlot[vm].map { states[Int($0)] } }

    /// The track in `slot`.
    func track(inSlot slot: Int32) -> VMTrack { states[Int(slot)] }

    @discardableResult
    private mutating func add(_ vm: String, _ track: VMTrack) -> Int32 {
        let host = track.host.map { slot(ofHost: $0) } ?? -1
        if let s = vmSlot[vm] {
            states[Int(s)] = track
            hostOf[Int(s)] = host
            return s
        }
        let s = Int32(vmIDs.count)
        vmSlot[vm] = s
        vmIDs.append(vm)
        states.append(track)
        hostOf.append(host)
        isTouched.append(false)
        return s
    }

    /// Makes a host known to later events.
    public mutating func addHost(_ id: String) {
        isKnownHost[Int(slot(ofHost: id))] = true
    }

    /// The slot of host `id`, numbering it (as not known) when first seen.
    private mutating func slot(ofHost id: String) -> Int32 {
        if let s = hostSlot[id] { return s }
        let s = Int32(hostIDs.count)
        hostSlot[id] = s
        hostIDs.append(id)
        isKnownHost.append(false)
        return s
    }

    /// Registers a VM first seen now (by an inventory), placed as given; `baseline` marks the first import.
    /// Returns the VM's slot.
    @discardableResult
    public mutating func introduce(
        vm: String, host: String?, state: VMState, at time: Timestamp, baseline: Bool
    ) -> Int32 {
        var track = VMTrack(host: host, state: state, lastEvent: time, openStart: nil)
        if track.isPlaced {
            track.openStart = time
            track.openBaseline = baseline
        }
        let slot = add(vm, track)
        if track.isPlaced { touch(slot) }
        return slot
    }

    private mutating func touch(_ slot: Int32) {
        if !isTouched[Int(slot)] {
            isTouched[Int(slot)] = true
            touchedSlots.append(slot)
        }
    }

    /// Applies one placement or state event; incidents are not placement events and are ignored here.
    /// Returns the slot of the VM the event moved (nil for incidents and host events).
    @discardableResult
    public mutating func apply(_ event: Event) throws(HistoryError) -> Int32? {
        switch event.body {
        case .placed(let vm, let host):
            let (slot, track) = try current(vm, at: event.time)
            let to = try checkHost(host)
            if track.isPlaced, let h = track.host {
                throw HistoryError("\(vm) is already placed on \(h); use vm.migrated to move it")
            }
            move(
                slot, track, host: host, hostSlot: to, state: track.state == .stopped ? .running : track.state,
                at: event.time)
            return slot
        case .migrated(let vm, let from, let to):
            let (slot, track) = try current(vm, at: event.time)
            // `from` is known when it is the VM's (known) host; otherwise it is checked, to name it if unknown.
            if track.host != from || !isKnownHost[Int(hostOf[Int(slot)])] { _ = try checkHost(from) }
            let toSlot = try checkHost(to)
            guard track.host == from else {
                throw HistoryError("\(vm) is on \(track.host ?? "no host"), not on \(from)")
            }
            guard from != to else { throw HistoryError("migration of \(vm) from \(from) to itself") }
            move(slot, track, host: to, hostSlot: toSlot, state: track.state, at: event.time)
            return slot
        case .removed(let vm):
            let (slot, track) = try current(vm, at: event.time)
            guard track.host != nil else { throw HistoryError("\(vm) is not placed; nothing to remove") }
            move(slot, track, host: nil, hostSlot: -1, state: track.state, at: event.time)
            return slot
        case .stateChanged(let vm, let state):
            let (slot, track) = try current(vm, at: event.time)
            move(slot, track, host: track.host, hostSlot: hostOf[Int(slot)], state: state, at: event.time)
            return slot
        case .incident, .hostStateChanged:
            return nil
        }
    }

    /// The slot of `vm`, if known.
    public func slot(of vm: String) -> Int32? { vmSlot[vm] }

    func current(_ vm: String, at time: Timestamp) throws(HistoryError) -> (Int32, VMTrack) {
        guard let slot = vmSlot[vm] else { throw HistoryError("unknown vm \"\(vm)\"") }
        let track = states[Int(slot)]
        if let last = track.lastEvent, time < last {
            throw HistoryError(
                "event at \(RFC3339.format(time)) is older than \(vm)'s last recorded event at \(RFC3339.format(last)); events of one VM must be in time order"
            )
        }
        return (slot, track)
    }

    func checkHost(_ host: String) throws(HistoryError) -> Int32 {
        guard let slot = hostSlot[host], isKnownHost[Int(slot)] else { throw HistoryError("unknown host \"\(host)\"") }
        return slot
    }

    mutating func move(
        _ slot: Int32, _ old: VMTrack, host: String?, hostSlot: Int32, state: VMState, at time: Timestamp
    ) {
        var new = old
        new.host = host
        new.state = state
        new.lastEvent = time
        let wasPlaced = old.isPlaced
        let nowPlaced = new.isPlaced
        let hostChanged = old.host != host
        if wasPlaced && (!nowPlaced || hostChanged), let h = old.host, let start = old.openStart {
            if time > start {
                closed.append(
                    PlacementInterval(
                        vm: vmIDs[Int(slot)], host: h, start: start, end: time, baseline: old.openBaseline))
                closedVM.append(slot)
                closedHost.append(hostOf[Int(slot)])
            }
            new.openStart = nil
            new.openBaseline = false
            touch(slot)
        }
        if nowPlaced && (!wasPlaced || hostChanged) {
            new.openStart = time
            new.openBaseline = false
            touch(slot)
        }
        states[Int(slot)] = new
        hostOf[Int(slot)] = hostSlot
    }

    /// The open intervals of the touched VMs after the batch.
    public var openIntervalsOfTouched: [PlacementInterval] { openIntervals(of: touched.sorted()) }

    /// The open intervals of `vms` (placed ones only), in that order.
    public func openIntervals(of vms: [String]) -> [PlacementInterval] {
        vms.compactMap { vm in track(of: vm).flatMap { $0.isPlaced ? $0.openInterval(vm: vm) : nil } }
    }
}
