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
        case .suricata: return SuricataEVE.alert(o, lineHash: stableHash(bytes: line))
        case .wazuh: return WazuhAlert.alert(o, lineHash: stableHash(bytes: line))
        case .vigil: return VigilAlert.alert(node)
        }
    }

    /// Parses every line of `text`, calling `each(lineNumber, result)` for non-blank lines.
    public static func parseLines(_ text: String, format: AlertFormat, _ each: (Int, AlertLine) -> Void) {
        var text = text
        text.withUTF8 { buf in
            var lineNo = 1
            var start = 0
            while start < buf.count {
                var end = start
                while end < buf.count && buf[end] != 10 { end += 1 }
                let slice = UnsafeBufferPointer(rebasing: buf[start..<end])
                if slice.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) {
                    each(lineNo, parse(slice, format: format))
                }
                lineNo += 1
                start = end + 1
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
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// A stable 64-bit FNV-1a hash, hex: alert identities that survive re-delivery.
func stableHash(_ parts: [String]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in parts {
        for b in p.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        h ^= 0x1f
        h = h &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
