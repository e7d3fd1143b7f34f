/// Which placed VMs are on which host at one moment, with per-host usage.
public struct PlacementMap: Sendable {
    /// Host of each placed VM.
    public let hostOf: [String: String]
    /// Placed VMs of each host, sorted by id.
    public let vmsOn: [String: [String]]

    /// The placement as in `vm → host`.
    public init(_ hostOf: [String: String]) {
        self.hostOf = hostOf
        var on: [String: [String]] = [:]
        for (vm, host) in hostOf { on[host, default: []].append(vm) }
        for k in on.keys { on[k]?.sort() }
        self.vmsOn = on
    }

    /// The current placement of a CMDB (placed VMs only).
    public init(current cmdb: Cmdb) {
        var m: [String: String] = [:]
        for (id, vm) in cmdb.vms where vm.isPlaced { m[id] = vm.host }
        self.init(m)
    }

    /// Other placed VMs on the same host as `vm`.
    public func neighbours(of vm: String) -> [String] {
        guard let h = hostOf[vm] else { return [] }
        return (vmsOn[h] ?? []).filter { $0 != vm }
    }

    /// Summed demand of the VMs placed on `host`.
    public func used(_ host: String, in cmdb: Cmdb) -> Resources {
        var r = Resources(vcpus: 0, memoryMiB: 0)
        for id in vmsOn[host] ?? [] {
            guard let vm = cmdb.vms[id] else { continue }
            r.vcpus += vm.resources.vcpus
            r.memoryMiB += vm.resources.memoryMiB
        }
        return r
    }
}
