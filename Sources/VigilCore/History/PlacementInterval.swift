/// "VM `vm` was placed on `host` from `start` until `end`" (nil end: still there). Half-open: [start, end).
public struct PlacementInterval: Sendable, Hashable {
    public var vm: String
    public var host: String
    public var start: Timestamp
    public var end: Timestamp?
    /// True when the placement was already there at the first inventory import (not a placement event).
    public var baseline: Bool

    public init(vm: String, host: String, start: Timestamp, end: Timestamp?, baseline: Bool = false) {
        self.vm = vm
        self.host = host
        self.start = start
        self.end = end
        self.baseline = baseline
    }
}

/// Where a VM stands in the history: its host, state, last event and open interval.
public struct VMTrack: Sendable, Hashable {
    public var host: String?
    public var state: VMState
    public var lastEvent: Timestamp?
    public var openStart: Timestamp?
    public var openBaseline: Bool

    public init(
        host: String?, state: VMState, lastEvent: Timestamp?, openStart: Timestamp?, openBaseline: Bool = false
    ) {
        self.host = host
        self.state = state
        self.lastEvent = lastEvent
        self.openStart = openStart
        self.openBaseline = openBaseline
    }

    var isPlaced: Bool { host != nil && state != .stopped }

    /// The interval the track has open (host and start known), whether or not the VM still counts as placed.
    public func openInterval(vm: String) -> PlacementInterval? {
        guard let host, let openStart else { return nil }
        return PlacementInterval(vm: vm, host: host, start: openStart, end: nil, baseline: openBaseline)
    }
}
