import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil antispoof --host ID --format nft|libvirt`: the anti-spoofing rules of a host's VMs.
struct AntispoofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "antispoof",
        abstract: "Render a host's anti-spoofing rules as an nftables bridge table or libvirt filterrefs.")

    @OptionGroup var common: CommonOptions
    @Option(help: "The host.") var host: String
    @Option(help: "nft or libvirt.") var format = "nft"

    func validate() throws {
        guard format == "nft" || format == "libvirt" else { throw ValidationError("--format is nft or libvirt") }
    }

    func run() throws {
        let cmdb = try common.open().loadCmdb()
        guard cmdb.hosts[host] != nil else { throw CLIError("unknown host \"\(host)\"") }
        let rules = AntiSpoofRule.rules(on: host, cmdb: cmdb)
        print(
            format == "nft"
                ? NftablesRenderer.render(host: host, rules: rules) : LibvirtFilterRenderer.render(rules: rules),
            terminator: "")
    }
}
