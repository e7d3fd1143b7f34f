import VigilCore

/// The policies a generated datacenter carries: every rule kind, over tenant tiers and environments.
public enum PolicyCatalog {
    /// Twenty-two policies using every rule kind of DESIGN §2.
    public static func standard(tenants: [Tenant]) -> PolicySet {
        let tiers: [(String, Int, Double)] = [("gold", 3, 7.0), ("silver", 2, 8.5), ("bronze", 1, 9.5)]
        var policies: [Policy] = []
        for (tier, minTier, cvss) in tiers {
            let tenantSel: [String: FieldMatch] = ["tier": .equals(tier)]
            policies.append(
                Policy(
                    name: "\(tier)-production-site", enforcement: .hard,
                    selector: Selector(environment: .equals("production"), tenantLabels: tenantSel),
                    rules: PolicyRules(
                        site: SiteRules(
                            minTier: minTier, jurisdictions: tier == "gold" ? ["DE", "AT", "NL", "FR", "CH"] : nil))))
            policies.append(
                Policy(
                    name: "\(tier)-production-hypervisor", enforcement: .hard,
                    selector: Selector(environment: .equals("production"), tenantLabels: tenantSel),
                    rules: PolicyRules(
                        hypervisor: HypervisorRules(
                            products: tier == "gold" ? ["xen", "kvm"] : nil,
                            virtualization: tier == "gold" ? ["hvm", "para"] : nil,
                            minVersion: ["xen": Version("4.17.3")!, "kvm": Version("8.2")!, "esxi": Version("8.0.2")!],
                            maxCvss: cvss))))
            policies.append(
                Policy(
                    name: "\(tier)-production-neighbours", enforcement: .hard,
                    selector: Selector(environment: .equals("production"), tenantLabels: tenantSel),
                    rules: PolicyRules(
                        neighbours: NeighbourRules(
                            max: tier == "gold" ? 40 : nil,
                            forbid: [
                                Selector(tenant: .differentFromSelf, environment: .anyOf(["test", "development"]))
                            ],
                            minSecurityLevel: tier == "gold" ? 1 : nil,
                            maxIncidents: tier == "gold" ? CountWithin(count: 1, within: 30 * 86400) : nil))))
            policies.append(
                Policy(
                    name: "\(tier)-churn", enforcement: .soft, selector: Selector(tenantLabels: tenantSel),
                    rules: PolicyRules(
                        neighbours: NeighbourRules(
                            maxNew: CountWithin(count: tier == "gold" ? 30 : 60, within: 7 * 86400)))))
        }
        policies += [
            Policy(
                name: "dmz-zones", enforcement: .hard, selector: Selector(labels: ["exposure": .equals("public")]),
                rules: PolicyRules(networks: NetworkRules(zones: ["dmz", "mgmt"]))),
            Policy(
                name: "internal-zones", enforcement: .soft,
                selector: Selector(environment: .anyOf(["production", "staging"])),
                rules: PolicyRules(networks: NetworkRules(zones: ["dmz", "internal", "test", "mgmt"]))),
            Policy(
                name: "staging-isolation", enforcement: .hard, selector: Selector(environment: .equals("staging")),
                rules: PolicyRules(
                    neighbours: NeighbourRules(forbid: [
                        Selector(tenant: .differentFromSelf, environment: .equals("development"))
                    ]))),
            Policy(
                name: "test-off-tier4", enforcement: .soft,
                selector: Selector(environment: .anyOf(["test", "development"])),
                rules: PolicyRules(site: SiteRules(minTier: 1))),
            Policy(
                name: "eu-data", enforcement: .hard, selector: Selector(tenantLabels: ["tier": .not("bronze")]),
                rules: PolicyRules(site: SiteRules(jurisdictions: ["DE", "AT", "NL", "FR", "IE", "CH"]))),
            Policy(
                name: "no-esxi-7", enforcement: .hard, selector: Selector(environment: .equals("production")),
                rules: PolicyRules(hypervisor: HypervisorRules(minVersion: ["esxi": Version("8.0")!]))),
            Policy(
                name: "hardened-neighbours", enforcement: .soft, selector: Selector(environment: .equals("production")),
                rules: PolicyRules(neighbours: NeighbourRules(minSecurityLevel: 1))),
            Policy(
                name: "density", enforcement: .soft, selector: nil,
                rules: PolicyRules(neighbours: NeighbourRules(max: 60))),
            Policy(
                name: "incident-aware", enforcement: .soft, selector: Selector(environment: .equals("staging")),
                rules: PolicyRules(neighbours: NeighbourRules(maxIncidents: CountWithin(count: 2, within: 14 * 86400)))),
            Policy(
                name: "svc-0-pinned", enforcement: .hard, selector: Selector(labels: ["service": .equals("svc-0")]),
                rules: PolicyRules(
                    site: SiteRules(minTier: 2), hypervisor: HypervisorRules(virtualization: ["hvm", "para", "full"]))),
        ]
        return PolicySet(policies: policies)
    }
}

/// The vulnerabilities a generated datacenter's feed carries (shapes of real Xen, QEMU/KVM and ESXi advisories;
/// the two ESXi ones are in the CISA KEV catalogue).
public enum VulnerabilityCatalog {
    public static var standard: VulnerabilityFeed {
        func v(_ s: String) -> Version { Version(s)! }
        return VulnerabilityFeed(vulnerabilities: [
            Vulnerability(
                id: "CVE-2024-31142", product: "xen", cvss: 5.5,
                affected: [AffectedRange(introduced: v("4.0"), fixed: v("4.17.4"))]),
            Vulnerability(
                id: "CVE-2024-45818", product: "xen", cvss: 7.8,
                affected: [AffectedRange(introduced: v("4.16"), fixed: v("4.17.3"))]),
            Vulnerability(
                id: "CVE-2025-27462", product: "xen", cvss: 6.5,
                affected: [AffectedRange(introduced: v("4.18"), fixed: nil)]),
            Vulnerability(
                id: "CVE-2024-3446", product: "kvm", cvss: 8.2,
                affected: [AffectedRange(introduced: v("7.0"), fixed: v("8.2.2"))]),
            Vulnerability(
                id: "CVE-2024-7409", product: "kvm", cvss: 7.5,
                affected: [AffectedRange(introduced: v("7.0"), fixed: v("8.0"))]),
            Vulnerability(
                id: "CVE-2025-22224", product: "esxi", cvss: 9.3,
                affected: [AffectedRange(introduced: v("7.0"), fixed: v("8.0.3"))], knownExploited: true),
            Vulnerability(
                id: "CVE-2024-37085", product: "esxi", cvss: 6.8,
                affected: [AffectedRange(introduced: v("7.0"), fixed: v("8.0.3"))], knownExploited: true),
        ])
    }
}
