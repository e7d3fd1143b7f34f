import VigilCore

/// The size and seed of a generated datacenter.
public struct GeneratorConfig: Sendable, Hashable {
    public var sites: Int
    public var hosts: Int
    public var vms: Int
    public var tenants: Int
    public var days: Int
    public var events: Int
    public var seed: UInt64
    /// When the generated history starts (the inventory's `observedAt`).
    public var start: Timestamp

    public init(
        sites: Int = 3, hosts: Int = 60, vms: Int = 1000, tenants: Int = 20, days: Int = 90, events: Int? = nil,
        seed: UInt64 = 1, start: Timestamp = 1_788_220_800  // 2026-09-01T00:00:00Z
    ) {
        self.sites = max(1, sites)
        self.hosts = max(self.sites * 2, hosts)
        self.vms = max(1, vms)
        self.tenants = max(1, tenants)
        self.days = max(1, days)
        self.events = events ?? vms * 10
        self.seed = seed
        self.start = start
    }
}
