import VigilCore

/// The CMDB at one moment, as the JSON of DESIGN §6 (`vigil show … --json`); the CLI adds its tables.
public struct StateView: Sendable {
    public let cmdb: Cmdb
    public let placement: PlacementMap

    public init(cmdb: Cmdb, placement: PlacementMap) {
        self.cmdb = cmdb
        self.placement = placement
    }

    public func vmJSON(_ vm: VM) -> JSONValue {
        .object([
            ("id", .string(vm.id)), ("tenant", .string(vm.tenant)), ("environment", .string(vm.environment)),
            ("state", .string(vm.state.rawValue)), ("host", .optional(placement.hostOf[vm.id])),
            ("neighbours", .strings(placement.neighbours(of: vm.id))), ("securityLevel", .int(Int64(vm.securityLevel))),
            ("resources", DocumentEncoder.resources(vm.resources)), ("template", DocumentEncoder.template(vm.template)),
            ("nics", DocumentEncoder.nics(vm.nics)), ("labels", .labels(vm.labels)),
        ])
    }

    public func hostJSON(_ h: Host) -> JSONValue {
        let used = placement.used(h.id, in: cmdb)
        return .object([
            ("id", .string(h.id)), ("site", .string(h.site)), ("role", .string(h.role.rawValue)),
            ("state", .string(h.state.rawValue)), ("vms", .strings(placement.vmsOn[h.id] ?? [])),
            ("networks", .strings(h.networks)), ("hypervisor", DocumentEncoder.hypervisor(h.hypervisor)),
            ("capacity", DocumentEncoder.resources(h.capacity)), ("used", DocumentEncoder.resources(used)),
            ("managementIps", .strings(h.managementIps)), ("labels", .labels(h.labels)),
        ])
    }

    public func sitesJSON() -> JSONValue {
        let counts = Dictionary(grouping: cmdb.hosts.values, by: \.site).mapValues(\.count)
        return .object([
            (
                "sites",
                .array(
                    cmdb.sites.values.sorted { $0.id < $1.id }.map {
                        .object([
                            ("id", .string($0.id)), ("tier", .int(Int64($0.tier))),
                            ("jurisdiction", .string($0.jurisdiction)),
                            ("hosts", .int(Int64(counts[$0.id] ?? 0))),
                        ])
                    })
            )
        ])
    }

    public func hostsJSON() -> JSONValue {
        .object([("hosts", .array(cmdb.hosts.values.sorted { $0.id < $1.id }.map(hostJSON)))])
    }

    public func vmsJSON() -> JSONValue {
        .object([
            (
                "vms",
                .array(
                    cmdb.vms.values.sorted { $0.id < $1.id }.map {
                        .object([
                            ("id", .string($0.id)), ("tenant", .string($0.tenant)),
                            ("environment", .string($0.environment)),
                            ("state", .string($0.state.rawValue)), ("host", .optional(placement.hostOf[$0.id])),
                            ("securityLevel", .int(Int64($0.securityLevel))),
                        ])
                    })
            )
        ])
    }

    public func tenantVMCounts() -> [String: Int] {
        Dictionary(grouping: cmdb.vms.values, by: \.tenant).mapValues(\.count)
    }

    public func tenantsJSON() -> JSONValue {
        let counts = tenantVMCounts()
        return .object([
            (
                "tenants",
                .array(
                    cmdb.tenants.values.sorted { $0.id < $1.id }.map {
                        .object([
                            ("id", .string($0.id)), ("labels", .labels($0.labels)),
                            ("vms", .int(Int64(counts[$0.id] ?? 0))),
                        ])
                    })
            )
        ])
    }
}
