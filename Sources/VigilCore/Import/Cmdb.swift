/// The configuration database as the import needs it: every entity by id and each VM's track.
public struct Cmdb: Sendable {
    public var sites: [String: Site] = [:]
    public var networks: [String: Network] = [:]
    public var hosts: [String: Host] = [:]
    public var tenants: [String: Tenant] = [:]
    public var vms: [String: VM] = [:]
    public var tracks: [String: VMTrack] = [:]
    public var incidentIDs: Set<String> = []

    public init() {}

    /// True before the first inventory import.
    public var isEmpty: Bool { hosts.isEmpty && vms.isEmpty }
}

extension Cmdb {
    /// Applies what an import wrote, so a caller that holds the CMDB in memory stays current without reloading.
    public mutating func apply(_ batch: ImportBatch) {
        for s in batch.sites { sites[s.id] = s }
        for n in batch.networks { networks[n.id] = n }
        for t in batch.tenants { tenants[t.id] = t }
        for h in batch.hosts { hosts[h.id] = h }
        for v in batch.vms { vms[v.id] = v }
        for (id, t) in batch.tracks { tracks[id] = t }
        for (_, i) in batch.incidents { incidentIDs.insert(i.id) }
    }
}
