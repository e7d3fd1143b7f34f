import Hummingbird
import VigilCore
import VigilService
import VigilStore

/// `GET /v1/…`: the CMDB, history, exposure, audit, incidents, problems and changes (DESIGN §8).
extension ServerState {
    func addReadRoutes(to v1: RouterGroup<VigilContext>) {
        v1.get("sites", use: guarded(.read) { req, _, _ in try self.state(req) { $0.sitesJSON() } })
        v1.get("hosts", use: guarded(.read) { req, _, _ in try self.state(req, list: "hosts") { $0.hostsJSON() } })
        v1.get(
            "hosts/:id",
            use: guarded(.read) { req, ctx, _ in
                let id = try ctx.parameters.require("id")
                return try self.state(req) { view in
                    guard let h = view.cmdb.hosts[id] else { throw Problem(.notFound, "unknown host \"\(id)\"") }
                    return view.hostJSON(h)
                }
            })
        v1.get(
            "vms",
            use: readable(tenant: { req, _, view in
                JSONBody.response(try Paging.apply(view.vmsJSON, list: "vms", request: req))
            }) {
                req, _, _ in try self.state(req, list: "vms") { $0.vmsJSON() }
            })
        v1.get(
            "vms/:id",
            use: readable(tenant: { _, ctx, view in
                JSONBody.response(view.vmJSON(try view.ownVM(try ctx.parameters.require("id"))))
            }) { req, ctx, _ in
                let id = try ctx.parameters.require("id")
                return try self.state(req) { view in
                    guard let vm = view.cmdb.vms[id] else { throw Problem(.notFound, "unknown vm \"\(id)\"") }
                    return view.vmJSON(vm)
                }
            })
        v1.get(
            "vms/:id/history",
            use: readable(tenant: { _, ctx, view in
                let vm = try view.ownVM(try ctx.parameters.require("id"))
                return JSONBody.response(view.historyJSON(vm, intervals: try self.db.intervals(vm: vm.id)))
            }) { _, ctx, _ in
                JSONBody.response(try VMHistory(vm: try ctx.parameters.require("id"), db: self.db).json)
            })
        v1.get(
            "tenants",
            use: readable(tenant: { _, _, view in JSONBody.response(view.tenantsJSON) }) { req, _, _ in
                try self.state(req, list: "tenants") { $0.tenantsJSON() }
            })
        v1.get("exposure", use: guarded(.read) { req, _, _ in JSONBody.response(try self.exposure(req).json) })
        v1.get(
            "audit",
            use: guarded(.read) { req, _, _ in
                let (at, violations): (Timestamp, [Violation])
                if let t = try req.time("at") {
                    (at, violations) = (t, ParallelAudit.audit(try WorldLoader.world(self.db, at: t, historical: true)))
                } else {
                    let live = try self.requireLive()
                    (at, violations) = live.audit(now: self.now)
                }
                return JSONBody.response(PolicyJSON.audit(violations, at: at))
            })
        v1.get(
            "incidents",
            use: readable(tenant: { req, _, view in
                JSONBody.response(try Paging.apply(try view.incidentsJSON(self.db), list: "incidents", request: req))
            }) { req, _, _ in
                JSONBody.response(try Paging.apply(try IncidentJSON.list(self.db), list: "incidents", request: req))
            })
        v1.get(
            "problems/:id",
            use: guarded(.read) { _, ctx, _ in
                let id = try ctx.parameters.require("id")
                guard let p = try self.db.problems().first(where: { $0.id == id }) else {
                    throw Problem(.notFound, "unknown problem \"\(id)\"")
                }
                return JSONBody.response(
                    .object([
                        ("id", .string(p.id)), ("incident", .string(p.incident)),
                        ("subject", .object([(p.subject.kind, .string(p.subject.value))])),
                        ("since", .string(RFC3339.format(p.since))), ("until", .string(RFC3339.format(p.until))),
                        ("exposure", .raw(p.body)),
                    ]))
            })
        v1.get(
            "changes",
            use: guarded(.read) { req, _, _ in
                let state = try req.query("state").map { s -> ChangeState in
                    guard let st = ChangeState(rawValue: s) else {
                        throw Problem(.badRequest, "state: \"\(s)\" is not a change state")
                    }
                    return st
                }
                return JSONBody.response(
                    try Paging.apply(try ChangeListJSON.list(self.db, state: state), list: "changes", request: req))
            })
    }

    /// A state view of the CMDB now (or at `at`, from the history), paged over `list`.
    func state(_ req: Request, list: String? = nil, _ body: (StateView) throws -> JSONValue) throws -> Response {
        let cmdb = try db.loadCmdb()
        let placement =
            try req.time("at").map { PlacementMap(try db.placements(at: $0)) } ?? PlacementMap(current: cmdb)
        var value = try body(StateView(cmdb: cmdb, placement: placement))
        if let list { value = try Paging.apply(value, list: list, request: req) }
        return JSONBody.response(value)
    }

    /// `GET /v1/exposure?vm=|host=&since=&until=`.
    func exposure(_ req: Request) throws -> ExposureReport {
        let vm = req.query("vm")
        let host = req.query("host")
        guard (vm == nil) != (host == nil) else { throw Problem(.badRequest, "give exactly one of vm or host") }
        let until = try req.time("until") ?? now
        let since = try req.time("since") ?? (try db.historyStart() ?? until)
        guard since <= until else { throw Problem(.badRequest, "since must not be after until") }
        if let vm { return try ExposureReport.forVM(vm, db: db, since: since, until: until) }
        return try ExposureReport.forHost(host ?? "", db: db, since: since, until: until)
    }
}
