import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil verify`: recomputes the event log's hash chain.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the event log's hash chain and name the first altered or missing record.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let report = try common.open().verify()
        if common.json {
            Console.json(
                .object([
                    ("valid", .bool(report.isValid)), ("records", .int(report.intact)),
                    ("firstBad", report.firstBad.map { .int($0) } ?? .null), ("reason", .optional(report.reason)),
                ]))
        } else if report.isValid {
            print("ok: \(report.intact) records, chain intact")
        } else {
            print("TAMPERED: \(report.reason ?? "") (\(report.intact) records intact before it)")
        }
        if !report.isValid { throw CLIError("", code: 1) }
    }
}
