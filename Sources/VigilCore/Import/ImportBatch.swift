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

    /// The record of an event: its line as read (`source`), or its canonical JSON when built in memory.
    public init(event e: Event, source: String?) {
        self.init(time: e.time, type: e.type, vm: e.vm, body: source ?? e.jsonLine)
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
    /// Intervals that ended (open intervals are the VMs' tracks).
    public var closedIntervals: [PlacementInterval] = []
    /// Slots of the VMs and hosts named above, for grouping without hashing ids.
    public var slots = ImportSlots()
    public var incidents: [(time: Timestamp, incident: Incident)] = []
    /// Latest text of policy and vulnerability documents by kind.
    public var documents: [(kind: String, text: String)] = []
    /// Placement and incident events recorded (document records excluded).
    public var eventCount: Int = 0
    /// IP addresses VMs start or stop holding (re-imported inventories), in order.
    public var addressChanges: [AddressChange] = []

    public init() {}
}

/// Small integer ids (slots) of the VMs and hosts an import names, so the writer can group records and intervals
/// by VM and by host with array indexing instead of a million dictionary lookups. Every record naming a VM and
/// every closed interval has a slot; -1 marks a record that names no VM.
public struct ImportSlots: Sendable {
    /// VM id of each slot.
    public var vmIDs: [String] = []
    /// Host id of each slot.
    public var hostIDs: [String] = []
    /// VM slot of each of `entries`.
    public var entryVM: [Int32] = []
    /// VM and host slot of each of `closedIntervals`.
    public var closedVM: [Int32] = []
    public var closedHost: [Int32] = []
    /// VM slot of each of `vms`.
    public var vmOf: [Int32] = []

    public init() {}
}
