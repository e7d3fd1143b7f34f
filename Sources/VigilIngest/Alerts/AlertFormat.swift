import VigilCore

/// The alert formats `vigil ingest` reads.
public enum AlertFormat: String, Sendable, CaseIterable {
    case suricata, wazuh, vigil
}

/// One line of an alert stream, parsed.
public enum AlertLine: Sendable {
    /// An alert to attribute.
    case alert(Alert)
    /// A valid record that is not an alert (e.g. EVE `flow`, `dns`), by type.
    case skipped(type: String)
    /// A line that cannot be used, with the reason.
    case malformed(reason: String)
}

/// Parses alert streams line by line; a bad line never stops the stream.
public enum AlertParser {
    /// Parses one line (without its newline) of the given format.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>, format: AlertFormat) -> AlertLine {
        let node: DocNode
        do throws(JSONSyntaxError) {
            node = try JSONParser.parse(bytes: line)
        } catch {
            return .malformed(reason: "JSON syntax: \(error.message)")
        }
        guard case .object(let members) = node.value else { return .malformed(reason: "not a JSON object") }
        let o = JSONObject(members)
        switch format {
        case .suricata: return SuricataEVE.alert(o, line: line)
        case .wazuh: return WazuhAlert.alert(o)
        case .vigil: return VigilAlert.alert(node)
        }
    }

    /// Parses every line of `text`, calling `each(lineNumber, result)` for non-blank lines.
    public static func parseLines(_ text: String, format: AlertFormat, _ each: (Int, AlertLine) -> Void) {
        var text = text
        text.withUTF8 { buf in
            TextLines.forEachNonBlank(buf) { lineNo, line in
                each(lineNo, parse(line, format: format))
                return true
            }
        }
    }
}

/// Read-only access to a JSON object's members by path.
struct JSONObject {
    let members: [DocMember]

    init(_ members: [DocMember]) { self.members = members }

    func node(_ key: String) -> DocNode? { members.first { $0.key == key }?.node }

    func object(_ key: String) -> JSONObject? {
        guard let n = node(key), case .object(let m) = n.value else { return nil }
        return JSONObject(m)
    }

    func string(_ key: String) -> String? {
        guard let n = node(key), case .scalar(let s, _) = n.value else { return nil }
        return s
    }

    func int(_ key: String) -> Int? { string(key).flatMap { Int($0) } }
}

/// FNV-1a over raw bytes, as 16 hex digits: the same record delivered twice has the same identity.
func stableHash(bytes: UnsafeBufferPointer<UInt8>) -> String {
    var h = fnvBasis
    fnv1a(bytes, into: &h)
    return hex16(h)
}

/// A stable 64-bit FNV-1a hash, hex: alert identities that survive re-delivery.
func stableHash(_ parts: [String]) -> String {
    var h = fnvBasis
    for p in parts {
        fnv1a(p.utf8, into: &h)
        fnv1a(CollectionOfOne(0x1f), into: &h)
    }
    return hex16(h)
}

let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325

func fnv1a<S: Sequence<UInt8>>(_ bytes: S, into h: inout UInt64) {
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
    }
}

/// `h` as 16 lowercase hex digits.
func hex16(_ h: UInt64) -> String { String(h, radix: 16, zeroPaddedTo: 16) }
