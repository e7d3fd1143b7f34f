import GRDB
import VigilCore

extension VigilDatabase {
    /// The whole current CMDB (entities, VM tracks, incident ids), read from the materialised tables.
    public func loadCmdb() throws -> Cmdb {
        try writer.read { db in try Self.loadCmdb(db) }
    }

    static func loadCmdb(_ db: Database) throws -> Cmdb {
        var c = Cmdb()
        for row in try Row.fetchAll(db, sql: "SELECT id, tier, jurisdiction FROM sites") {
            let s = Site(id: row[0], tier: row[1], jurisdiction: row[2])
            c.sites[s.id] = s
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, zone FROM networks") {
            let n = Network(id: row[0], zone: row[1])
            c.networks[n.id] = n
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, labels FROM tenants") {
            let id: String = row[0]
            let t = Tenant(id: id, labels: try Codec.decodeLabels(row[1], "tenants", id, "labels"))
            c.tenants[t.id] = t
        }
        for h in try fetchHosts(db, where: "") { c.hosts[h.id] = h }
        let rows = try Row.fetchCursor(db, sql: "\(vmColumns) FROM vms")
        while let row = try rows.next() {
            let (vm, track) = try decodeVM(row)
            c.vms[vm.id] = vm
            c.tracks[vm.id] = track
        }
        c.incidentIDs = Set(try String.fetchAll(db, sql: "SELECT id FROM incidents"))
        return c
    }

    static let vmColumns = """
        SELECT id, tenant, environment, security_level, vcpus, memory_mib, template_id, patch_level, nics, labels,
            host, state, last_event, open_start, open_baseline
        """

    static func decodeVM(_ row: Row) throws -> (VM, VMTrack) {
        let id: String = row[0]
        let state = try RowDecoding.value(VMState.self, row[11], table: "vms", id: id, column: "state")
        let vm = VM(
            id: row[0], tenant: row[1], environment: row[2], securityLevel: row[3],
            resources: Resources(vcpus: row[4], memoryMiB: row[5]), template: Template(id: row[6], patchLevel: row[7]),
            nics: try Codec.decodeNICs(row[8], "vms", id), labels: try Codec.decodeLabels(row[9], "vms", id, "labels"),
            host: row[10], state: state)
        let track = VMTrack(
            host: row[10], state: state, lastEvent: row[12], openStart: row[13], openBaseline: row[14] != 0)
        return (vm, track)
    }

    static func fetchHosts(_ db: Database, where clause: String, arguments: StatementArguments = []) throws -> [Host] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, site, networks, product, version, virtualization, vcpus, memory_mib, role, state,
                    management_ips, labels FROM hosts \(clause)
                """, arguments: arguments
        ).map { row in
            let id: String = row[0]
            return Host(
                id: id, site: row[1], networks: try Codec.decodeStrings(row[2], "hosts", id, "networks"),
                hypervisor: Hypervisor(
                    product: row[3],
                    version: try RowDecoding.version(row[4], table: "hosts", id: id, column: "version"),
                    virtualization: row[5]),
                capacity: Resources(vcpus: row[6], memoryMiB: row[7]),
                role: try RowDecoding.value(HostRole.self, row[8], table: "hosts", id: id, column: "role"),
                state: try RowDecoding.value(HostState.self, row[9], table: "hosts", id: id, column: "state"),
                managementIps: try Codec.decodeStrings(row[10], "hosts", id, "management_ips"),
                labels: try Codec.decodeLabels(row[11], "hosts", id, "labels"))
        }
    }

    /// One VM by id, or nil.
    public func vm(_ id: String) throws -> VM? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "\(Self.vmColumns) FROM vms WHERE id = ?", arguments: [id]).map {
                try Self.decodeVM($0).0
            }
        }
    }

    /// One host by id, or nil.
    public func host(_ id: String) throws -> Host? {
        try writer.read { db in try Self.fetchHosts(db, where: "WHERE id = ?", arguments: [id]).first }
    }

    /// The text of the latest imported document of a kind (`PolicySet`, `VulnerabilityFeed`), if any.
    public func documentText(kind: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM documents WHERE kind = ?", arguments: [kind])
        }
    }

    /// Every incident with its time, oldest first.
    public func incidents() throws -> [(time: Timestamp, incident: Incident)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, time, subject_kind, subject, severity, source, signature, role FROM incidents ORDER BY time, id"
            ).map { row in
                let id: String = row[0]
                let subject = try RowDecoding.subject(kind: row[2], value: row[3], table: "incidents", id: id)
                let severity = try RowDecoding.value(
                    Severity.self, row[4], table: "incidents", id: id, column: "severity")
                let incident = Incident(
                    id: id, subject: subject, severity: severity, source: row[5], signature: row[6], role: row[7])
                return (row[1], incident)
            }
        }
    }
}
