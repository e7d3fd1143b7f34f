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

    static func decodeStrings(_ text: String) -> [String] {
        guard let node = try? JSONParser.parse(text), case .array(let items) = node.value else { return [] }
        return items.compactMap { if case .scalar(let s, _) = $0.value { s } else { nil } }
    }

    static func decodeLabels(_ text: String) -> [String: String] {
        guard text != "{}", let node = try? JSONParser.parse(text), case .object(let ms) = node.value else {
            return [:]
        }
        var out: [String: String] = [:]
        for m in ms { if case .scalar(let s, _) = m.node.value { out[m.key] = s } }
        return out
    }

    static func decodeNICs(_ text: String) -> [NIC] {
        guard text != "[]", let node = try? JSONParser.parse(text), case .array(let items) = node.value else {
            return []
        }
        return items.compactMap { item in
            guard case .object(let ms) = item.value else { return nil }
            var f: [String: String] = [:]
            for m in ms { if case .scalar(let s, _) = m.node.value { f[m.key] = s } }
            guard let mac = f["mac"], let ip = f["ip"], let net = f["network"] else { return nil }
            return NIC(mac: mac, ip: ip, network: net)
        }
    }
}
