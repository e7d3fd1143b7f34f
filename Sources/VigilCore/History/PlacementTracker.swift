/// A placement event that does not fit the history, with a message saying what to fix.
public struct HistoryError: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
}

/// Applies placement events to VM tracks, checking them, and collects the intervals they close.
/// After a batch, `closed` holds finished intervals and `touched` the VMs whose open interval changed.
public struct PlacementTracker: Sendable {
    public private(set) var tracks: [String: VMTrack]
    var hosts: Set<String>
    /// Intervals ended by the applied events (including ones open before the batch).
    public private(set) var closed: [PlacementInterval] = []
    /// VMs whose open interval was ended or started by the applied events.
    public private(set) var touched: Set<String> = []

    /// Starts from the tracks of known VMs and the ids of known hosts.
    public init(tracks: [String: VMTrack], hosts: Set<String>) {
        self.tracks = tracks
        self.hosts = hosts
    }

    /// Makes a host known to later events.
    public mutating func addHost(_ id: String) { hosts.insert(id) }

    /// Registers a VM first seen now (by an inventory), placed as given; `baseline` marks the first import.
    public mutating func introduce(vm: String, host: String?, state: VMState, at time: Timestamp, baseline: Bool) {
        var track = VMTrack(host: host, state: state, lastEvent: time, openStart: nil)
        if track.isPlaced {
            track.openStart = time
            track.openBaseline = baseline
            touched.insert(vm)
        }
        tracks[vm] = track
    }

    /// Applies one placement or state event; incidents are not placement events and are ignored here.
    public mutating func apply(_ event: Event) throws(HistoryError) {
        switch event.body {
        case .placed(let vm, let host):
            let track = try current(vm, at: event.time)
            try checkHost(host)
            if track.isPlaced, let h = track.host {
                throw HistoryError("\(vm) is already placed on \(h); use vm.migrated to move it")
            }
            move(vm, track, host: host, state: track.state == .stopped ? .running : track.state, at: event.time)
        case .migrated(let vm, let from, let to):
            let track = try current(vm, at: event.time)
            try checkHost(from)
            try checkHost(to)
            guard track.host == from else {
                throw HistoryError("\(vm) is on \(track.host ?? "no host"), not on \(from)")
            }
            guard from != to else { throw HistoryError("migration of \(vm) from \(from) to itself") }
            move(vm, track, host: to, state: track.state, at: event.time)
        case .removed(let vm):
            let track = try current(vm, at: event.time)
            guard track.host != nil else { throw HistoryError("\(vm) is not placed; nothing to remove") }
            move(vm, track, host: nil, state: track.state, at: event.time)
        case .stateChanged(let vm, let state):
            let track = try current(vm, at: event.time)
            move(vm, track, host: track.host, state: state, at: event.time)
        case .incident, .hostStateChanged:
            return
        }
    }

    func current(_ vm: String, at time: Timestamp) throws(HistoryError) -> VMTrack {
        guard let track = tracks[vm] else { throw HistoryError("unknown vm \"\(vm)\"") }
        if let last = track.lastEvent, time < last {
            throw HistoryError(
                "event at \(RFC3339.format(time)) is older than \(vm)'s last recorded event at \(RFC3339.format(last)); events of one VM must be in time order"
            )
        }
        return track
    }

    func checkHost(_ host: String) throws(HistoryError) {
        guard hosts.contains(host) else { throw HistoryError("unknown host \"\(host)\"") }
    }

    mutating func move(_ vm: String, _ old: VMTrack, host: String?, state: VMState, at time: Timestamp) {
        var new = old
        new.host = host
        new.state = state
        new.lastEvent = time
        let wasPlaced = old.isPlaced
        let nowPlaced = new.isPlaced
        let hostChanged = old.host != host
        if wasPlaced && (!nowPlaced || hostChanged), let h = old.host, let start = old.openStart {
            if time > start {
                closed.append(PlacementInterval(vm: vm, host: h, start: start, end: time, baseline: old.openBaseline))
            }
            new.openStart = nil
            new.openBaseline = false
            touched.insert(vm)
        }
        if nowPlaced && (!wasPlaced || hostChanged) {
            new.openStart = time
            new.openBaseline = false
            touched.insert(vm)
        }
        tracks[vm] = new
    }

    /// The open intervals of the touched VMs after the batch.
    public var openIntervalsOfTouched: [PlacementInterval] { openIntervals(of: touched.sorted()) }

    /// The open intervals of `vms` (placed ones only), in that order.
    public func openIntervals(of vms: [String]) -> [PlacementInterval] {
        vms.compactMap { vm in tracks[vm].flatMap { $0.isPlaced ? $0.openInterval(vm: vm) : nil } }
    }
}
