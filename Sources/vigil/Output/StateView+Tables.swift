import VigilCore
import VigilService

/// Renders the CMDB at one moment as tables for people.
extension StateView {
    func printVM(_ vm: VM) {
        print("vm \(vm.id)  tenant \(vm.tenant)  environment \(vm.environment)  state \(vm.state.rawValue)")
        print(
            "host \(placement.hostOf[vm.id] ?? "-")  security level \(vm.securityLevel)  \(vm.resources.vcpus) vCPU / \(vm.resources.memoryMiB) MiB"
        )
        print("template \(vm.template.id) @ \(vm.template.patchLevel)")
        for n in vm.nics { print("nic \(n.mac)  \(n.ip)  on \(n.network)") }
        var t = TextTable("NEIGHBOUR", "TENANT", "ENVIRONMENT", "LEVEL")
        for id in placement.neighbours(of: vm.id) {
            let n = cmdb.vms[id]
            t.add(id, n?.tenant ?? "?", n?.environment ?? "?", n.map { String($0.securityLevel) } ?? "?")
        }
        t.print()
    }

    func printHost(_ h: Host) {
        let used = placement.used(h.id, in: cmdb)
        print("host \(h.id)  site \(h.site)  role \(h.role.rawValue)  state \(h.state.rawValue)")
        print(
            "\(h.hypervisor.product) \(h.hypervisor.version) (\(h.hypervisor.virtualization))  networks \(h.networks.joined(separator: ","))"
        )
        print("used \(used.vcpus)/\(h.capacity.vcpus) vCPU, \(used.memoryMiB)/\(h.capacity.memoryMiB) MiB")
        var t = TextTable("VM", "TENANT", "ENVIRONMENT", "LEVEL", "STATE")
        for id in placement.vmsOn[h.id] ?? [] {
            guard let v = cmdb.vms[id] else { continue }
            t.add(id, v.tenant, v.environment, String(v.securityLevel), v.state.rawValue)
        }
        t.print()
    }

    func printSites() {
        let counts = Dictionary(grouping: cmdb.hosts.values, by: \.site).mapValues(\.count)
        var t = TextTable("SITE", "TIER", "JURISDICTION", "HOSTS")
        for s in cmdb.sites.values.sorted(by: { $0.id < $1.id }) {
            t.add(s.id, String(s.tier), s.jurisdiction, String(counts[s.id] ?? 0))
        }
        t.print()
    }

    func printHosts() {
        var t = TextTable("HOST", "SITE", "ROLE", "STATE", "HYPERVISOR", "VCPU", "MEMORY MiB", "VMS")
        for h in cmdb.hosts.values.sorted(by: { $0.id < $1.id }) {
            let used = placement.used(h.id, in: cmdb)
            t.add(
                h.id, h.site, h.role.rawValue, h.state.rawValue,
                "\(h.hypervisor.product) \(h.hypervisor.version) \(h.hypervisor.virtualization)",
                "\(used.vcpus)/\(h.capacity.vcpus)", "\(used.memoryMiB)/\(h.capacity.memoryMiB)",
                String(placement.vmsOn[h.id]?.count ?? 0))
        }
        t.print()
    }

    func printVMs() {
        var t = TextTable("VM", "TENANT", "ENVIRONMENT", "LEVEL", "STATE", "HOST")
        for v in cmdb.vms.values.sorted(by: { $0.id < $1.id }) {
            t.add(
                v.id, v.tenant, v.environment, String(v.securityLevel), v.state.rawValue, placement.hostOf[v.id] ?? "-")
        }
        t.print()
    }

    func printTenants() {
        let counts = tenantVMCounts()
        var t = TextTable("TENANT", "LABELS", "VMS")
        for x in cmdb.tenants.values.sorted(by: { $0.id < $1.id }) {
            t.add(
                x.id, x.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                String(counts[x.id] ?? 0))
        }
        t.print()
    }
}
