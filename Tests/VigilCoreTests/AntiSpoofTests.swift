import Foundation
import Testing
import VigilCore
import VigilTestSupport

@Suite struct AntiSpoofTests {
    /// Two VMs on one host: web-1 with an IPv4 and an IPv6 address (MAC and IPv6 in upper case), db-1 with two NICs.
    static let twoVMs = [
        AntiSpoofRule(
            vm: "web-1", interface: AntiSpoofRule.interfaceName(vm: "web-1", nic: 0), mac: "52:54:00:AB:00:01",
            ips: ["10.0.1.5", "2001:DB8:0:0::5"]),
        AntiSpoofRule(
            vm: "db-1", interface: AntiSpoofRule.interfaceName(vm: "db-1", nic: 0), mac: "52:54:00:ab:00:02",
            ips: ["10.0.2.7"]),
        AntiSpoofRule(
            vm: "db-1", interface: AntiSpoofRule.interfaceName(vm: "db-1", nic: 1), mac: "52:54:00:ab:00:03",
            ips: ["10.0.3.8", "10.0.3.7"]),
    ]

    @Test func nftablesRulesetForTwoVMs() {
        let expected = """
            #!/usr/sbin/nft -f
            # Vigil anti-spoofing rules for host host-1.dc1 (generated; loading replaces the table atomically).
            # Each guarded VM interface may send only its own MAC and IP addresses.

            add table bridge vigil_host_1_dc1
            delete table bridge vigil_host_1_dc1

            table bridge vigil_host_1_dc1 {
                set guarded {
                    type ifname
                    elements = {
                        "vg4476ec01-0",  # vm db-1
                        "vg4476ec01-1",  # vm db-1
                        "vg76b7b71f-0",  # vm web-1
                    }
                }

                set allowed_mac {
                    type ifname . ether_addr
                    elements = {
                        "vg4476ec01-0" . 52:54:00:ab:00:02,  # vm db-1
                        "vg4476ec01-1" . 52:54:00:ab:00:03,  # vm db-1
                        "vg76b7b71f-0" . 52:54:00:ab:00:01,  # vm web-1
                    }
                }

                set allowed_ipv4 {
                    type ifname . ipv4_addr
                    elements = {
                        "vg4476ec01-0" . 10.0.2.7,  # vm db-1
                        "vg4476ec01-1" . 10.0.3.7,  # vm db-1
                        "vg4476ec01-1" . 10.0.3.8,  # vm db-1
                        "vg76b7b71f-0" . 10.0.1.5,  # vm web-1
                    }
                }

                set ipv6_ifaces {
                    type ifname
                    elements = {
                        "vg76b7b71f-0",  # vm web-1
                    }
                }

                set allowed_ipv6 {
                    type ifname . ipv6_addr
                    elements = {
                        "vg76b7b71f-0" . 2001:db8::5,  # vm web-1
                    }
                }

                chain vm_egress {
                    type filter hook prerouting priority filter; policy accept;
                    iifname != @guarded accept
                    iifname . ether saddr != @allowed_mac counter drop
                    ether type vmap { arp : jump vm_arp, ip : jump vm_ipv4, ip6 : jump vm_ipv6, 0x8035 : accept }
                    counter drop
                }

                chain vm_arp {
                    arp htype . arp ptype . arp hlen . arp plen != { 1 . ip . 6 . 4 } counter drop
                    iifname . arp saddr ether != @allowed_mac counter drop
                    arp saddr ip 0.0.0.0 accept
                    iifname . arp saddr ip != @allowed_ipv4 counter drop
                    accept
                }

                chain vm_ipv4 {
                    ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 accept
                    iifname . ip saddr != @allowed_ipv4 counter drop
                    accept
                }

                chain vm_ipv6 {
                    iifname != @ipv6_ifaces counter drop
                    ip6 saddr fe80::/10 accept
                    ip6 saddr :: meta l4proto ipv6-icmp accept
                    iifname . ip6 saddr != @allowed_ipv6 counter drop
                    accept
                }
            }

            """
        #expect(NftablesRenderer.render(host: "host-1.dc1", rules: Self.twoVMs) == expected)
    }

    @Test func noRulesGiveAnEmptyTable() {
        let expected = """
            #!/usr/sbin/nft -f
            # Vigil anti-spoofing rules for host h (generated; loading replaces the table atomically).
            # Each guarded VM interface may send only its own MAC and IP addresses.

            add table bridge vigil_h
            delete table bridge vigil_h

            table bridge vigil_h {
            }

            """
        #expect(NftablesRenderer.render(host: "h", rules: []) == expected)
    }

