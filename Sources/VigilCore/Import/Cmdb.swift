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
