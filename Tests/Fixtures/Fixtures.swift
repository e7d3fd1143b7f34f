import Foundation

/// A small valid inventory; tests change one line of it and expect one exact error.
public enum Fixtures {
    public static let inventory = """
        apiVersion: vigil/v1
        kind: Inventory
        observedAt: 2026-09-01T00:00:00Z
        sites:
          - {id: muc-1, tier: 3, jurisdiction: DE}
        networks:
          - {id: dmz-a, zone: dmz}
          - {id: int-1, zone: internal}
        hosts:
          - id: h-001
            site: muc-1
            networks: [dmz-a, int-1]
            hypervisor: {product: xen, version: "4.17.3", virtualization: para}
            capacity: {vcpus: 64, memoryMiB: 262144}
            managementIps: [192.0.2.11]
          - id: h-002
            site: muc-1
            networks: [int-1]
            hypervisor: {product: kvm, version: "8.2", virtualization: hvm}
            capacity: {vcpus: 32, memoryMiB: 131072}
            role: quarantine
        tenants:
          - {id: acme, labels: {tier: gold}}
          - {id: globex}
        vms:
          - id: vm-0001
            tenant: acme
            environment: production
            securityLevel: 3
            resources: {vcpus: 4, memoryMiB: 8192}
            template: {id: ubuntu-24.04-web, patchLevel: "2026.10"}
            nics: [{mac: "52:54:00:12:34:56", ip: 10.1.2.3, network: dmz-a}]
            labels: {service: shop}
            host: h-001
          - id: vm-0002
            tenant: globex
            environment: test
            securityLevel: 1
            resources: {vcpus: 2, memoryMiB: 4096}
            template: {id: debian-12, patchLevel: "2026.09"}
            nics: [{mac: "52:54:00:12:34:57", ip: 10.1.2.4, network: int-1}]
            host: h-001
            state: running

        """

    public static let policies = """
        apiVersion: vigil/v1
        kind: PolicySet
        policies:
          - name: gold-production
            enforcement: hard
            selector: {tenantLabels: {tier: gold}, environment: production}
            rules:
              site: {minTier: 3, jurisdictions: [DE, AT]}
              networks: {zones: [dmz, internal]}
              hypervisor:
                products: [xen, kvm]
                virtualization: [hvm, para]
                minVersion: {xen: "4.17.3", kvm: "8.2"}
                maxCvss: 7.0
              neighbours:
                max: 4
                forbid: [{tenant: "!self", environment: [test, development]}]
                minSecurityLevel: 2
                maxIncidents: {count: 0, within: 90d}
                maxNew: {count: 3, within: 30d}

        """

    public static let vulnerabilities = """
        apiVersion: vigil/v1
        kind: VulnerabilityFeed
        vulnerabilities:
          - {id: CVE-2025-0001, product: xen, cvss: 8.8, affected: [{introduced: "4.0", fixed: "4.17.4"}]}
          - {id: CVE-2025-0002, product: kvm, cvss: 5.0, affected: [{introduced: "7.0"}]}

        """

    public static let events = """
        {"time":"2026-10-01T12:00:00Z","type":"vm.migrated","vm":"vm-0002","from":"h-001","to":"h-002"}
        {"time":"2026-10-02T08:30:00Z","type":"vm.migrated","vm":"vm-0002","from":"h-002","to":"h-001"}
        {"time":"2026-10-03T00:00:00Z","type":"vm.removed","vm":"vm-0001"}
        {"time":"2026-10-03T00:00:00Z","type":"incident","incident":{"id":"inc-7","subject":{"vm":"vm-0002"},"severity":"high","source":"suricata","signature":"ET TROJAN"}}

        """

    /// Replaces the first occurrence of `old` (which must be present) in `text`.
    public static func replacing(_ text: String, _ old: String, _ new: String) -> String {
        guard let r = text.range(of: old) else { fatalError("fixture has no \(old)") }
        return text.replacingCharacters(in: r, with: new)
    }
}
