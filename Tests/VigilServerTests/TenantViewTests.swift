import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import VigilCore
import VigilIngest
import VigilService
import VigilStore
import VigilTestSupport
import Yams

@testable import VigilServer

/// A `tenant:<id>` token never receives another tenant's VM id, tenant id or host id: every operation of the
/// OpenAPI document is called with the tenant's token over a generated datacenter, with its own ids, foreign
/// ids and made-up ones, and every body is searched for every foreign id.
@Suite struct TenantViewTests {
    static let now = RFC3339.parse("2026-12-01T00:00:00Z") ?? 0

    @Test func aTenantNeverSeesAnotherTenantsIdentity() async throws {
        let dir = NSTemporaryDirectory() + "vigil-tenant-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try VigilDatabase(path: dir + "/t.db")
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 2, hosts: 16, vms: 240, tenants: 6, days: 30, events: 1500, seed: 7))
        let docs = [
            try DocumentLoader.load(file: "inv.json", text: JSONWriter.pretty(DocumentEncoder.inventory(dc.inventory))),
            try DocumentLoader.load(file: "pol.json", text: JSONWriter.pretty(DocumentEncoder.policies(dc.policies))),
            try DocumentLoader.load(file: "ev.jsonl", text: dc.events.map(\.jsonLine).joined(separator: "\n")),
        ]
        _ = try db.importDocuments(docs, now: Self.now)
        let cmdb = try db.loadCmdb()
        let counts = Dictionary(grouping: cmdb.vms.values, by: \.tenant).mapValues(\.count)
        guard let tenant = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else {
            Issue.record("no tenant")
            return
        }
        let own = cmdb.vms.values.filter { $0.tenant == tenant }.map(\.id).sorted()
        let foreign = Set(cmdb.vms.values.filter { $0.tenant != tenant }.map(\.id))
            .union(cmdb.tenants.keys.filter { $0 != tenant }).union(cmdb.hosts.keys)
        #expect(own.count > 10 && foreign.count > 100)
        // Own VMs with neighbours of other tenants make the check meaningful.
        let placement = PlacementMap(current: cmdb)
        #expect(own.contains { id in placement.neighbours(of: id).contains { cmdb.vms[$0]?.tenant != tenant } })

        var configuration = VigilConfiguration()
        configuration.listen = "127.0.0.1:0"
        configuration.tokens = [.init(name: "portal", role: "tenant:\(tenant)", sha256: APIToken.hash("t-token"))]
        let app = try VigilServer.application(
            db: db, configuration: configuration, logger: Logger(label: "test"), clock: { Self.now })
        guard let doc = try Yams.load(yaml: openAPIDocument) as? [String: Any],
            let paths = doc["paths"] as? [String: [String: Any]]
        else { return }
        let operations = paths.flatMap { path, ops in ops.keys.map { (path, $0) } }.sorted {
            ($0.0, $0.1) < ($1.0, $1.1)
        }
        let someForeignVM = foreign.filter { cmdb.vms[$0] != nil }.sorted().prefix(3)
        let ids =
            Array(own.prefix(3)) + Array(someForeignVM) + Array(cmdb.hosts.keys.sorted().prefix(2)) + [
                "prb-000001", "chg-000001", "nope",
            ]
        let bodies = ["", "{}", #"{"vm":"\#(own[0])"}"#, #"{"vm":"\#(someForeignVM.first ?? "")","all":true}"#]
        let (calls, ok) = try await app.test(.live) { client -> (Int, Int) in
            var calls = 0
            var ok = 0
            try await ServerTests.ready(client)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer t-token"
            for (path, method) in operations where path.hasPrefix("/v1") {
                do {
                    let uris =
                        path.contains("{id}")
                        ? ids.map { path.replacingOccurrences(of: "{id}", with: $0) }
                        : [path, path + "?vm=\(own[0])", path + "?vm=\(someForeignVM.first ?? "")"]
                    for uri in uris {
                        for body in method == "post" ? bodies : [""] {
                            let r = try await client.execute(
                                uri: uri, method: HTTPRequest.Method(method.uppercased()) ?? .get, headers: headers,
                                body: body.isEmpty ? nil : ByteBuffer(string: body))
                            calls += 1
                            if r.status == .ok { ok += 1 }
                            let text = String(buffer: r.body)
                            let leaked = Self.tokens(text).intersection(foreign)
                            #expect(leaked.isEmpty, "\(method) \(uri) → \(r.status.code) leaks \(leaked.sorted())")
                            #expect(r.status.code < 500, "\(method) \(uri) → \(r.status.code)")
                        }
                    }
                }
            }
            return (calls, ok)
        }
        // The tenant's own view answers: its VMs, each VM, history, incidents, tenants.
        #expect(calls > 150 && ok >= 8)
    }

    /// Every identifier-like word of a body.
    static func tokens(_ text: String) -> Set<String> {
        var out: Set<String> = []
        var current = ""
        for c in text {
            if c.isLetter || c.isNumber || c == "." || c == "_" || c == "-" {
                current.append(c)
            } else if !current.isEmpty {
                out.insert(current)
                current = ""
            }
        }
        if !current.isEmpty { out.insert(current) }
        return out
    }
}
