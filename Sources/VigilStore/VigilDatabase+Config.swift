import GRDB
import VigilCore

extension VigilDatabase {
    /// Ids of the VMs other than `vm` with the same template id and patch level, sorted.
    public func identicallyConfigured(as vm: VM) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM vms WHERE template_id = ? AND patch_level = ? AND id != ? ORDER BY id",
                arguments: [vm.template.id, vm.template.patchLevel, vm.id])
        }
    }
}
