/// An `Inventory` document: sites, networks, hosts, tenants and VMs as observed at one time.
public struct Inventory: Sendable {
    public var observedAt: Timestamp?
    public var sites: [Site]
    public var networks: [Network]
    public var hosts: [Host]
    public var tenants: [Tenant]
    public var vms: [VM]

    public init(
        observedAt: Timestamp? = nil, sites: [Site] = [], networks: [Network] = [], hosts: [Host] = [],
        tenants: [Tenant] = [], vms: [VM] = []
    ) {
        self.observedAt = observedAt
        self.sites = sites
        self.networks = networks
        self.hosts = hosts
        self.tenants = tenants
        self.vms = vms
    }
}
