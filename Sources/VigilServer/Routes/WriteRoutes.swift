import Hummingbird
import VigilCore
import VigilIngest
import VigilService
import VigilStore

/// Decisions (`POST /v1/placements`, `/v1/plans`) and writes (documents, events, plans, change decisions,
/// alerts). Every write is committed before it is acknowledged and is visible to the next request.
extension ServerState {
    func addWriteRoutes(to v1: RouterGroup<VigilContext>) {
        v1.post(
            "placements",
            use: guarded(.read) { req, ctx, _ in
                let body = try await req.jsonObject(ctx)
                guard let node = body["vm"], case .scalar(let vm, _) = node.value else {
                    throw Problem(.badRequest, "the body needs {\"vm\": id}")
                }
                let all = body["all"].map { if case .scalar("true", _) = $0.value { true } else { false } } ?? false
                let live = try self.requireLive()
                if all { return JSONBody.response(PolicyJSON.place(try live.place(vm: vm, now: self.now))) }
                let d = try live.decide(vm: vm, now: self.now)
                return JSONBody.response(
                    .object([
                        ("vm", .string(vm)), ("host", .optional(d.host)), ("feasibleHosts", .int(Int64(d.feasible))),
                        ("softViolations", .int(Int64(d.softViolations))),
                    ]))
            })
        v1.post(
            "plans",
            use: guarded(.read) { req, ctx, _ in
                let max = try Self.maxMigrations(try await req.jsonObject(ctx))
                let live = try self.requireLive()
                return JSONBody.response(PolicyJSON.plan(live.plan(now: self.now, maxMigrations: max)))
            })
        v1.post(
            "plans/apply",
            use: guarded(.write) { req, ctx, who in
                let body = try await req.jsonObject(ctx)
                let pre = body["preAuthorised"].map { if case .scalar("true", _) = $0.value { true } else { false } }
                if pre == true, !who.role.allows(.applyPreAuthorised) {
                    throw Problem(.forbidden, "token \(who.name) may not apply pre-authorised changes")
                }
                let live = try self.requireLive()
                let max = try Self.maxMigrations(body)
                let outcomes = try await self.committer.perform {
                    let plan = live.plan(now: self.now, maxMigrations: max)
                    return try await ChangeService(db: self.db, drivers: self.drivers).propose(
                        plan, preAuthorised: pre == true, now: self.now)
                }
                return JSONBody.response(.object([("changes", .array(outcomes.map { ChangeJSON.value($0.change) }))]))
            })
        v1.post(
            "changes/:id/approve",
            use: guarded(.decideChanges) { _, ctx, who in
                let id = try ctx.parameters.require("id")
                let outcome = try await self.committer.perform {
                    try await ChangeService(db: self.db, drivers: self.drivers).approve(id, by: who.name, now: self.now)
                }
                return JSONBody.response(ChangeJSON.value(outcome.change))
            })
        v1.post(
            "changes/:id/reject",
            use: guarded(.decideChanges) { _, ctx, who in
                let id = try ctx.parameters.require("id")
                let change = try await self.committer.perform {
                    try ChangeService(db: self.db).reject(id, by: who.name, now: self.now)
                }
                return JSONBody.response(ChangeJSON.value(change))
            })
        v1.post(
            "documents",
            use: guarded(.write) { req, ctx, _ in
                let text = try await req.text(ctx)
                let doc = try DocumentLoader.load(file: "(request body)", text: text)
                if case .events = doc.document {
                    throw Problem(.unsupportedMediaType, "event lines go to POST /v1/events")
                }
                return try await self.importAndAcknowledge(doc)
            })
        v1.post(
            "events",
            use: guarded(.write) { req, ctx, _ in
                let doc = try DocumentLoader.load(file: "request.ndjson", text: try await req.text(ctx))
                return try await self.importAndAcknowledge(doc)
            })
        for (path, format) in [("alerts/suricata", AlertFormat.suricata), ("alerts/wazuh", .wazuh), ("alerts", .vigil)]
        {
            v1.post(
                RouterPath(stringLiteral: path),
                use: guarded(.postAlerts) { req, ctx, _ in
                    let text = Self.alertLines(try await req.text(ctx), format: format)
                    var malformed: [DocumentError] = []
                    AlertParser.parseLines(text, format: format) { line, result in
                        if case .malformed(let reason) = result {
                            malformed.append(
                                DocumentError(file: "(request body)", line: line, path: "", message: reason))
                        }
                    }
                    guard malformed.isEmpty else {
                        throw Problem(
                            .unprocessableContent, "\(malformed.count) malformed line(s); nothing was recorded",
                            errors: malformed)
                    }
                    let summary = try await self.ingest(text, format: format)
                    return JSONBody.response(summary.json)
                })
        }
    }

    func importAndAcknowledge(_ doc: SourceDocument) async throws -> Response {
        _ = try requireLive()
        let result = try await committer.importDocuments([doc])
        return JSONBody.response(
            .object([
                ("records", .int(Int64(result.records))), ("events", .int(Int64(result.events))),
                ("firstSeq", .int(result.firstSeq)), ("lastSeq", .int(result.lastSeq)),
            ]))
    }

    /// Parses alert lines here and has the committer handle them with whatever else is waiting.
    func ingest(_ text: String, format: AlertFormat) async throws -> AlertIngestion.Summary {
        _ = try requireLive()
        var (summary, alerts) = AlertIngestion.parse(text: text, format: format)
        summary.add(try await committer.handle(alerts))
        VigilMetrics.alerts(summary, format: format)
        return summary
    }

    static func maxMigrations(_ body: [String: DocNode]) throws -> Int {
        guard let n = body["maxMigrations"] else { return .max }
        guard case .scalar(let s, false) = n.value, let v = Int(s), v >= 0 else {
            throw Problem(.badRequest, "maxMigrations must be a non-negative integer")
        }
        return v
    }

    /// A Wazuh integration posts one alert, possibly pretty-printed: a body that is one JSON object over several
    /// lines becomes one line. NDJSON stays as it is.
    static func alertLines(_ text: String, format: AlertFormat) -> String {
        guard format == .wazuh, text.contains("\n"), (try? JSONParser.parse(text)) != nil else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
