import Foundation
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

    /// Every recorded stretch of IP ownership by a VM (DESIGN §4: alerts go to the owner at the alert's time).
    public func addressHistory() throws -> [AddressOwnership] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT ip, vm, since, until FROM addresses ORDER BY ip, since").map {
                AddressOwnership(ip: $0[0], vm: $0[1], since: $0[2], until: $0[3])
            }
        }
    }
}

extension VigilDatabase {
    /// A 32-byte secret kept in the database, made (randomly) on first use: stable across restarts, never
    /// shown. Keys the tenant view's anonymous references (DESIGN §8).
    public func secret(named name: String) throws -> [UInt8] {
        let key = "secret." + name
        return try writer.write { db in
            if let existing = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]),
                existing.count == 32
            {
                return [UInt8](existing)
            }
            var g = SystemRandomNumberGenerator()
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, Data(bytes)])
            return bytes
        }
    }
}
