import Testing
import VigilCore
import VigilTestSupport

/// Edge cases of DESIGN §2, each with its exact audit; the reference evaluator must agree on every one.
@Suite struct PolicyEdgeCaseTests {
    static let t: Timestamp = 1_800_000_000
    static let day: Int64 = 86400

    /// h1 xen 4.17 (a, b), h2 xen 4.17.3a (c), h3 kvm 7.2 (d), h4 esxi 8.0.2 (empty).
    static func input(
        _ policies: [Policy], incidents: [(Timestamp, String)] = [], intervals: [PlacementInterval]? = nil
    )
        -> PolicyInput
    {
        var cmdb = Cmdb()
        cmdb.sites["s1"] = Site(id: "s1", tier: 3, jurisdiction: "DE")
        cmdb.networks["n1"] = Network(id: "n1", zone: "internal")
        func host(_ id: String, _ product: String, _ version: String) -> Host {
            Host(
                id: id, site: "s1", networks: ["n1"],
                hypervisor: Hypervisor(product: product, version: Version(version)!, virtualization: "hvm"),
                capacity: Resources(vcpus: 64, memoryMiB: 65536))
        }
        for h in [
            host("h1", "xen", "4.17"), host("h2", "xen", "4.17.3a"), host("h3", "kvm", "7.2"),
            host("h4", "esxi", "8.0.2"),
        ] {
            cmdb.hosts[h.id] = h
        }
        cmdb.tenants["gold"] = Tenant(id: "gold", labels: ["tier": "gold"])
        cmdb.tenants["plain"] = Tenant(id: "plain")
        func vm(
            _ id: String, _ tenant: String, _ env: String, _ labels: [String: String], _ host: String, level: Int = 3
        ) -> VM {
            VM(
                id: id, tenant: tenant, environment: env, securityLevel: level,
                resources: Resources(vcpus: 2, memoryMiB: 2048),
                template: Template(id: "tpl", patchLevel: "1"), nics: [], labels: labels, host: host)
        }
        for v in [
            vm("a", "gold", "production", ["team": "x"], "h1"), vm("b", "plain", "test", [:], "h1", level: 1),
            vm("c", "gold", "production", [:], "h2"), vm("d", "plain", "production", [:], "h3"),
        ] { cmdb.vms[v.id] = v }
        let placement = ["a": "h1", "b": "h1", "c": "h2", "d": "h3"]
        let history =
            intervals
            ?? placement.map {
                PlacementInterval(vm: $0.key, host: $0.value, start: t - 100 * day, end: nil, baseline: true)
            }
        return PolicyInput(
            cmdb: cmdb, placement: placement, intervals: history,
            incidents: incidents.enumerated().map {
                (
                    $0.element.0,
                    Incident(
                        id: "i\($0.offset)", subject: .vm($0.element.1), severity: .high, source: "t", signature: "")
                )
            },
            policies: PolicySet(policies: policies),
            vulnerabilities: VulnerabilityFeed(vulnerabilities: [
                Vulnerability(
                    id: "CVE-OPEN", product: "kvm", cvss: 9.1,
                    affected: [AffectedRange(introduced: Version("7.0"), fixed: nil)]),
                Vulnerability(
                    id: "CVE-FIXED", product: "xen", cvss: 8.0,
                    affected: [AffectedRange(introduced: Version("4.0"), fixed: Version("4.17.3"))]),
            ]), at: t)
    }

