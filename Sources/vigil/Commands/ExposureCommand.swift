import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil exposure --vm ID|--host ID [--since T] [--until T]`.
struct ExposureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "Who shared a host with a VM (or was placed on a host) inside a time window.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption

    @Option(help: "The VM whose neighbours to list.") var vm: String?
    @Option(help: "The host whose VMs to list.") var host: String?
    @Option(help: "Start of the window (RFC 3339); default: start of the history.") var since: String?
    @Option(help: "End of the window (RFC 3339); default: --at or now.") var until: String?

    func validate() throws {
        guard (vm == nil) != (host == nil) else { throw ValidationError("give exactly one of --vm or --host") }
    }

    func run() throws {
        let db = try common.open()
        let end = try until.map { try parseTime($0, option: "--until") } ?? at.resolve()
        let start = try since.map { try parseTime($0, option: "--since") } ?? (try db.historyStart() ?? end)
        guard start <= end else { throw CLIError("--since must not be after --until") }
        let report =
            if let vm { try ExposureReport.forVM(vm, db: db, since: start, until: end) } else {
                try ExposureReport.forHost(host ?? "", db: db, since: start, until: end)
            }
        common.json ? Console.json(report.json) : report.printTable()
    }
}
