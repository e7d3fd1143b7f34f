import ArgumentParser
import Foundation
import VigilCore
import VigilService
import VigilStore

/// `--db` and `--json`, shared by every command.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the SQLite database.")
    var db: String = "./vigil.db"

    @Flag(name: .long, help: "Print exact JSON (DESIGN §6) instead of a table.")
    var json = false

    /// Opens the database, failing with a clear message; only `create` makes a new one (imports do).
    func open(create: Bool = false) throws -> VigilDatabase {
        if !create && !FileManager.default.fileExists(atPath: db) {
            throw CLIError("no Vigil database at \(db); import documents first (vigil import --db \(db) FILE…)")
        }
        do {
            return try VigilDatabase(path: db)
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// `--at TIME` for commands where "now" matters.
struct AtOption: ParsableArguments {
    @Option(name: .long, help: "The time to answer for (RFC 3339, e.g. 2026-10-01T00:00:00Z); default now.")
    var at: String?

    /// The given time, or the wall clock.
    func resolve() throws -> Timestamp {
        guard let at else { return Timestamp(Date().timeIntervalSince1970) }
        return try parseTime(at, option: "--at")
    }
}

/// `--config FILE`: the configuration document choosing the hypervisor driver (DESIGN §8); without it the
/// built-in simulator carries actions out.
struct DriverOptions: ParsableArguments {
    @Option(help: "Configuration document (kind: Configuration) choosing the hypervisor driver; default: simulator.")
    var config: String?

    func drivers() throws -> DriverConfiguration {
        DriverConfiguration(try InputFile.configuration(config))
    }
}

extension AtOption {
    /// The policy world at the given time (with `--at`, the placement the history records then).
    func world(_ db: VigilDatabase) throws -> PolicyWorld {
        try WorldLoader.world(db, at: try resolve(), historical: at != nil)
    }
}

/// Parses an RFC 3339 time given on the command line.
func parseTime(_ text: String, option: String) throws -> Timestamp {
    guard let t = RFC3339.parse(text) else {
        throw CLIError("\(option): \"\(text)\" is not an RFC 3339 time (e.g. 2026-10-01T00:00:00Z)")
    }
    return t
}
