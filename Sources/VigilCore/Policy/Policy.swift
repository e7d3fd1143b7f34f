/// Whether breaking a policy blocks placement (`hard`) or only lowers the rank (`soft`).
public enum Enforcement: String, Sendable, CaseIterable {
    case hard, soft
}

/// "At most `count` within `within` seconds" for incident and new-neighbour limits.
public struct CountWithin: Sendable, Hashable {
    public var count: Int
    public var within: Int64

    public init(count: Int, within: Int64) {
        self.count = count
        self.within = within
    }
}

/// `site` rules: minimum physical tier and allowed jurisdictions.
public struct SiteRules: Sendable, Hashable {
    public var minTier: Int?
    public var jurisdictions: [String]?

    public init(minTier: Int? = nil, jurisdictions: [String]? = nil) {
        self.minTier = minTier
        self.jurisdictions = jurisdictions
    }
}

/// `networks` rules: every attached network's zone must be listed.
public struct NetworkRules: Sendable, Hashable {
    public var zones: [String]?

    public init(zones: [String]? = nil) { self.zones = zones }
}

/// `hypervisor` rules over product, virtualisation type, version and vulnerabilities.
public struct HypervisorRules: Sendable, Hashable {
    public var products: [String]?
    public var virtualization: [String]?
    public var minVersion: [String: Version]?
    public var maxCvss: Double?
    /// When true, no vulnerability affecting the host may be known to be exploited (CISA KEV).
    public var noKnownExploited: Bool?

    public init(
        products: [String]? = nil, virtualization: [String]? = nil, minVersion: [String: Version]? = nil,
        maxCvss: Double? = nil, noKnownExploited: Bool? = nil
    ) {
        self.products = products
        self.virtualization = virtualization
        self.minVersion = minVersion
        self.maxCvss = maxCvss
        self.noKnownExploited = noKnownExploited
    }
}

/// `neighbours` rules over the other placed VMs on the host.
public struct NeighbourRules: Sendable, Hashable {
    public var max: Int?
    public var forbid: [Selector]?
    public var minSecurityLevel: Int?
    public var maxIncidents: CountWithin?
    public var maxNew: CountWithin?

    public init(
        max: Int? = nil, forbid: [Selector]? = nil, minSecurityLevel: Int? = nil, maxIncidents: CountWithin? = nil,
        maxNew: CountWithin? = nil
    ) {
        self.max = max
        self.forbid = forbid
        self.minSecurityLevel = minSecurityLevel
        self.maxIncidents = maxIncidents
        self.maxNew = maxNew
    }
}

/// The rules of one policy, grouped as in the document.
public struct PolicyRules: Sendable, Hashable {
    public var site: SiteRules?
    public var networks: NetworkRules?
    public var hypervisor: HypervisorRules?
    public var neighbours: NeighbourRules?

    public init(
        site: SiteRules? = nil, networks: NetworkRules? = nil, hypervisor: HypervisorRules? = nil,
        neighbours: NeighbourRules? = nil
    ) {
        self.site = site
        self.networks = networks
        self.hypervisor = hypervisor
        self.neighbours = neighbours
    }
}

/// A named policy binding the VMs its selector matches (all VMs when the selector is absent).
public struct Policy: Sendable, Hashable {
    public var name: String
    public var enforcement: Enforcement
    public var selector: Selector?
    public var rules: PolicyRules

    public init(name: String, enforcement: Enforcement, selector: Selector?, rules: PolicyRules) {
        self.name = name
        self.enforcement = enforcement
        self.selector = selector
        self.rules = rules
    }
}

/// A `PolicySet` document.
public struct PolicySet: Sendable {
    public var policies: [Policy]

    public init(policies: [Policy]) { self.policies = policies }
}