    static func policy(_ selector: Selector?, _ rules: PolicyRules, name: String = "p") -> Policy {
        Policy(name: name, enforcement: .hard, selector: selector, rules: rules)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: PolicyInput
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "empty host and a VM bound by no policy",
            input: input([policy(Selector(tenant: .equals("nobody")), PolicyRules(neighbours: NeighbourRules(max: 0)))]
            ), expected: []),
        Case(
            name: "version 4.17 below 4.17.3, 4.17.3a above it",
            input: input([
                policy(nil, PolicyRules(hypervisor: HypervisorRules(minVersion: ["xen": Version("4.17.3")!])))
            ]),
            expected: ["a|h1|p|hypervisor.minVersion|hard|", "b|h1|p|hypervisor.minVersion|hard|"]),
        Case(
            name: "a product absent from minVersion holds",
            input: input([
                policy(
                    Selector(id: .equals("d")),
                    PolicyRules(hypervisor: HypervisorRules(minVersion: ["xen": Version("9")!])))
            ]),
            expected: []),
        Case(
            name: "vulnerability without fixed affects every later version; fixed is exclusive",
            input: input([policy(nil, PolicyRules(hypervisor: HypervisorRules(maxCvss: 7.5)))]),
            expected: [
                "a|h1|p|hypervisor.maxCvss|hard|", "b|h1|p|hypervisor.maxCvss|hard|", "d|h3|p|hypervisor.maxCvss|hard|",
            ]),
        Case(
            name: "self with the label missing on both sides does not match",
            input: input([
                policy(
                    Selector(id: .equals("b")),
                    PolicyRules(neighbours: NeighbourRules(forbid: [Selector(labels: ["team": .sameAsSelf])])))
            ]),
            expected: []),
        Case(
            name: "!self matches a neighbour without the label when the bound VM has it",
            input: input([
                policy(
                    Selector(id: .equals("a")),
                    PolicyRules(neighbours: NeighbourRules(forbid: [Selector(labels: ["team": .differentFromSelf])])))
            ]),
            expected: ["a|h1|p|neighbours.forbid|hard|b"]),
        Case(
            name: "!self with the label missing on both sides does not match",
            input: input([
                policy(
                    Selector(id: .equals("b")),
                    PolicyRules(neighbours: NeighbourRules(forbid: [Selector(labels: ["other": .differentFromSelf])])))
            ]),
            expected: []),
        Case(
            name: "tenant !self and environment list",
            input: input([
                policy(
                    Selector(tenantLabels: ["tier": .equals("gold")]),
                    PolicyRules(
                        neighbours: NeighbourRules(forbid: [
                            Selector(tenant: .differentFromSelf, environment: .anyOf(["test", "development"]))
                        ])))
            ]),
            expected: ["a|h1|p|neighbours.forbid|hard|b"]),
        Case(
            name: "an incident exactly at t − within is outside the window, one at t is inside",
            input: input(
                [
                    policy(
                        Selector(id: .equals("a")),
                        PolicyRules(neighbours: NeighbourRules(maxIncidents: CountWithin(count: 0, within: 30 * day))))
                ],
                incidents: [(t - 30 * day, "b")]),
            expected: []),
        Case(
            name: "an incident at t counts",
            input: input(
                [
                    policy(
                        Selector(id: .equals("a")),
                        PolicyRules(neighbours: NeighbourRules(maxIncidents: CountWithin(count: 0, within: 30 * day))))
                ],
                incidents: [(t - 30 * day, "b"), (t, "b")]),
            expected: ["a|h1|p|neighbours.maxIncidents|hard|b"]),
        Case(
            name: "a neighbour that left and came back is one new neighbour",
            input: input(
                [
                    policy(
                        Selector(id: .equals("a")),
                        PolicyRules(neighbours: NeighbourRules(maxNew: CountWithin(count: 0, within: 10 * day))))
                ],
                intervals: [
                    PlacementInterval(vm: "a", host: "h1", start: t - 100 * day, end: nil, baseline: true),
                    PlacementInterval(vm: "b", host: "h1", start: t - 5 * day, end: t - 4 * day),
                    PlacementInterval(vm: "b", host: "h1", start: t - 2 * day, end: nil),
                    PlacementInterval(vm: "c", host: "h2", start: t - 100 * day, end: nil, baseline: true),
                    PlacementInterval(vm: "d", host: "h3", start: t - 100 * day, end: nil, baseline: true),
                ]),
            expected: ["a|h1|p|neighbours.maxNew|hard|b"]),
        Case(
            name: "co-residencies of the first import are not new",
            input: input([
                policy(nil, PolicyRules(neighbours: NeighbourRules(maxNew: CountWithin(count: 0, within: 1000 * day))))
            ]),
            expected: []),
        Case(
            name: "neighbours.max counts the other placed VMs",
            input: input([policy(nil, PolicyRules(neighbours: NeighbourRules(max: 0)))]),
            expected: ["a|h1|p|neighbours.max|hard|b", "b|h1|p|neighbours.max|hard|a"]),
    ]

    @Test(arguments: cases)
    func exactAudit(c: Case) {
        let world = PolicyWorld.build(c.input)
        #expect(Auditor.audit(world).map(\.referenceKey).sorted() == c.expected)
        #expect(ReferenceEvaluator(c.input).auditKeys() == c.expected)
    }

    @Test func placementOnAnEmptyHostAndItsReasons() {
        let input = Self.input([
            Self.policy(
                Selector(id: .equals("d")), PolicyRules(hypervisor: HypervisorRules(products: ["esxi", "xen"]))),
            Self.policy(
                Selector(id: .equals("c")), PolicyRules(neighbours: NeighbourRules(minSecurityLevel: 2)), name: "q"),
        ])
        let world = PolicyWorld.build(input)
        let answer = Placer.place(world.index(ofVM: "d")!, in: world, cache: HostVerdictCache(world))
        #expect(answer.feasible.map(\.host) == ["h4", "h2", "h1"])
        #expect(answer.feasible.map(\.score) == [0.0313, 0.0625, 0.0938])
        #expect(answer.rejected == [])
        let b = Placer.place(world.index(ofVM: "b")!, in: world, cache: HostVerdictCache(world))
        // b (level 1) may not join c, whose policy q requires neighbours of level 2.
        #expect(b.rejected == [PlacementRejection(host: "h2", policy: "q", rule: .neighboursMinSecurityLevel)])
        #expect(Set(b.feasible.map(\.host)) == ["h3", "h4"])
        #expect(ReferenceEvaluator(input).feasibleHosts(for: "b") == ["h3", "h4"])
    }
}
