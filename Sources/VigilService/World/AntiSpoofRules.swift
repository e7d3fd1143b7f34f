import VigilCore

extension AntiSpoofRule {
    /// The anti-spoofing rules of the VMs placed on `host`, by VM id.
    public static func rules(on host: String, cmdb: Cmdb) -> [AntiSpoofRule] {
        cmdb.vms.values.filter { $0.isPlaced && $0.host == host }.sorted { $0.id < $1.id }
            .flatMap(AntiSpoofRule.rules(for:))
    }
}
