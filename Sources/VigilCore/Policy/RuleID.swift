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
    case hypervisorNoKnownExploited = "hypervisor.noKnownExploited"
    case neighboursMax = "neighbours.max"
    case neighboursForbid = "neighbours.forbid"
    case neighboursMinSecurityLevel = "neighbours.minSecurityLevel"
    case neighboursMaxIncidents = "neighbours.maxIncidents"
    case neighboursMaxNew = "neighbours.maxNew"

    var order: Int {
        guard let order = Self.orders[self] else { preconditionFailure("orders numbers every case of allCases") }
        return order
    }
    private static let orders = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    public static func < (l: RuleID, r: RuleID) -> Bool { l.order < r.order }

    /// Whether the rule is about the VM's neighbours (so other VMs' moves can change it).
    public var isNeighbourRule: Bool {
        switch self {
        case .neighboursMax, .neighboursForbid, .neighboursMinSecurityLevel, .neighboursMaxIncidents, .neighboursMaxNew:
            true
        default: false
        }
    }
}

/// A broken rule: the related VMs (e.g. the forbidden neighbours) and a human detail. The detail is only
/// written when someone reads it: audits and incremental updates check far more often than they report.
public struct RuleFinding: Sendable, Hashable {
    let makeDetail: @Sendable () -> String
    let storedRelated: [Int32]
    let makeRelated: (@Sendable () -> [Int32])?

    /// The human explanation.
    public var detail: String { makeDetail() }

    /// The VMs the finding is about (e.g. the forbidden neighbours), ascending by dense index.
    public var related: [Int32] { makeRelated?() ?? storedRelated }

    public init(_ detail: @autoclosure @escaping @Sendable () -> String, related: [Int32] = []) {
        self.makeDetail = detail
        self.storedRelated = related
        self.makeRelated = nil
    }

    /// A finding whose related VMs are also listed only when someone asks (long lists, often never read).
    public init(_ detail: @autoclosure @escaping @Sendable () -> String, lazyRelated: @escaping @Sendable () -> [Int32])
    {
        self.makeDetail = detail
        self.storedRelated = []
        self.makeRelated = lazyRelated
    }

    public static func == (l: RuleFinding, r: RuleFinding) -> Bool { l.related == r.related && l.detail == r.detail }

    public func hash(into h: inout Hasher) { h.combine(related) }
}
