import ArgumentParser
import Foundation
import VigilCore
import VigilService
import VigilStore

/// `vigil changes [--state S]`: change records.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes", abstract: "List change records (migrations).")

    @OptionGroup var common: CommonOptions
    @Option(help: "proposed | approved | executing | done | failed | rolled-back | rejected") var state: String?

    func run() throws {
        let filter = try state.map { s -> ChangeState in
            guard let st = ChangeState(rawValue: s) else { throw CLIError("--state: \"\(s)\" is not a change state") }
            return st
        }
        let db = try common.open()
        if common.json {
            Console.json(try ChangeListJSON.list(db, state: filter))
            return
        }
        var t = TextTable("CHANGE", "VM", "FROM", "TO", "STATE", "STANDARD", "APPROVALS", "REASON")
        for c in try db.changes(state: filter) {
            t.add(
                c.id, c.vm, c.from ?? "-", c.to, c.state.rawValue, c.standard ? "yes" : "no",
                c.approvals.joined(separator: ","), c.reason)
        }
        t.print()
    }
}

/// `vigil approve ID --as NAME`: a CAB member approves a proposed change, which then runs.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a proposed change and carry it out.",
        discussion: "Only a proposed change can be approved; anything else exits 2 and changes nothing.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption
    @OptionGroup var driver: DriverOptions
    @Argument var id: String
    @Option(name: .customLong("as"), help: "Name of the approving CAB member.") var name: String

    func run() async throws {
        let service = ChangeService(db: try common.open(), drivers: try driver.drivers())
        let outcome = try await service.approve(id, by: name, now: try at.resolve())
        let final = outcome.change
        if let note = outcome.note { Console.error("\(final.id): \(note)") }
        print(
            "\(final.id): \(final.state.rawValue) (\(final.vm) \(final.from ?? "-") → \(final.to)), approved by \(name)"
        )
        if final.state != .done { throw CLIError("", code: 1) }
    }
}

/// `vigil reject ID`: a CAB member rejects a proposed change.
struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject a proposed change.",
        discussion: "Only a proposed change can be rejected; anything else exits 2 and changes nothing.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption
    @Argument var id: String
    @Option(name: .customLong("as"), help: "Name of the rejecting CAB member.") var name = "cab"

    func run() throws {
        _ = try ChangeService(db: try common.open()).reject(id, by: name, now: try at.resolve())
        print("\(id): rejected")
    }
}
