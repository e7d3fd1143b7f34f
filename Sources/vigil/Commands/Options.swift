import ArgumentParser
import Foundation
import VigilCore
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

/// Parses an RFC 3339 time given on the command line.
func parseTime(_ text: String, option: String) throws -> Timestamp {
    guard let t = RFC3339.parse(text) else {
        throw CLIError("\(option): \"\(text)\" is not an RFC 3339 time (e.g. 2026-10-01T00:00:00Z)")
    }
    return t
}

/// Reads a file's text, failing with a clear message.
func readText(_ path: String) throws -> String {
    if path == "-" {
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the file") }
    return String(decoding: data, as: UTF8.self)
}
