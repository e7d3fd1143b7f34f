import VigilCore

/// Who is writing (DESIGN §8: every write is recorded in the log with the token's name). While set, every
/// write transaction starts with a `request` log record naming it, in the same transaction as the write.
public enum WriteActor {
    @TaskLocal public static var name: String?

    static func entry(_ name: String, now: Timestamp) -> LogEntry {
        LogEntry(time: now, type: "request", vm: nil, body: JSONWriter.write(.object([("by", .string(name))])))
    }
}
