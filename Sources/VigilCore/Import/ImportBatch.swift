/// One record to append to the event log: its time, type, VM (if any) and canonical body.
public struct LogEntry: Sendable, Hashable {
    public var time: Timestamp
    public var type: String
    public var vm: String?
    public var body: String

    public init(time: Timestamp, type: String, vm: String?, body: String) {
        self.time = time
        self.type = type
        self.vm = vm
        self.body = body
    }
}

/// Everything one import changes, computed before anything is written so it can be applied atomically.
public struct ImportBatch: Sendable {
    /// Log records, in order.
    public var entries: [LogEntry] = []
    public var sites: [Site] = []
    public var networks: [Network] = []
    public var hosts: [Host] = []
    public var tenants: [Tenant] = []
    /// VMs to write (attributes, host and state as after the import) with their tracks.
    public var vms: [VM] = []
    public var tracks: [String: VMTrack] = [:]
    /// VMs among `vms` whose attributes an inventory (re)states; the others changed placement or state only.
    public var editedVMs: Set<String> = []
    /// Intervals that ended; they replace the open interval rows of `touchedVMs`.
    public var closedIntervals: [PlacementInterval] = []
    /// Open intervals of `touchedVMs` after the import.
    public var openIntervals: [PlacementInterval] = []
    /// Open intervals of `touchedVMs` before the import (their rows are replaced).
    public var replacedOpenIntervals: [PlacementInterval] = []
    public var touchedVMs: [String] = []
    public var incidents: [(time: Timestamp, incident: Incident)] = []
    /// Latest text of policy and vulnerability documents by kind.
    public var documents: [(kind: String, text: String)] = []
    /// Placement and incident events recorded (document records excluded).
    public var eventCount: Int = 0

    public init() {}
}
