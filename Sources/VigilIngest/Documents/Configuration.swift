import VigilCore

/// Vigil's configuration document (`kind: Configuration`, DESIGN §8), read as strictly as every document.
/// `vigil serve` reads all of it; the one-shot commands read the driver choice.
public struct VigilConfiguration: Sendable, Hashable {
    /// One API token: its name (recorded with every write), role and the SHA-256 of the token (hex).
    public struct Token: Sendable, Hashable {
        public var name: String
        public var role: String
        public var sha256: String

        public init(name: String, role: String, sha256: String) {
            self.name = name
            self.role = role
            self.sha256 = sha256
        }
    }

    public var listen = "127.0.0.1:8080"
    public var tokens: [Token] = []
    public var suricataSocket: String?
    public var suricataFile: String?
    public var bodyMiB = 16
    public var notificationRetryMax = 10
    public var notificationBackoff: Int64 = 2
    /// Driver steps the built-in simulator fails once each (`simulator: {failNext: [migrate]}`): a test
    /// configuration for showing failure handling end to end, never set in production.
    public var simulatorFailNext: [String] = []
    /// How long a simulated migration takes, in milliseconds (`simulator: {migrationMillis: 300}`; default 0):
    /// a test configuration that widens the window between a change's intent and its outcome.
    public var simulatorMigrationMillis = 0

    public init() {}

    /// The roles of DESIGN §8 (`tenant:<id>` besides).
    public static let roles = ["admin", "operator", "cab", "auditor", "ids"]
    /// The driver steps a simulator can be told to fail.
    public static let simulatorSteps = ["migrate", "snapshot", "applyFilter", "removeFilter"]
}

/// Reads a `kind: Configuration` document.
public enum ConfigurationLoader {
    public static func load(file: String, text: String) throws(DocumentError) -> VigilConfiguration {
        var top = try FieldReader(try DocumentLoader.parseRoot(file: file, text: text), path: "", file: file)
        let apiNode = try top.require("apiVersion")
        guard try top.text(apiNode, "apiVersion") == "vigil/v1" else {
            throw top.error(apiNode.line, "apiVersion", "only vigil/v1 is supported")
        }
        let kindNode = try top.require("kind")
        guard try top.text(kindNode, "kind") == "Configuration" else {
            throw top.error(kindNode.line, "kind", "expected Configuration")
        }
        var c = VigilConfiguration()
        if top.node("listen") != nil { c.listen = try top.string("listen") }
        var names: Set<String> = []
        for (i, n) in try top.list("tokens").enumerated() {
            var r = try FieldReader(n, path: "tokens[\(i)]", file: file)
            let name = try r.identifier("name")
            guard names.insert(name).inserted else {
                throw r.error(n.line, r.fieldPath("name"), "duplicate token name")
            }
            let roleNode = try r.require("role")
            let role = try r.text(roleNode, r.fieldPath("role"))
            let tenant = role.hasPrefix("tenant:") ? String(role.dropFirst(7)) : nil
            guard VigilConfiguration.roles.contains(role) || tenant.map({ !$0.isEmpty }) == true else {
                throw r.error(
                    roleNode.line, r.fieldPath("role"),
                    "\"\(role)\" is not one of \(VigilConfiguration.roles.joined(separator: " | ")) | tenant:<id>")
            }
            let hashNode = try r.require("sha256")
            let hash = try r.text(hashNode, r.fieldPath("sha256"))
            guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw r.error(hashNode.line, r.fieldPath("sha256"), "expected 64 lowercase hex digits")
            }
            try r.finish()
            c.tokens.append(VigilConfiguration.Token(name: name, role: role, sha256: hash))
        }
        if var intake = try top.object("intake") {
            if var s = try intake.object("suricata") {
                c.suricataSocket = try s.optionalString("socket")
                c.suricataFile = try s.optionalString("file")
                try s.finish()
            }
            try intake.finish()
        }
        if var limits = try top.object("limits") {
            c.bodyMiB = try limits.optionalInt("bodyMiB", in: 1...1024) ?? c.bodyMiB
            try limits.finish()
        }
        if var n = try top.object("notifications") {
            c.notificationRetryMax = try n.optionalInt("retryMax", in: 0...100) ?? c.notificationRetryMax
            if n.node("backoff") != nil { c.notificationBackoff = try n.duration("backoff") }
            try n.finish()
        }
        if var sim = try top.object("simulator") {
            for (i, item) in try sim.list("failNext").enumerated() {
                let p = "simulator.failNext[\(i)]"
                let step = try sim.text(item, p)
                guard VigilConfiguration.simulatorSteps.contains(step) else {
                    throw sim.error(
                        item.line, p,
                        "\"\(step)\" is not one of \(VigilConfiguration.simulatorSteps.joined(separator: " | "))")
                }
                c.simulatorFailNext.append(step)
            }
            c.simulatorMigrationMillis = try sim.optionalInt("migrationMillis", in: 0...600_000) ?? 0
            try sim.finish()
        }
        try top.finish()
        return c
    }
}
