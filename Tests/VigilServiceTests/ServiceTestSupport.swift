import Foundation
import VigilCore
import VigilDrivers
import VigilIngest
import VigilService
import VigilStore

/// A fresh database in a temporary directory holding a small datacenter with two general hosts and a
/// quarantine host; removed at deinit.
final class ServiceFixture {
    let dir: String
    let db: VigilDatabase
    var path: String { dir + "/service.db" }

    static let t0 = RFC3339.parse("2026-11-01T00:00:00Z") ?? 0

    static func inventory(observedAt: String, xIP: String = "10.0.0.5", yIP: String = "10.0.0.6") -> String {
        """
        apiVersion: vigil/v1
        kind: Inventory
        observedAt: \(observedAt)
        sites:
          - {id: s1, tier: 3, jurisdiction: DE}
        networks:
          - {id: n1, zone: internal}
        hosts:
          - {id: h-a, site: s1, networks: [n1], hypervisor: {product: kvm, version: "8.2", virtualization: hvm}, capacity: {vcpus: 16, memoryMiB: 65536}, managementIps: [192.0.2.1]}
          - {id: h-b, site: s1, networks: [n1], hypervisor: {product: kvm, version: "8.2", virtualization: hvm}, capacity: {vcpus: 16, memoryMiB: 65536}}
          - {id: h-q, site: s1, networks: [n1], hypervisor: {product: kvm, version: "8.2", virtualization: hvm}, capacity: {vcpus: 16, memoryMiB: 65536}, role: quarantine}
        tenants:
          - {id: acme}
        vms:
          - {id: x, tenant: acme, environment: production, securityLevel: 3, resources: {vcpus: 2, memoryMiB: 4096}, template: {id: t1, patchLevel: "1"}, nics: [{mac: "52:54:00:00:00:01", ip: \(xIP), network: n1}], host: h-a}
          - {id: y, tenant: acme, environment: production, securityLevel: 3, resources: {vcpus: 2, memoryMiB: 4096}, template: {id: t1, patchLevel: "1"}, nics: [{mac: "52:54:00:00:00:02", ip: \(yIP), network: n1}], host: h-a}

        """
    }

    static let playbooks = """
        apiVersion: vigil/v1
        kind: Playbooks
        playbooks:
          - name: contain-vm
            when: {subject: vm, minSeverity: high, role: attacker}
            actions: [snapshot, quarantine, exposure]
          - name: evacuate-host
            when: {subject: host, minSeverity: high}
            actions: [mark-compromised, evacuate]

        """

    init() throws {
        dir = NSTemporaryDirectory() + "vigil-service-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        db = try VigilDatabase(path: dir + "/service.db")
        try load(Self.inventory(observedAt: "2026-11-01T00:00:00Z"), Self.playbooks)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Imports YAML documents at `t0`.
    func load(_ texts: String...) throws {
        let docs = try texts.enumerated().map {
            try DocumentLoader.load(file: "doc\($0.offset).yaml", text: $0.element)
        }
        _ = try db.importDocuments(docs, now: Self.t0)
    }

    /// One Vigil-form alert line (`vigil ingest --format vigil`) from `src` at `time`.
    static func alert(_ id: String, time: String, src: String, severity: String = "high") -> String {
        """
        {"time":"\(time)","type":"incident","incident":{"id":"\(id)","subject":{"vm":"none"},"severity":"\(severity)","source":"test","signature":"test \(id)"}}
        """
    }

    /// One Suricata EVE alert line from `src` to `dst` at `time` (severity 1 = high).
    static func eve(flow: Int, time: String, src: String, dst: String = "198.51.100.9", severity: Int = 1) -> String {
        """
        {"timestamp":"\(time)","flow_id":\(flow),"event_type":"alert","src_ip":"\(src)","src_port":4000,"dest_ip":"\(dst)","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":\(flow),"rev":1,"signature":"test \(flow)","category":"test","severity":\(severity)}}
        """
    }
}

/// A driver that runs a check each time a migration starts (e.g. that the intent is already committed), then
/// delegates to a simulator.
final class ProbeDriver: HypervisorDriver {
    let inner: SimulatedDriver
    let onMigrate: @Sendable (String) throws -> Void

    init(_ inner: SimulatedDriver, onMigrate: @escaping @Sendable (String) throws -> Void) {
        self.inner = inner
        self.onMigrate = onMigrate
    }

    func inventory() async throws(DriverError) -> Inventory { await inner.inventory() }
    func events() -> AsyncStream<Event> { inner.events() }
    func migrate(vm: String, from: String, to: String) async throws(DriverError) {
        do {
            try onMigrate(vm)
        } catch {
            throw .backend(step: .migrate, message: "probe: \(error)")
        }
        try await inner.migrate(vm: vm, from: from, to: to)
    }
    func snapshot(vm: String) async throws(DriverError) -> SnapshotResult { try await inner.snapshot(vm: vm) }
    func applyFilter(host: String, rules: [AntiSpoofRule]) async throws(DriverError) {
        try await inner.applyFilter(host: host, rules: rules)
    }
    func removeFilter(host: String, vm: String) async throws(DriverError) {
        try await inner.removeFilter(host: host, vm: vm)
    }
}
