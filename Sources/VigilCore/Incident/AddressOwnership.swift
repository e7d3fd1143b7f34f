/// One stretch of time during which a VM's NIC held an IP address (DESIGN §4: alerts are attributed to the
/// owner at the alert's time). `since` is `Timestamp.min` for addresses known from the first inventory: as far
/// as Vigil knows, the VM always held them. `until` is nil while the VM still holds the address.
public struct AddressOwnership: Sendable, Hashable {
    public var ip: String
    public var vm: String
    public var since: Timestamp
    public var until: Timestamp?

    public init(ip: String, vm: String, since: Timestamp, until: Timestamp? = nil) {
        self.ip = ip
        self.vm = vm
        self.since = since
        self.until = until
    }

    /// Whether the VM held the address at `time`.
    public func holds(at time: Timestamp) -> Bool { since <= time && (until.map { time < $0 } ?? true) }
}

/// A change of address ownership an import records: `vm` starts (`starts`) or stops holding `ip` at `time`.
public struct AddressChange: Sendable, Hashable {
    public var ip: String
    public var vm: String
    public var time: Timestamp
    public var starts: Bool

    public init(ip: String, vm: String, time: Timestamp, starts: Bool) {
        self.ip = ip
        self.vm = vm
        self.time = time
        self.starts = starts
    }

    /// The changes that take `old` NICs (nil: a VM not known before) to `new` ones at `time`; addresses of a VM
    /// in the first inventory are owned from the beginning of time.
    public static func between(
        vm: String, old: [NIC]?, new: [NIC], at time: Timestamp, first: Bool
    ) -> [AddressChange] {
        let before = Set(old?.map(\.ip) ?? [])
        let after = Set(new.map(\.ip))
        let start = first ? Timestamp.min : time
        return before.subtracting(after).sorted().map { AddressChange(ip: $0, vm: vm, time: time, starts: false) }
            + after.subtracting(before).sorted().map { AddressChange(ip: $0, vm: vm, time: start, starts: true) }
    }
}
