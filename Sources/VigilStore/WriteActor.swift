import VigilCore

/// Who is writing (DESIGN §8: every write is recorded in the log with the token's name). While set, every
/// write transaction starts with one `request` log record per name, in the same transaction as the write; a
/// group commit of several callers' writes names each of them.
public enum WriteActor {
    @TaskLocal public static var names: [String] = []

    static func entries(now: Timestamp) -> [LogEntry] { names.map { entry($0, now: now) } }

    static func entry(_ name: String, now: Timestamp) -> LogEntry {
        LogEntry(time: now, type: "request", vm: nil, body: JSONWriter.write(.object([("by", .string(name))])))
    }
}
