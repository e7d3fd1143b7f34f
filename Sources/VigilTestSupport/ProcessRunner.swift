import Foundation

/// Runs a program to completion for tests and benchmarks (nft, python3 peers and load scripts, wrk).
public enum ProcessRunner {
    /// The exit status and the standard output, with standard error in it too unless `mergingErrors` is false
    /// (then standard error goes where this process's goes).
    public static func run(_ executable: String, _ arguments: [String], mergingErrors: Bool = true) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if mergingErrors { process.standardError = pipe }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
