/// Renders anti-spoofing rules as libvirt `<filterref>` elements (DESIGN §4), one per interface, ready to go
/// inside the interface's `<interface>` element in the domain XML.
///
/// Each references the stock `clean-traffic` filter with the parameters it reads: `MAC`, and one `IP` per IPv4
/// address. IPv6 addresses go into `IPV6` parameters (the variable `no-ipv6-spoofing` reads); note that
/// `clean-traffic` itself lets no IPv6 through. Values are passed as given, XML-escaped: libvirt validates them
/// when it instantiates the filter.
public enum LibvirtFilterRenderer {
    /// The `<filterref>` elements of `rules`, sorted by VM and interface, each after a comment naming both.
    public static func render(rules: [AntiSpoofRule]) -> String {
        var out = ""
        for rule in rules.sorted(by: AntiSpoofRule.renderOrder) {
            out += "<!-- vm \(commentText(rule.vm)), interface \(commentText(rule.interface)) -->\n"
            out += "<filterref filter='clean-traffic'>\n"
            out += "  <parameter name='MAC' value='\(escape(rule.mac))'/>\n"
            for ip in rule.ips {
                let name = ip.contains(":") ? "IPV6" : "IP"
                out += "  <parameter name='\(name)' value='\(escape(ip))'/>\n"
            }
            out += "</filterref>\n"
        }
        return out
    }

    /// Text for an attribute value in single or double quotes: markup characters as entities, control
    /// characters XML 1.0 cannot carry as U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out += "&#\(s.value);"
            default:
                out.unicodeScalars.append(s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF ? "\u{FFFD}" : s)
            }
        }
        return out
    }

    /// Text for inside an XML comment: no `--` (a space goes between the dashes) and no forbidden control
    /// characters.
    static func commentText(_ text: String) -> String {
        var out = ""
        var lastDash = false
        for s in text.unicodeScalars {
            if s == "-" && lastDash { out += " " }
            lastDash = s == "-"
            out.unicodeScalars.append(s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF ? "\u{FFFD}" : s)
        }
        return out
    }
}