    @Test(arguments: [
        ("host-1", "vigil_host_1"), ("eu.west/rack 7", "vigil_eu_west_rack_7"), ("Hôte_9", "vigil_H_te_9"),
        ("", "vigil_"),
    ])
    func tableNameKeepsIdentifierCharactersOnly(host: String, table: String) {
        #expect(NftablesRenderer.tableName(host: host) == table)
    }

    @Test func invalidValuesBecomeCommentsNotRules() {
        let rules = [
            AntiSpoofRule(vm: "a\nb", interface: "bad name", mac: "52:54:00:00:00:01", ips: ["10.0.0.1"]),
            AntiSpoofRule(
                vm: "c", interface: "ok", mac: "zz", ips: ["1.2.3", "010.0.0.1", "fe80::1%eth0", "1:0:0:1:0:0:0:1"]),
        ]
        let text = NftablesRenderer.render(host: "x", rules: rules)
        #expect(
            text.contains(
                """
                table bridge vigil_x {
                    # vm a b interface "bad name": not guarded, not a valid interface name
                    # vm c interface "ok": MAC "zz" is not valid; the interface may send nothing
                    # vm c interface "ok": address "1.2.3" left out, not an IPv4 or IPv6 address
                    # vm c interface "ok": address "010.0.0.1" left out, not an IPv4 or IPv6 address
                    # vm c interface "ok": address "fe80::1%eth0" left out, not an IPv4 or IPv6 address

                    set guarded {
                        type ifname
                        elements = {
                            "ok",  # vm c
                        }
                    }

                    set allowed_mac {
                        type ifname . ether_addr
                    }

                """))
        #expect(text.contains("\"ok\" . 1:0:0:1::1,  # vm c\n"))
        #expect(!text.contains("bad name\","))
    }

    @Test func renderingIsDeterministic() {
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 1, hosts: 2, vms: 60, tenants: 3, days: 1, events: 0, seed: 4))
        let rules = dc.inventory.vms.flatMap(AntiSpoofRule.rules(for:))
        let text = NftablesRenderer.render(host: "h", rules: rules)
        #expect(NftablesRenderer.render(host: "h", rules: rules) == text)
        #expect(NftablesRenderer.render(host: "h", rules: rules.reversed()) == text)
        #expect(NftablesRenderer.render(host: "h", rules: Array(rules[17...] + rules[..<17])) == text)
        #expect(NftablesRenderer.render(host: "h", rules: rules + rules.prefix(5)) == text)
        #expect(LibvirtFilterRenderer.render(rules: rules.reversed()) == LibvirtFilterRenderer.render(rules: rules))
        for rule in rules { #expect(text.contains("\"\(rule.interface)\" . \(rule.mac),  # vm \(rule.vm)\n")) }
    }

    @Test func libvirtFilterReferences() {
        let expected = """
            <!-- vm db-1, interface vg4476ec01-0 -->
            <filterref filter='clean-traffic'>
              <parameter name='MAC' value='52:54:00:ab:00:02'/>
              <parameter name='IP' value='10.0.2.7'/>
            </filterref>
            <!-- vm db-1, interface vg4476ec01-1 -->
            <filterref filter='clean-traffic'>
              <parameter name='MAC' value='52:54:00:ab:00:03'/>
              <parameter name='IP' value='10.0.3.8'/>
              <parameter name='IP' value='10.0.3.7'/>
            </filterref>
            <!-- vm web-1, interface vg76b7b71f-0 -->
            <filterref filter='clean-traffic'>
              <parameter name='MAC' value='52:54:00:AB:00:01'/>
              <parameter name='IP' value='10.0.1.5'/>
              <parameter name='IPV6' value='2001:DB8:0:0::5'/>
            </filterref>

            """
        #expect(LibvirtFilterRenderer.render(rules: Self.twoVMs) == expected)
        #expect(LibvirtFilterRenderer.render(rules: []) == "")
    }

    @Test func libvirtEscapesValuesAndComments() {
        let rule = AntiSpoofRule(vm: "a--b-", interface: "t<1>", mac: "x'&\"y", ips: ["<ip>"])
        #expect(
            LibvirtFilterRenderer.render(rules: [rule]) == """
                <!-- vm a- -b-, interface t<1> -->
                <filterref filter='clean-traffic'>
                  <parameter name='MAC' value='x&apos;&amp;&quot;y'/>
                  <parameter name='IP' value='&lt;ip&gt;'/>
                </filterref>

                """)
    }

    @Test func migrationHandoverMovesEveryNICRule() {
        let vm = VM(
            id: "web-1", tenant: "t", environment: "production", securityLevel: 2,
            resources: Resources(vcpus: 2, memoryMiB: 4096), template: Template(id: "ubuntu", patchLevel: "2026.08"),
            nics: [
                NIC(mac: "52:54:00:00:00:01", ip: "10.0.0.1", network: "dc1-int"),
                NIC(mac: "52:54:00:00:00:02", ip: "10.1.0.1", network: "dc1-dmz"),
            ], host: "h1")
        let rules = [
            AntiSpoofRule(vm: "web-1", interface: "vg76b7b71f-0", mac: "52:54:00:00:00:01", ips: ["10.0.0.1"]),
            AntiSpoofRule(vm: "web-1", interface: "vg76b7b71f-1", mac: "52:54:00:00:00:02", ips: ["10.1.0.1"]),
        ]
        let handover = FilterHandover.forMigration(vm: vm, from: "h1", to: "h2")
        #expect(handover == FilterHandover(source: "h1", target: "h2", remove: rules, add: rules))

        let other = AntiSpoofRule(vm: "db-1", interface: "vg4476ec01-0", mac: "52:54:00:00:00:09", ips: ["10.0.0.9"])
        let stale = AntiSpoofRule(vm: "web-1", interface: "vg76b7b71f-0", mac: "52:54:00:00:00:07", ips: ["10.0.0.7"])
        #expect(handover.rules(on: "h1", current: [rules[0], other, rules[1]]) == [other])
        #expect(handover.rules(on: "h2", current: [stale, other]) == [other] + rules)
        #expect(handover.rules(on: "h3", current: [other]) == [other])
    }

    /// Every rendered ruleset must pass `nft -c -f` (CI installs nftables).
    @Test func nftAcceptsRenderedRulesets() throws {
        #if !os(Linux)
            try Test.cancel("nftables needs Linux")
        #else
            guard let nft = AntiSpoofTool.find("nft") else {
                Issue.record("nft is not installed: apt-get install -y nftables")
                return
            }
            let dc = DatacenterGenerator.generate(
                GeneratorConfig(sites: 2, hosts: 6, vms: 150, tenants: 5, days: 1, events: 0, seed: 11))
            let byHost = Dictionary(grouping: dc.inventory.vms.filter(\.isPlaced), by: { $0.host ?? "" })
            var cases = byHost.keys.sorted().prefix(6).map { host in
                (host, byHost[host, default: []].flatMap(AntiSpoofRule.rules(for:)))
            }
            #expect(cases.count >= 4 && cases.allSatisfy { !$0.1.isEmpty })
            cases += [("host-1.dc1", Self.twoVMs), ("empty", [])]
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-nft-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            for (host, rules) in cases {
                let file = dir.appendingPathComponent("\(NftablesRenderer.tableName(host: host)).nft")
                try NftablesRenderer.render(host: host, rules: rules).write(to: file, atomically: true, encoding: .utf8)
                let (status, output) = try ProcessRunner.run(nft, ["-c", "-f", file.path])
                let message = output.trimmingCharacters(in: .whitespacesAndNewlines)
                if status != 0, AntiSpoofTool.lacksPermission(output) {
                    print("AntiSpoofTests: nft -c skipped, this sandbox denies netlink: \(message)")
                    try Test.cancel("nft -c needs netlink access (CAP_NET_ADMIN): \(message)")
                }
                #expect(status == 0, "nft -c -f for host \(host) (\(rules.count) rules): \(message)")
            }
        #endif
    }
}

/// Running the system tools the anti-spoofing tests check their output with.
enum AntiSpoofTool {
    /// The path of `name` on PATH or in the sbin directories (often missing from non-root PATHs).
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return dirs.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether nft failed for want of netlink rights rather than because of the ruleset.
    static func lacksPermission(_ output: String) -> Bool {
        ["Operation not permitted", "Permission denied", "cache initialization failed"].contains {
            output.contains($0)
        }
    }
}
