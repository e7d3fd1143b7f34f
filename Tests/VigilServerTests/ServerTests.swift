import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import VigilCore
import VigilIngest
import VigilService
import VigilStore
import Yams

@testable import VigilServer

/// `vigil serve` in process, over the bundled examples: auth and roles, problem responses, reads, decisions,
/// writes that are visible to the next request, and alerts that drive the response.
@Suite struct ServerTests {
    static let now = RFC3339.parse("2026-11-21T10:16:00Z") ?? 0
    static let tokens = ["admin-token", "cab-token", "auditor-token", "ids-token", "tenant-token", "operator-token"]

    /// A database holding the examples and a server over it with one token per role.
    final class Fixture: Sendable {
        let dir: String
        let db: VigilDatabase
        let configuration: VigilConfiguration

        init() throws {
            dir = NSTemporaryDirectory() + "vigil-server-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            db = try VigilDatabase(path: dir + "/s.db")
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            let files = ["inventory.yaml", "policies.yaml", "vulnerabilities.yaml", "playbooks.yaml", "events.jsonl"]
            _ = try DocumentImporter.importFiles(
                files.map { root.appendingPathComponent("examples/" + $0).standardized.path }, into: db,
                now: ServerTests.now)
            var c = VigilConfiguration()
            c.listen = "127.0.0.1:0"
            let roles = ["admin", "cab", "auditor", "ids", "tenant:acme", "operator"]
            c.tokens = zip(ServerTests.tokens, roles).map { token, role in
                VigilConfiguration.Token(
                    name: role.replacingOccurrences(of: ":", with: "-"), role: role, sha256: APIToken.hash(token))
            }
            configuration = c
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func app() throws -> some ApplicationProtocol {
            try VigilServer.application(
                db: db, configuration: configuration, logger: Logger(label: "test"), clock: { ServerTests.now })
        }
    }

    static func auth(_ token: String) -> HTTPFields {
        var h = HTTPFields()
        h[.authorization] = "Bearer \(token)"
        return h
    }

