import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil show sites|hosts|vms|tenants` and `vigil show vm ID` / `host ID`.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show sites, hosts, VMs or tenants, or one VM or host with its neighbours.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption

    @Argument(help: "sites | hosts | vms | tenants | vm | host")
    var what: String

    @Argument(help: "The id, for `vm` and `host`.")
    var id: String?

    func validate() throws {
        guard ["sites", "hosts", "vms", "tenants", "vm", "host"].contains(what) else {
            throw ValidationError("show what? use sites, hosts, vms, tenants, vm ID or host ID")
        }
        if (what == "vm" || what == "host") && id == nil { throw ValidationError("`show \(what)` needs an id") }
    }

    func run() throws {
        let db = try common.open()
        let cmdb = try db.loadCmdb()
        let placement =
            at.at == nil ? PlacementMap(current: cmdb) : PlacementMap(try db.placements(at: try at.resolve()))
        let view = StateView(cmdb: cmdb, placement: placement)
        let id = self.id ?? ""
        switch what {
        case "vm":
            guard let vm = cmdb.vms[id] else { throw CLIError("unknown vm \"\(id)\"") }
            common.json ? Console.json(view.vmJSON(vm)) : view.printVM(vm)
        case "host":
            guard let host = cmdb.hosts[id] else { throw CLIError("unknown host \"\(id)\"") }
            common.json ? Console.json(view.hostJSON(host)) : view.printHost(host)
        case "sites": common.json ? Console.json(view.sitesJSON()) : view.printSites()
        case "hosts": common.json ? Console.json(view.hostsJSON()) : view.printHosts()
        case "tenants": common.json ? Console.json(view.tenantsJSON()) : view.printTenants()
        default: common.json ? Console.json(view.vmsJSON()) : view.printVMs()
        }
    }
}
