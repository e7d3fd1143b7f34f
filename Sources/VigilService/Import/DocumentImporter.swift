import Foundation
import VigilCore
import VigilIngest
import VigilStore

/// Reads, parses and imports files in one transaction (`vigil import`, the demo, the benchmarks).
public enum DocumentImporter {
    /// Imports `files` at `now`; they are read and parsed on a second core while the store loads its state.
    /// Any error (file:line: field: message) changes nothing.
    public static func importFiles(
        _ files: [String], into db: any VigilStore, now: Timestamp, progress: ((ImportPhase) -> Void)? = nil
    ) throws -> ImportResult {
        try db.importDocuments(now: now, progress: progress) {
            try files.map { f in try DocumentLoader.load(file: f, text: try InputFile.read(f)) }
        }
    }
}

/// Reads the text of a file named on the command line (`-`: standard input).
public enum InputFile {
    public static func read(_ path: String) throws -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError(.badInput, "\(path): cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The configuration a `--config` file makes (none: the defaults, i.e. the built-in simulator).
    public static func configuration(_ path: String?) throws -> VigilConfiguration {
        guard let path else { return VigilConfiguration() }
        return try ConfigurationLoader.load(file: path, text: try read(path))
    }
}
