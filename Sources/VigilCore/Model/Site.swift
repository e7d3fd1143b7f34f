/// A data centre with its physical protection tier (1..4) and legal jurisdiction.
public struct Site: Sendable, Hashable {
    public var id: String
    public var tier: Int
    public var jurisdiction: String

    public init(id: String, tier: Int, jurisdiction: String) {
        self.id = id
        self.tier = tier
        self.jurisdiction = jurisdiction
    }
}

/// A network (subnet) and the security zone it belongs to.
public struct Network: Sendable, Hashable {
    public var id: String
    public var zone: String

    public init(id: String, zone: String) {
        self.id = id
        self.zone = zone
    }
}

/// A tenant (customer) and its labels, e.g. `tier: gold`.
public struct Tenant: Sendable, Hashable {
    public var id: String
    public var labels: [String: String]

    public init(id: String, labels: [String: String] = [:]) {
        self.id = id
        self.labels = labels
    }
}

/// vCPUs and memory: a host's capacity or a VM's demand.
public struct Resources: Sendable, Hashable {
    public var vcpus: Int
    public var memoryMiB: Int

    public init(vcpus: Int, memoryMiB: Int) {
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
    }
}
