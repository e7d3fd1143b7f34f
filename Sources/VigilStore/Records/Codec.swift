import VigilCore

/// Encodes small lists and label maps as JSON text columns, and reads them back.
enum Codec {
    static func strings(_ xs: [String]) -> String { JSONWriter.write(.strings(xs)) }

    static func labels(_ labels: [String: String]) -> String { JSONWriter.write(.labels(labels)) }

    static func nics(_ nics: [NIC]) -> String {
        JSONWriter.write(
            .array(
                nics.map {
                    .object([("mac", .string($0.mac)), ("ip", .string($0.ip)), ("network", .string($0.network))])
                }))
    }

    /// Reads a list of strings; anything else is an unreadable value (fail closed, never an empty list).
    static func decodeStrings(_ text: String, _ table: String, _ id: String, _ column: String) throws -> [String] {
        guard let node = try? JSONParser.parse(text), case .array(let items) = node.value else {
            throw RowDecoding.unreadable(text, table: table, id: id, column: column)
        }
        return try items.map {
            guard case .scalar(let s, _) = $0.value else {
                throw RowDecoding.unreadable(text, table: table, id: id, column: column)
            }
            return s
        }
    }

    /// Reads a label map; anything else is an unreadable value.
    static func decodeLabels(_ text: String, _ table: String, _ id: String, _ column: String) throws -> [String: String]
    {
        if text == "{}" { return [:] }
        guard let node = try? JSONParser.parse(text), case .object(let ms) = node.value else {
            throw RowDecoding.unreadable(text, table: table, id: id, column: column)
        }
        var out: [String: String] = [:]
        for m in ms {
            guard case .scalar(let s, _) = m.node.value else {
                throw RowDecoding.unreadable(text, table: table, id: id, column: column)
            }
            out[m.key] = s
        }
        return out
    }

    /// Reads a VM's NICs; an unreadable NIC is an error (a VM silently without NICs would lose its
    /// anti-spoofing rules).
    static func decodeNICs(_ text: String, _ table: String, _ id: String) throws -> [NIC] {
        if text == "[]" { return [] }
        guard let node = try? JSONParser.parse(text), case .array(let items) = node.value else {
            throw RowDecoding.unreadable(text, table: table, id: id, column: "nics")
        }
        return try items.map { item in
            var f: [String: String] = [:]
            if case .object(let ms) = item.value {
                for m in ms { if case .scalar(let s, _) = m.node.value { f[m.key] = s } }
            }
            guard let mac = f["mac"], let ip = f["ip"], let net = f["network"] else {
                throw RowDecoding.unreadable(text, table: table, id: id, column: "nics")
            }
            return NIC(mac: mac, ip: ip, network: net)
        }
    }
}