    /// Waits for `/readyz` (the state loads in the background).
    static func ready(_ client: some TestClientProtocol) async throws {
        for _ in 0..<500 {
            if try await client.execute(uri: "/readyz", method: .get).status == .ok { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the server never became ready")
    }

    static func json(_ r: TestResponse) -> String { String(buffer: r.body) }

    struct Access: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var token: String?
        var status: HTTPResponse.Status
        var testDescription: String { "\(method) \(uri) as \(token ?? "nobody") → \(status.code)" }
    }

    @Test(arguments: [
        Access(method: .get, uri: "/v1/hosts", token: nil, status: .unauthorized),
        Access(method: .get, uri: "/v1/hosts", token: "wrong", status: .unauthorized),
        Access(method: .get, uri: "/v1/hosts", token: "auditor-token", status: .ok),
        Access(method: .get, uri: "/v1/hosts", token: "ids-token", status: .forbidden),
        Access(method: .get, uri: "/v1/hosts", token: "tenant-token", status: .forbidden),
        Access(method: .get, uri: "/v1/hosts/h-muc-01", token: "cab-token", status: .ok),
        Access(method: .get, uri: "/v1/hosts/h-nope", token: "cab-token", status: .notFound),
        Access(method: .get, uri: "/v1/vms/vm-acme-web-1", token: "operator-token", status: .ok),
        Access(method: .get, uri: "/v1/vms/vm-acme-web-1/history", token: "auditor-token", status: .ok),
        Access(
            method: .get, uri: "/v1/exposure?vm=vm-acme-web-1&since=2026-10-20T00:00:00Z", token: "auditor-token",
            status: .ok),
        Access(
            method: .get, uri: "/v1/exposure?since=2026-10-20T00:00:00Z", token: "auditor-token", status: .badRequest),
        Access(method: .get, uri: "/v1/audit?at=yesterday", token: "auditor-token", status: .badRequest),
        Access(method: .get, uri: "/v1/changes?state=maybe", token: "auditor-token", status: .badRequest),
        Access(method: .get, uri: "/v1/vms?limit=0", token: "auditor-token", status: .badRequest),
        Access(method: .post, uri: "/v1/changes/chg-000009/approve", token: "cab-token", status: .notFound),
        Access(method: .post, uri: "/v1/changes/chg-000009/approve", token: "auditor-token", status: .forbidden),
        Access(method: .post, uri: "/v1/alerts/suricata", token: "auditor-token", status: .forbidden),
        Access(method: .post, uri: "/v1/documents", token: "ids-token", status: .forbidden),
        Access(method: .get, uri: "/healthz", token: nil, status: .ok),
    ])
    func rolesAndErrors(a: Access) async throws {
        let f = try Fixture()
        try await f.app().test(.live) { client in
            try await Self.ready(client)
            let r = try await client.execute(
                uri: a.uri, method: a.method, headers: a.token.map(Self.auth) ?? [:], body: nil)
            #expect(r.status == a.status)
            if r.status.code >= 400 {
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(Self.json(r).contains("\"status\":\(a.status.code)"))
            }
        }
    }

    /// The API answers with the CLI's JSON shapes: the same bytes as `vigil audit --json` and `vigil plan
    /// --json` at the same time.
    @Test func answersHaveTheCLIShapes() async throws {
        let f = try Fixture()
        let world = try WorldLoader.world(f.db, at: Self.now, historical: false)
        let audit = JSONWriter.write(PolicyJSON.audit(ParallelAudit.audit(world), at: Self.now)) + "\n"
        let plan = JSONWriter.write(PolicyJSON.plan(Planner.plan(world))) + "\n"
        try await f.app().test(.live) { client in
            try await Self.ready(client)
            let a = try await client.execute(uri: "/v1/audit", method: .get, headers: Self.auth("auditor-token"))
            #expect(Self.json(a) == audit)
            let p = try await client.execute(uri: "/v1/plans", method: .post, headers: Self.auth("auditor-token"))
            #expect(Self.json(p) == plan)
            let place = try await client.execute(
                uri: "/v1/placements", method: .post, headers: Self.auth("auditor-token"),
                body: ByteBuffer(string: #"{"vm":"vm-initech-qa-1"}"#))
            let answer = Placer.place(
                world.index(ofVM: "vm-initech-qa-1") ?? -1, in: world, cache: HostVerdictCache(world))
            #expect(
                Self.json(place)
                    == #"{"vm":"vm-initech-qa-1","host":"\#(answer.feasible.first?.host ?? "")","feasibleHosts":\#(answer.feasible.count),"softViolations":\#(answer.feasible.first?.softViolations.count ?? 0)}"#
                    + "\n")
        }
    }

    /// An alert posted by the IDS role quarantines the attacker; the next request sees it (the live state
    /// follows the commit), and a CAB decision on a rejected change is a 409 that changes nothing.
    @Test func alertsDriveTheResponseAndWritesAreVisible() async throws {
        let f = try Fixture()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        let eve = try String(
            contentsOf: root.appendingPathComponent("examples/alerts/eve-attack.jsonl").standardized, encoding: .utf8)
        try await f.app().test(.live) { client in
            try await Self.ready(client)
            let r = try await client.execute(
                uri: "/v1/alerts/suricata", method: .post, headers: Self.auth("ids-token"),
                body: ByteBuffer(string: eve))
            #expect(r.status == .ok)
            #expect(Self.json(r).contains(#""incidents":5"#))
            let vm = try await client.execute(
                uri: "/v1/vms/vm-acme-web-1", method: .get, headers: Self.auth("auditor-token"))
            #expect(Self.json(vm).contains(#""state":"quarantined","host":"h-muc-q1""#))
            // The live engines follow: the audit sees the neighbours' new maxIncidents violations.
            let a = try await client.execute(uri: "/v1/audit", method: .get, headers: Self.auth("auditor-token"))
            let world = try WorldLoader.world(f.db, at: Self.now, historical: false)
            #expect(Self.json(a) == JSONWriter.write(PolicyJSON.audit(ParallelAudit.audit(world), at: Self.now)) + "\n")
            let apply = try await client.execute(
                uri: "/v1/plans/apply", method: .post, headers: Self.auth("operator-token"))
            #expect(apply.status == .ok)
            let reject = try await client.execute(
                uri: "/v1/changes/chg-000002/reject", method: .post, headers: Self.auth("cab-token"))
            #expect(Self.json(reject).contains(#""state":"rejected","standard":false,"approvals":["rejected by cab"]"#))
            let again = try await client.execute(
                uri: "/v1/changes/chg-000002/approve", method: .post, headers: Self.auth("cab-token"))
            #expect(again.status == .conflict)
            #expect(Self.json(again).contains("chg-000002 is rejected; only proposed changes can be approved"))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"vigil_violations{rule="neighbours.maxIncidents",enforcement="hard"} 3.0"#))
            #expect(metrics.contains(#"vigil_alerts_total{source="suricata"}"#))
            #expect(metrics.contains(#"vigil_changes{state="done"} 1.0"#))
            #expect(metrics.contains("vigil_decision_seconds_count"))
            let bad = try await client.execute(
                uri: "/v1/alerts/suricata", method: .post, headers: Self.auth("ids-token"),
                body: ByteBuffer(string: "{\"event_type\":\"alert\"\n"))
            #expect(bad.status == .unprocessableContent)
        }
        #expect(try f.db.verify().isValid)
        // Every write is recorded with the token's name, in the same transaction.
        let writers = Set(try f.db.records(after: 0, limit: 100_000).filter { $0.type == "request" }.map(\.body))
        #expect(writers == [#"{"by":"ids"}"#, #"{"by":"operator"}"#, #"{"by":"cab"}"#])
    }

    /// After a commit the live state reports which violations appeared and cleared (the stream's `violation`
    /// events): the example attack makes exactly the three hard maxIncidents violations of the e2e appear.
    @Test func catchUpReportsViolationsThatAppear() async throws {
        let f = try Fixture()
        let live = try LiveState(db: f.db, now: Self.now)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        let eve = try String(
            contentsOf: root.appendingPathComponent("examples/alerts/eve-attack.jsonl").standardized, encoding: .utf8)
        _ = try await AlertIngestion.run(text: eve, format: .suricata, db: f.db, now: Self.now)
        let caught = try live.catchUp(now: Self.now)
        #expect(caught.records.count > 10)
        #expect(
            caught.appeared.sorted().filter { $0.enforcement == .hard }.map { "\($0.vm ?? "-") \($0.rule.rawValue)" }
                == [
                    "vm-acme-worker-1 neighbours.maxIncidents", "vm-umbrella-api-1 neighbours.maxIncidents",
                    "vm-umbrella-portal-1 neighbours.maxIncidents",
                ])
        // Nothing new committed: nothing appears or clears.
        let again = try live.catchUp(now: Self.now)
        #expect(again.records.isEmpty && again.appeared.isEmpty && again.cleared.isEmpty)
    }

    /// A bad document is a 422 naming line and field, and changes nothing.
    @Test func aBadDocumentIsA422AndChangesNothing() async throws {
        let f = try Fixture()
        let before = try f.db.recordCount()
        try await f.app().test(.live) { client in
            try await Self.ready(client)
            let r = try await client.execute(
                uri: "/v1/documents", method: .post, headers: Self.auth("operator-token"),
                body: ByteBuffer(
                    string: "apiVersion: vigil/v1\nkind: PolicySet\npolicies:\n  - name: x\n    enforcement: maybe\n"))
            #expect(r.status == .unprocessableContent)
            #expect(Self.json(r).contains(#""errors":[{"line":5,"field":"policies[0].enforcement""#))
        }
        #expect(try f.db.recordCount() == before)
    }
}

/// The OpenAPI document is the contract: every route the router serves is in it with its method, and every
/// operation in it is served.
@Suite struct OpenAPIContractTests {
    @Test func routesAndDocumentAgree() throws {
        let f = try ServerTests.Fixture()
        let state = ServerState(db: f.db, configuration: f.configuration, clock: { ServerTests.now })
        let served = Set(
            VigilServer.router(state).routes.map { r in
                "\(r.method.rawValue) "
                    + r.path.description.replacingOccurrences(
                        of: #":([a-z]+)"#, with: "{$1}", options: .regularExpression)
            })
        guard let doc = try Yams.load(yaml: openAPIDocument) as? [String: Any],
            let paths = doc["paths"] as? [String: [String: Any]]
        else {
            Issue.record("openapi.yaml has no paths")
            return
        }
        #expect(doc["openapi"] as? String == "3.1.0")
        let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(served.subtracting(documented).sorted() == [])
        #expect(documented.subtracting(served).sorted() == [])
    }
}
