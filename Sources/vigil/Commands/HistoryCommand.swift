import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil history --vm ID`: a VM's placements over time and the events about it.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A VM's placement intervals and the log records about it.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The VM.") var vm: String

    func run() throws {
        let history = try VMHistory(vm: vm, db: try common.open())
        if common.json {
            Console.json(history.json)
            return
        }
        var t = TextTable("HOST", "FROM", "TO")
        for i in history.intervals { t.add(i.host, RFC3339.format(i.start), i.end.map(RFC3339.format) ?? "(now)") }
        t.print()
        print("")
        var e = TextTable("SEQ", "TIME", "EVENT")
        for r in history.records { e.add(String(r.seq), RFC3339.format(r.time), r.body) }
        e.print()
    }
}
