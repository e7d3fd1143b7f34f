import ArgumentParser
import Foundation
import VigilCore
import VigilIngest
import VigilService
import VigilStore

/// `vigil import FILE…`: loads documents and event history atomically and durably.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import Inventory, PolicySet, VulnerabilityFeed documents and JSON Lines event history.",
        discussion: "All files are checked first; any error (file:line: field: message) changes nothing (exit 2).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption

    @Argument(help: "Files to import (YAML, JSON or JSON Lines); the kind is detected.")
    var files: [String]

    @Flag(help: "Print each step of the import to standard error as it ends.")
    var progress = false

    func run() throws {
        let db = try common.open(create: true)
        let now = try at.resolve()
        let result: ImportResult
        do {
            result = try DocumentImporter.importFiles(files, into: db, now: now) { phase in
                guard progress else { return }
                Console.error("import: \(phase.name) done (\(Int(phase.seconds * 1000)) ms)")
            }
        } catch {
            // A rejected history may have written (rolled-back) pages to the write-ahead log: fold it away.
            try? db.checkpoint()
            throw error
        }
        if common.json {
            Console.json(
                .object([
                    ("files", .strings(files)), ("records", .int(Int64(result.records))),
                    ("events", .int(Int64(result.events))),
                    ("firstSeq", .int(result.firstSeq)), ("lastSeq", .int(result.lastSeq)),
                ]))
        } else {
            print(
                "ok: imported \(files.count) file(s): \(result.records) log records, \(result.events) events (seq \(result.firstSeq)…\(result.lastSeq))"
            )
        }
        // Durable already (the commit's log write was synced); folding the log into the file can follow the ack.
        fflush(nil)
        try db.checkpoint()
    }
}
