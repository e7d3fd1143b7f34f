import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil incidents`: incidents with the actions taken for each.
struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "List incidents and the actions taken.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let db = try common.open()
        if common.json {
            Console.json(try IncidentJSON.list(db))
            return
        }
        let actions = try db.actions()
        var t = TextTable("INCIDENT", "TIME", "SEVERITY", "SUBJECT", "ROLE", "ACTIONS", "SIGNATURE")
        for (time, i) in try db.incidents() {
            t.add(
                i.id, RFC3339.format(time), i.severity.rawValue, "\(i.subject.kind) \(i.subject.value)", i.role ?? "-",
                (actions[i.id] ?? []).map { "\($0.kind):\($0.state)" }.joined(separator: " "), i.signature)
        }
        t.print()
    }
}
