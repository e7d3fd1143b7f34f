/// The rule ids of DESIGN §2, in the order they are checked (base constraints first).
public enum RuleID: String, Sendable, CaseIterable, Comparable {
    case baseCapacity = "base.capacity"
    case baseNetworks = "base.networks"
    case baseHostState = "base.hostState"
    case baseRole = "base.role"
    case siteMinTier = "site.minTier"
    case siteJurisdictions = "site.jurisdictions"
    case networksZones = "networks.zones"
    case hypervisorProducts = "hypervisor.products"
    case hypervisorVirtualization = "hypervisor.virtualization"
    case hypervisorMinVersion = "hypervisor.minVersion"
    case hypervisorMaxCvss = "hypervisor.maxCvss"
    case neighboursMax = "neighbours.max"
    case neighboursForbid = "neighbours.forbid"
    case neighboursMinSecurityLevel = "neighbours.minSecurityLevel"
    case neighboursMaxIncidents = "neighbours.maxIncidents"
    case neighboursMaxNew = "neighbours.maxNew"

    var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (l: RuleID, r: RuleID) -> Bool { l.order < r.order }

    /// Whether the rule is about the VM's neighbours (so other VMs' moves can change it).
    public var isNeighbourRule: Bool { rawValue.hasPrefix("neighbours.") }
}

/// A broken rule: a human detail and the related VMs (e.g. the forbidden neighbours).
public struct RuleFinding: Sendable, Hashable {
    public var detail: String
    public var related: [Int32]

    public init(_ detail: String, related: [Int32] = []) {
        self.detail = detail
        self.related = related
    }
}
