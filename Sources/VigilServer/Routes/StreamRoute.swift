import Hummingbird
import ServiceLifecycle
import VigilCore
import VigilStore

/// `GET /v1/stream`: server-sent events in commit order, each with its log sequence number as the id, so a
/// client resumes with `Last-Event-ID`: `incident`, `change` and `placement` (vm.placed, vm.migrated,
/// vm.removed, vm.state, host.state).
extension ServerState {
    func addStreamRoute(to v1: RouterGroup<VigilContext>) {
        v1.get(
            "stream",
            use: guarded(.read) { req, _, _ in
                let resume = req.headers.first { $0.name.canonicalName == "last-event-id" }?.value
                let after = Int64(resume ?? req.query("after") ?? "0") ?? 0
                var headers = HTTPFields()
                headers[.contentType] = "text/event-stream"
                headers[.cacheControl] = "no-cache"
                // Subscribe before replaying, so nothing committed in between is missed.
                let (id, stream) = self.stream.subscribe()
                let db = self.db
                return Response(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        defer { self.stream.unsubscribe(id) }
                        var last = after
                        while true {
                            let records = try db.records(after: last, limit: 10_000)
                            guard let end = records.last else { break }
                            try await writer.write(Self.sse(records))
                            last = end.seq
                        }
                        try await writer.write(ByteBuffer(string: ": live\n\n"))
                        // A graceful shutdown ends the stream, so the server can finish its requests and exit.
                        try await withGracefulShutdownHandler {
                            for await records in stream {
                                // An empty batch is the heartbeat: writing it finds clients that went away.
                                guard !records.isEmpty else {
                                    try await writer.write(ByteBuffer(string: ": keepalive\n\n"))
                                    continue
                                }
                                let fresh = records.filter { $0.seq > last }
                                guard let end = fresh.last else { continue }
                                try await writer.write(Self.sse(fresh))
                                last = end.seq
                            }
                        } onGracefulShutdown: {
                            self.stream.finish(id)
                        }
                        try await writer.finish(nil)
                    })
            })
    }

    /// The stream's event name for a log record type, or nil when the stream does not carry it.
    static func streamEvent(_ type: String) -> String? {
        switch type {
        case "incident": "incident"
        case "change": "change"
        case "violation": "violation"
        case "vm.placed", "vm.migrated", "vm.removed", "vm.state", "host.state": "placement"
        default: nil
        }
    }

    static func sse(_ records: [LogRecord]) -> ByteBuffer {
        var text = ""
        for r in records {
            guard let event = streamEvent(r.type) else { continue }
            text += "id: \(r.seq)\nevent: \(event)\ndata: \(r.body)\n\n"
        }
        return ByteBuffer(string: text)
    }
}
