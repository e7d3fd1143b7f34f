import Crypto
import Foundation
import VigilCore
import VigilService
import VigilStore

/// What a `tenant:<id>` token sees (DESIGN §8): its own VMs by id; every other VM as an anonymous profile whose
/// `ref` is an HMAC of the VM id keyed per tenant (stable for that tenant, not linkable across tenants); hosts
/// by `ref` with their site, tier, jurisdiction and hypervisor. No other tenant's VM, tenant or host id ever
/// appears in an answer.
struct TenantView {
    let tenant: String
    let cmdb: Cmdb
    let placement: PlacementMap
    let incidentsByVM: [String: Int]
    let key: SymmetricKey

    init(tenant: String, db: VigilDatabase) throws {
        self.tenant = tenant
        cmdb = try db.loadCmdb()
        placement = PlacementMap(current: cmdb)
        var counts: [String: Int] = [:]
        for (_, i) in try db.incidents() { if case .vm(let v) = i.subject { counts[v, default: 0] += 1 } }
        incidentsByVM = counts
        // A key per tenant, derived from the database's secret: refs differ between tenants.
        let secret = SymmetricKey(data: try db.secret(named: "tenant-refs"))
        key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(tenant.utf8), using: secret)))
    }

    func ref(_ kind: String, _ id: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((kind + ":" + id).utf8), using: key)
        return kind + "-" + mac.prefix(10).map { String($0, radix: 16, zeroPaddedTo: 2) }.joined()
    }

    func owns(_ vm: String) -> Bool { cmdb.vms[vm]?.tenant == tenant }

    /// The tenant's VM, or a 404 that does not say whether the id exists elsewhere.
    func ownVM(_ id: String) throws -> VM {
        guard let vm = cmdb.vms[id], vm.tenant == tenant else {
            throw Problem(.notFound, "no such VM among this tenant's VMs")
        }
        return vm
    }

    func host(_ id: String?) -> JSONValue {
        guard let id, let h = cmdb.hosts[id] else { return .null }
        let site = cmdb.sites[h.site]
        return .object([
            ("ref", .string(ref("host", id))), ("site", .string(ref("site", h.site))),
            ("tier", .int(Int64(site?.tier ?? 0))), ("jurisdiction", .string(site?.jurisdiction ?? "")),
            ("hypervisor", DocumentEncoder.hypervisor(h.hypervisor)),
        ])
    }

    func profile(_ id: String) -> JSONValue {
        guard let vm = cmdb.vms[id] else { return .null }
        let own = vm.tenant == tenant
        return .object([
            own ? ("vm", .string(id)) : ("ref", .string(ref("vm", id))), ("sameTenant", .bool(own)),
            ("environment", .string(vm.environment)), ("securityLevel", .int(Int64(vm.securityLevel))),
            ("incidents", .int(Int64(incidentsByVM[id] ?? 0))),
        ])
    }

    var vmsJSON: JSONValue {
        .object([
            (
                "vms",
                .array(
                    cmdb.vms.values.filter { $0.tenant == tenant }.sorted { $0.id < $1.id }.map { vm in
                        .object([
                            ("id", .string(vm.id)), ("tenant", .string(tenant)),
                            ("environment", .string(vm.environment)), ("state", .string(vm.state.rawValue)),
                            ("host", placement.hostOf[vm.id].map { .string(ref("host", $0)) } ?? .null),
                            ("securityLevel", .int(Int64(vm.securityLevel))),
                        ])
                    })
            )
        ])
    }

    func vmJSON(_ vm: VM) -> JSONValue {
        .object([
            ("id", .string(vm.id)), ("tenant", .string(tenant)), ("environment", .string(vm.environment)),
            ("state", .string(vm.state.rawValue)), ("host", host(placement.hostOf[vm.id])),
            ("neighbours", .array(placement.neighbours(of: vm.id).map(profile))),
            ("securityLevel", .int(Int64(vm.securityLevel))), ("resources", DocumentEncoder.resources(vm.resources)),
            ("template", DocumentEncoder.template(vm.template)), ("nics", DocumentEncoder.nics(vm.nics)),
            ("labels", .labels(vm.labels)),
        ])
    }

    func historyJSON(_ vm: VM, intervals: [PlacementInterval]) -> JSONValue {
        .object([
            ("vm", .string(vm.id)),
            (
                "intervals",
                .array(
                    intervals.map {
                        .object([
                            ("host", .string(ref("host", $0.host))), ("from", .string(RFC3339.format($0.start))),
                            ("to", .optional($0.end.map(RFC3339.format))),
                        ])
                    })
            ),
            ("events", .array([])),
        ])
    }

    var tenantsJSON: JSONValue {
        .object([
            (
                "tenants",
                .array(
                    [
                        .object([
                            ("id", .string(tenant)), ("labels", .labels(cmdb.tenants[tenant]?.labels ?? [:])),
                            ("vms", .int(Int64(cmdb.vms.values.filter { $0.tenant == tenant }.count))),
                        ])
                    ])
            )
        ])
    }

    /// The incidents whose subject is one of the tenant's VMs, with their actions.
    func incidentsJSON(_ db: VigilDatabase) throws -> JSONValue {
        guard case .object(let members) = try IncidentJSON.list(db), case .array(let all) = members.first?.1 else {
            return .object([("incidents", .array([]))])
        }
        let own = all.filter { item in
            guard case .object(let fields) = item,
                case .object(let subject) = fields.first(where: { $0.0 == "subject" })?.1,
                let first = subject.first, first.0 == "vm", case .string(let id) = first.1
            else { return false }
            return owns(id)
        }
        return .object([("incidents", .array(own))])
    }
}
