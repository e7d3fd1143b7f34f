/// How one selector field matches a value (DESIGN §2).
public enum FieldMatch: Sendable, Hashable {
    /// Equal to the string.
    case equals(String)
    /// Equal to any string of the list.
    case anyOf([String])
    /// Written `"!x"`: not equal to x.
    case not(String)
    /// `self`, only in `forbid`: equal to the bound VM's own value.
    case sameAsSelf
    /// `!self`, only in `forbid`: different from the bound VM's own value.
    case differentFromSelf

    /// Whether `value` matches; `own` is the bound VM's value for `self`/`!self`.
    /// A missing value (nil) matches only `"!x"` and `!self` with a present own value.
    public func matches(_ value: String?, own: String? = nil) -> Bool {
        switch self {
        case .equals(let x): return value == x
        case .anyOf(let xs): return value.map { xs.contains($0) } ?? false
        case .not(let x): return value != x
        case .sameAsSelf: return value != nil && value == own
        case .differentFromSelf: return value != own
        }
    }
}

/// An AND of field matches selecting VMs: `id`, `tenant`, `environment`, `labels`, `tenantLabels`.
public struct Selector: Sendable, Hashable {
    public var id: FieldMatch?
    public var tenant: FieldMatch?
    public var environment: FieldMatch?
    public var labels: [String: FieldMatch]
    public var tenantLabels: [String: FieldMatch]

    public init(
        id: FieldMatch? = nil, tenant: FieldMatch? = nil, environment: FieldMatch? = nil,
        labels: [String: FieldMatch] = [:], tenantLabels: [String: FieldMatch] = [:]
    ) {
        self.id = id
        self.tenant = tenant
        self.environment = environment
        self.labels = labels
        self.tenantLabels = tenantLabels
    }
}
