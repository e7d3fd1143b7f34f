/// The anti-spoofing rules a migration moves between hosts (DESIGN §4): `add` goes onto the target before the VM
/// runs there, `remove` comes off the source once it has left.
public struct FilterHandover: Sendable, Hashable {
    /// The host the VM leaves.
    public var source: String
    /// The host the VM moves to.
    public var target: String
    /// The rules to take off the source.
    public var remove: [AntiSpoofRule]
    /// The rules to install on the target, before the VM runs there.
    public var add: [AntiSpoofRule]

    public init(source: String, target: String, remove: [AntiSpoofRule], add: [AntiSpoofRule]) {
        self.source = source
        self.target = target
        self.remove = remove
        self.add = add
    }

    /// The handover for migrating `vm` from host `from` to host `to`: its rules (one per NIC) leave the one and
    /// join the other.
    public static func forMigration(vm: VM, from: String, to: String) -> FilterHandover {
        let rules = AntiSpoofRule.rules(for: vm)
        return FilterHandover(source: from, target: to, remove: rules, add: rules)
    }

    /// The rules `host` holds after the handover, given the rules it holds now: on the source, the rules of the
    /// VMs in `remove` are gone; on the target, those of the VMs in `add` are replaced by `add`.
    public func rules(on host: String, current: [AntiSpoofRule]) -> [AntiSpoofRule] {
        var result = current
        if host == source {
            let leaving = Set(remove.map(\.vm))
            result.removeAll { leaving.contains($0.vm) }
        }
        if host == target {
            let arriving = Set(add.map(\.vm))
            result.removeAll { arriving.contains($0.vm) }
            result += add
        }
        return result
    }
}
