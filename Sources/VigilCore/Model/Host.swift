/// What a host is for: general workloads or holding quarantined VMs.
public enum HostRole: String, Sendable, CaseIterable {
    case general, quarantine
}

/// A host's operational state; only `active` hosts take new VMs.
public enum HostState: String, Sendable, CaseIterable {
    case active, maintenance, compromised
}

/// The virtualisation software of a host: product, version and virtualisation type.
public struct Hypervisor: Sendable, Hashable {
    public var product: String
    public var version: Version
    public var virtualization: String

    public init(product: String, version: Version, virtualization: String) {
        self.product = product
        self.version = version
        self.virtualization = virtualization
    }
}

/// A physical host in a site, attached to networks, running one hypervisor.
public struct Host: Sendable, Hashable {
    public var id: String
    public var site: String
    public var networks: [String]
    public var hypervisor: Hypervisor
    public var capacity: Resources
    public var role: HostRole
    public var state: HostState
    public var managementIps: [String]
    public var labels: [String: String]

    public init(
        id: String, site: String, networks: [String], hypervisor: Hypervisor, capacity: Resources,
        role: HostRole = .general, state: HostState = .active, managementIps: [String] = [],
        labels: [String: String] = [:]
    ) {
        self.id = id
        self.site = site
        self.networks = networks
        self.hypervisor = hypervisor
        self.capacity = capacity
        self.role = role
        self.state = state
        self.managementIps = managementIps
        self.labels = labels
    }
}
