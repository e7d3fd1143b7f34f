/// A VM's run state. Only `running` and `quarantined` VMs with a host are placed.
public enum VMState: String, Sendable, CaseIterable {
    case running, stopped, quarantined
}

/// The image a VM was built from; VMs sharing id and patch level are identically configured.
public struct Template: Sendable, Hashable {
    public var id: String
    public var patchLevel: String

    public init(id: String, patchLevel: String) {
        self.id = id
        self.patchLevel = patchLevel
    }
}

/// A network interface: the MAC and IP the VM owns on one network.
public struct NIC: Sendable, Hashable {
    public var mac: String
    public var ip: String
    public var network: String

    public init(mac: String, ip: String, network: String) {
        self.mac = mac
        self.ip = ip
        self.network = network
    }
}

/// A virtual machine of a tenant, with its security level and current host.
public struct VM: Sendable, Hashable {
    public var id: String
    public var tenant: String
    public var environment: String
    public var securityLevel: Int
    public var resources: Resources
    public var template: Template
    public var nics: [NIC]
    public var labels: [String: String]
    public var host: String?
    public var state: VMState

    public init(
        id: String, tenant: String, environment: String, securityLevel: Int, resources: Resources,
        template: Template, nics: [NIC] = [], labels: [String: String] = [:], host: String? = nil,
        state: VMState = .running
    ) {
        self.id = id
        self.tenant = tenant
        self.environment = environment
        self.securityLevel = securityLevel
        self.resources = resources
        self.template = template
        self.nics = nics
        self.labels = labels
        self.host = host
        self.state = state
    }

    /// A VM is placed when it has a host and runs (or sits in quarantine) there.
    public var isPlaced: Bool { host != nil && state != .stopped }
}
