import VigilCore

/// Decodes an `Inventory` document, checking everything that can be checked inside the document.
enum InventoryDecoder {
    static func decode(_ top: inout FieldReader) throws(DocumentError) -> (Inventory, FieldLines) {
        var lines = FieldLines()
        lines.fallback = top.line
        var inv = Inventory()
        inv.observedAt = try top.time("observedAt")
        var ids = UniqueIDs(file: top.file)
        for (i, n) in try top.list("sites").enumerated() {
            var r = try FieldReader(n, path: "sites[\(i)]", file: top.file)
            let site = Site(
                id: try r.identifier("id"), tier: try r.int("tier", in: 1...4),
                jurisdiction: try r.identifier("jurisdiction"))
            try r.finish()
            try ids.check("site", site.id, n.line, r.path)
            inv.sites.append(site)
        }
        for (i, n) in try top.list("networks").enumerated() {
            var r = try FieldReader(n, path: "networks[\(i)]", file: top.file)
            let net = Network(id: try r.identifier("id"), zone: try r.identifier("zone"))
            try r.finish()
            try ids.check("network", net.id, n.line, r.path)
            inv.networks.append(net)
        }
        for (i, n) in try top.list("hosts").enumerated() {
            let host = try decodeHost(n, path: "hosts[\(i)]", file: top.file, lines: &lines)
            try ids.check("host", host.id, n.line, "hosts[\(i)]")
            inv.hosts.append(host)
        }
        for (i, n) in try top.list("tenants").enumerated() {
            var r = try FieldReader(n, path: "tenants[\(i)]", file: top.file)
            let tenant = Tenant(id: try r.identifier("id"), labels: try r.labels("labels"))
            try r.finish()
            try ids.check("tenant", tenant.id, n.line, r.path)
            inv.tenants.append(tenant)
        }
        let vmNodes = try top.list("vms")
        inv.vms.reserveCapacity(vmNodes.count)
        for (i, n) in vmNodes.enumerated() {
            let vm = try decodeVM(n, path: "vms[\(i)]", file: top.file, lines: &lines)
            try ids.check("vm", vm.id, n.line, "vms[\(i)]")
            inv.vms.append(vm)
        }
        return (inv, lines)
    }

    static func decodeHost(_ n: DocNode, path: String, file: String, lines: inout FieldLines) throws(DocumentError)
        -> Host
    {
        var r = try FieldReader(n, path: path, file: file)
        lines.record(path, n.line)
        let id = try r.identifier("id")
        let siteNode = try r.require("site")
        lines.record("\(path).site", siteNode.line)
        let site = try r.identifier("site")
        let networkNodes = try r.list("networks")
        for (k, nn) in networkNodes.enumerated() { lines.record("\(path).networks[\(k)]", nn.line) }
        let networks = try r.strings("networks", identifiers: true)
        var hv = try r.requireObject("hypervisor")
        let hypervisor = Hypervisor(
            product: try hv.identifier("product"), version: try hv.version("version"),
            virtualization: try hv.identifier("virtualization"))
        try hv.finish()
        let capacity = try resources(&r, "capacity")
        let role = try enumValue(&r, "role", HostRole.self) ?? .general
        let state = try enumValue(&r, "state", HostState.self) ?? .active
        var ips: [String] = []
        for (k, item) in try r.list("managementIps").enumerated() {
            let p = "\(path).managementIps[\(k)]"
            let s = try r.text(item, p)
            guard let ip = Syntax.ip(s) else { throw r.error(item.line, p, "\"\(s)\" is not an IP address") }
            ips.append(ip)
        }
        let labels = try r.labels("labels")
        try r.finish()
        return Host(
            id: id, site: site, networks: networks, hypervisor: hypervisor, capacity: capacity, role: role,
            state: state, managementIps: ips, labels: labels)
    }

    static func decodeVM(_ n: DocNode, path: String, file: String, lines: inout FieldLines) throws(DocumentError) -> VM
    {
        var r = try FieldReader(n, path: path, file: file)
        lines.record(path, n.line)
        let id = try r.identifier("id")
        if let t = r.node("tenant") { lines.record("\(path).tenant", t.line) }
        let tenant = try r.identifier("tenant")
        let environment = try r.identifier("environment")
        let level = try r.int("securityLevel", in: 0...4)
        let res = try resources(&r, "resources")
        var t = try r.requireObject("template")
        let template = Template(id: try t.identifier("id"), patchLevel: try t.string("patchLevel"))
        try t.finish()
        var nics: [NIC] = []
        for (k, item) in try r.list("nics").enumerated() {
            let p = "\(path).nics[\(k)]"
            var nr = try FieldReader(item, path: p, file: file)
            let macNode = try nr.require("mac")
            let macText = try nr.text(macNode, "\(p).mac")
            guard let mac = Syntax.mac(macText) else {
                throw nr.error(macNode.line, "\(p).mac", "\"\(macText)\" is not a MAC address (xx:xx:xx:xx:xx:xx)")
            }
            let ipNode = try nr.require("ip")
            let ipText = try nr.text(ipNode, "\(p).ip")
            guard let ip = Syntax.ip(ipText) else {
                throw nr.error(ipNode.line, "\(p).ip", "\"\(ipText)\" is not an IP address")
            }
            if let netNode = nr.node("network") { lines.record("\(p).network", netNode.line) }
            let network = try nr.identifier("network")
            try nr.finish()
            lines.record("\(p).ip", ipNode.line)
            lines.record("\(p).mac", macNode.line)
            nics.append(NIC(mac: mac, ip: ip, network: network))
        }
        let labels = try r.labels("labels")
        if let h = r.node("host") { lines.record("\(path).host", h.line) }
        let host = try r.optionalIdentifier("host")
        let state = try enumValue(&r, "state", VMState.self) ?? .running
        try r.finish()
        return VM(
            id: id, tenant: tenant, environment: environment, securityLevel: level, resources: res, template: template,
            nics: nics, labels: labels, host: host, state: state)
    }

    static func resources(_ r: inout FieldReader, _ key: String) throws(DocumentError) -> Resources {
        var c = try r.requireObject(key)
        let res = Resources(
            vcpus: try c.int("vcpus", in: 0...Int.max), memoryMiB: try c.int("memoryMiB", in: 0...Int.max))
        try c.finish()
        return res
    }

    static func enumValue<E: RawRepresentable & CaseIterable>(_ r: inout FieldReader, _ key: String, _: E.Type)
        throws(DocumentError) -> E? where E.RawValue == String
    {
        guard let n = r.node(key) else { return nil }
        let s = try r.text(n, r.fieldPath(key))
        guard let v = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: " | ")
            throw r.error(n.line, r.fieldPath(key), "\"\(s)\" is not one of \(allowed)")
        }
        return v
    }
}

/// Rejects a second entity of the same kind with the same id.
struct UniqueIDs {
    let file: String
    var seen: [String: Set<String>] = [:]

    init(file: String) { self.file = file }

    mutating func check(_ kind: String, _ id: String, _ line: Int, _ path: String) throws(DocumentError) {
        guard seen[kind, default: []].insert(id).inserted else {
            throw DocumentError(file: file, line: line, path: "\(path).id", message: "duplicate \(kind) id \"\(id)\"")
        }
    }
}
