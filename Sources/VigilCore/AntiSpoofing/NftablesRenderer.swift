/// Renders a host's anti-spoofing rules as one nftables ruleset file (DESIGN §4), for `nft -f`.
///
/// The file holds one `bridge` table per host, `vigil_<host>`. Loading it replaces that table atomically, so
/// reloading is idempotent. Its `vm_egress` chain, hooked at bridge `prerouting` (every frame a port sends,
/// forwarded or for the host itself), lets each guarded interface send only:
/// - frames whose Ethernet source is the interface's MAC;
/// - ARP for Ethernet/IPv4 whose sender MAC is that MAC and sender IP one of its IPv4 addresses (or 0.0.0.0, the
///   RFC 5227 probe);
/// - IPv4 from its IPv4 addresses, plus DHCP discovery from 0.0.0.0;
/// - IPv6 from its IPv6 addresses, plus link-local (fe80::/10) and ICMPv6 from `::` (duplicate address
///   detection) — only for interfaces that own an IPv6 address;
/// - RARP (QEMU's announce after a migration).
///
/// Everything else from a guarded interface (other EtherTypes, VLAN tags) is dropped and counted; frames from
/// other bridge ports pass untouched. Values nft could not parse are left out with a comment rather than
/// breaking the whole file: a bad interface name is not guarded, a bad MAC or IP is simply not allowed.
public enum NftablesRenderer {
    /// The complete ruleset file for `host`. Rules are sorted by VM and interface; no rules give an empty table.
    public static func render(host: String, rules: [AntiSpoofRule]) -> String {
        let table = tableName(host: host)
        let plan = Plan(rules: rules)
        var out = """
            #!/usr/sbin/nft -f
            # Vigil anti-spoofing rules for host \(commentText(host)) (generated; loading replaces the table atomically).
            # Each guarded VM interface may send only its own MAC and IP addresses.

            add table bridge \(table)
            delete table bridge \(table)

            table bridge \(table) {
            """ + "\n"
        for note in plan.notes { out += "    # \(commentText(note))\n" }
        if plan.guarded.isEmpty { return out + "}\n" }
        if !plan.notes.isEmpty { out += "\n" }
        out += set("guarded", type: "ifname", plan.guarded.map { ("\"\($0.interface)\"", $0.vm) })
        out += set("allowed_mac", type: "ifname . ether_addr", plan.macs)
        out += set("allowed_ipv4", type: "ifname . ipv4_addr", plan.ipv4)
        out += set("ipv6_ifaces", type: "ifname", plan.ipv6Interfaces)
        out += set("allowed_ipv6", type: "ifname . ipv6_addr", plan.ipv6)
        out += """
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
        return out
    }

    /// The host's table name: `vigil_` + the host id with every character but ASCII letters, digits and `_`
    /// replaced by `_`.
    public static func tableName(host: String) -> String {
        let chars = host.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_") ? Character(s) : "_"
        }
        return "vigil_" + String(chars)
    }

    /// A named set; elements are (value, VM) pairs, the VM going into a trailing comment.
    private static func set(_ name: String, type: String, _ elements: [(String, String)]) -> String {
        var out = "    set \(name) {\n        type \(type)\n"
        if !elements.isEmpty {
            out += "        elements = {\n"
            for (value, vm) in elements { out += "            \(value),  # vm \(commentText(vm))\n" }
            out += "        }\n"
        }
        return out + "    }\n\n"
    }

    /// Text safe in a `#` comment: control characters (line breaks above all) become spaces.
    static func commentText(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }

    /// The set elements of the sorted, validated rules; each key appears once.
    private struct Plan {
        var guarded: [(interface: String, vm: String)] = []
        var macs: [(String, String)] = []
        var ipv4: [(String, String)] = []
        var ipv6Interfaces: [(String, String)] = []
        var ipv6: [(String, String)] = []
        var notes: [String] = []

        init(rules: [AntiSpoofRule]) {
            var seen: Set<String> = []
            var owner: [String: String] = [:]
            for rule in rules.sorted(by: AntiSpoofRule.renderOrder) {
                let subject = "vm \(rule.vm) interface \"\(rule.interface)\""
                guard AddressText.isInterfaceName(rule.interface) else {
                    notes.append("\(subject): not guarded, not a valid interface name")
                    continue
                }
                let iface = "\"\(rule.interface)\""
                if let first = owner[rule.interface], first != rule.vm {
                    notes.append("\(subject): also claimed by vm \(first); both VMs' addresses are allowed")
                }
                func add(_ key: String, _ value: String, to list: inout [(String, String)]) {
                    if seen.insert(key + " " + value).inserted { list.append((value, rule.vm)) }
                }
                if owner[rule.interface] == nil {
                    owner[rule.interface] = rule.vm
                    guarded.append((rule.interface, rule.vm))
                }
                if let mac = AddressText.mac(rule.mac) {
                    add("mac", "\(iface) . \(mac)", to: &macs)
                } else {
                    notes.append("\(subject): MAC \"\(rule.mac)\" is not valid; the interface may send nothing")
                }
                var v4: [UInt32] = []
                var v6: [[UInt16]] = []
                for ip in rule.ips {
                    if let a = AddressText.ipv4(ip) {
                        v4.append(a)
                    } else if let a = AddressText.ipv6(ip) {
                        v6.append(a)
                    } else {
                        notes.append("\(subject): address \"\(ip)\" left out, not an IPv4 or IPv6 address")
                    }
                }
                for a in v4.sorted() { add("ipv4", "\(iface) . \(AddressText.format(ipv4: a))", to: &ipv4) }
                if !v6.isEmpty { add("ipv6if", iface, to: &ipv6Interfaces) }
                for a in v6.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                    add("ipv6", "\(iface) . \(AddressText.format(ipv6: a))", to: &ipv6)
                }
            }
        }
    }
}

extension AntiSpoofRule {
    /// The order renderers list rules in: by VM, interface, then MAC and IPs (so duplicates render stably).
    static func renderOrder(_ a: AntiSpoofRule, _ b: AntiSpoofRule) -> Bool {
        (a.vm, a.interface, a.mac, a.ips.joined(separator: ",")) < (
            b.vm, b.interface, b.mac, b.ips.joined(separator: ",")
        )
    }
}

/// Parsing and canonical text of the addresses in anti-spoofing rules, strict enough that nft accepts the output.
enum AddressText {
    /// A Linux interface name nft can quote: 1–15 of ASCII letters, digits, `-`, `_`, `.` (not `.` or `..`).
    static func isInterfaceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...15).contains(bytes.count), name != ".", name != ".." else { return false }
        return bytes.allSatisfy {
            isHex($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || "-_.".utf8.contains($0)
        }
    }

    /// A MAC of six `:`-separated octets of one or two hex digits, in lowercase two-digit form.
    static func mac(_ text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var out: [String] = []
        for p in parts {
            guard (1...2).contains(p.utf8.count), p.utf8.allSatisfy(isHex), let v = UInt8(p, radix: 16) else {
                return nil
            }
            out.append(hex(UInt16(v), width: 2))
        }
        return out.joined(separator: ":")
    }

    /// A dotted-quad IPv4 address (decimal octets without leading zeros).
    static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.utf8.count), p.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                p.utf8.count == 1 || p.utf8.first != 0x30, let v = UInt32(p), v <= 255
            else { return nil }
            value = value << 8 | v
        }
        return value
    }

    static func ipv4(_ text: String) -> UInt32? { ipv4(Substring(text)) }

    /// An IPv6 address in any RFC 4291 text form (one `::`, optional trailing dotted quad), as eight groups.
    static func ipv6(_ text: String) -> [UInt16]? {
        guard text.utf8.count <= 45 else { return nil }
        func groups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i == parts.count - 1, p.contains("."), let v4 = ipv4(p) {
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    guard (1...4).contains(p.utf8.count), p.utf8.allSatisfy(isHex), let v = UInt16(p, radix: 16)
                    else { return nil }
                    out.append(v)
                }
            }
            return out
        }
        let gaps = text.ranges(of: "::")
        guard let gap = gaps.first else {
            guard let all = groups(Substring(text)), all.count == 8 else { return nil }
            return all
        }
        guard gaps.count == 1, let head = groups(text[..<gap.lowerBound]), let tail = groups(text[gap.upperBound...]),
            head.count + tail.count <= 7
        else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    static func format(ipv4 a: UInt32) -> String {
        "\(a >> 24).\(a >> 16 & 255).\(a >> 8 & 255).\(a & 255)"
    }

    /// RFC 5952 text: lowercase, no leading zeros, the first longest run of two or more zero groups as `::`.
    static func format(ipv6 g: [UInt16]) -> String {
        var best = (start: -1, length: 1)
        var i = 0
        while i < g.count {
            var j = i
            while j < g.count && g[j] == 0 { j += 1 }
            if j - i > best.length { best = (i, j - i) }
            i = j == i ? i + 1 : j
        }
        let text = { (r: ArraySlice<UInt16>) in r.map { String($0, radix: 16) }.joined(separator: ":") }
        guard best.start >= 0 else { return text(g[...]) }
        return text(g[..<best.start]) + "::" + text(g[(best.start + best.length)...])
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x61...0x66).contains(b) || (0x41...0x46).contains(b)
    }

    private static func hex(_ v: UInt16, width: Int) -> String { String(v, radix: 16, zeroPaddedTo: width) }
}
