/// What one VM interface may send: its own MAC and IP addresses (DESIGN §4). Rules follow the VM on migration.
public struct AntiSpoofRule: Sendable, Hashable {
    public var vm: String
    /// The host-side interface name (tap device) of the NIC, at most 15 characters.
    public var interface: String
    public var mac: String
    public var ips: [String]

    public init(vm: String, interface: String, mac: String, ips: [String]) {
        self.vm = vm
        self.interface = interface
        self.mac = mac
        self.ips = ips
    }

    /// The rules of a VM: one per NIC, interface names derived from the VM id and NIC index.
    public static func rules(for vm: VM) -> [AntiSpoofRule] {
        vm.nics.enumerated().map { i, nic in
            AntiSpoofRule(vm: vm.id, interface: interfaceName(vm: vm.id, nic: i), mac: nic.mac, ips: [nic.ip])
        }
    }

    /// A stable tap name: "vg" + 8 hex digits of an FNV-1a hash of the VM id + "-" + NIC index (≤ 15 chars).
    public static func interfaceName(vm: String, nic: Int) -> String {
        var h: UInt32 = 2_166_136_261
        for b in vm.utf8 {
            h ^= UInt32(b)
            h = h &* 16_777_619
        }
        return "vg" + String(h, radix: 16, zeroPaddedTo: 8) + "-\(nic)"
    }
}
