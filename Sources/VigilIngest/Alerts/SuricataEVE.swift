import VigilCore

/// Suricata EVE JSON: `event_type: alert` records become alerts; every other event type is counted and skipped.
/// Severity 1/2/3 maps to high/medium/low (4 and above, used by some rule sets, to low).
enum SuricataEVE {
    /// The hash of `line` identifies the record: a re-delivered line is the same alert (the real curated set has
    /// two); it is only computed for alerts. Alerts without addresses (decoder events on malformed packets) are
    /// kept; they become unmatched incidents.
    static func alert(_ o: JSONObject, line: UnsafeBufferPointer<UInt8>) -> AlertLine {
        guard let type = o.string("event_type") else { return .malformed(reason: "event_type is missing") }
        guard type == "alert" else { return .skipped(type: type) }
        guard let ts = o.string("timestamp") else { return .malformed(reason: "timestamp is missing") }
        guard let time = RFC3339.parse(ts) else { return .malformed(reason: "timestamp \"\(ts)\" is not a time") }
        guard let alert = o.object("alert") else { return .malformed(reason: "alert object is missing") }
        guard let level = alert.int("severity") else { return .malformed(reason: "alert.severity is missing") }
        guard level >= 1 else { return .malformed(reason: "alert.severity \(level) is not 1, 2 or 3") }
        let src = o.string("src_ip")
        let dest = o.string("dest_ip")
        let sid = alert.string("signature_id") ?? ""
        let identity = "eve-" + stableHash(bytes: line)
        let severity: Severity = level == 1 ? .high : (level == 2 ? .medium : .low)
        return .alert(
            Alert(
                time: time, source: "suricata", identity: identity, severity: severity,
                signature: alert.string("signature") ?? "sid \(sid)", sourceIP: src, destinationIP: dest))
    }
}

/// Wazuh `alerts.json`: `rule.level` (0–15) maps to low (0–5), medium (6–9), high (10–12), critical (13–15);
/// `data.srcip` is the attacker's address, `agent.ip` the victim's; an agent whose name is a VM or host id
/// names the subject when no address matches.
enum WazuhAlert {
    static func alert(_ o: JSONObject) -> AlertLine {
        guard let ts = o.string("timestamp") else { return .malformed(reason: "timestamp is missing") }
        guard let time = RFC3339.parse(ts) else { return .malformed(reason: "timestamp \"\(ts)\" is not a time") }
        guard let rule = o.object("rule"), let level = rule.int("level") else {
            return .malformed(reason: "rule.level is missing")
        }
        guard (0...15).contains(level) else { return .malformed(reason: "rule.level \(level) is not 0…15") }
        let severity: Severity = level >= 13 ? .critical : level >= 10 ? .high : level >= 6 ? .medium : .low
        let agent = o.object("agent")
        let name = agent?.string("name")
        let identity =
            "wazuh-"
            + (o.string("id").map { stableHash([$0]) } ?? stableHash([ts, rule.string("id") ?? "", name ?? ""]))
        return .alert(
            Alert(
                time: time, source: "wazuh", identity: identity, severity: severity,
                signature: rule.string("description") ?? "rule \(rule.string("id") ?? "?")",
                sourceIP: o.object("data")?.string("srcip"), destinationIP: agent?.string("ip"),
                subject: name.map { .vm($0) }))
    }
}

/// Vigil's own incident form: the event line `{"time", "type": "incident", "incident": {…}}`.
enum VigilAlert {
    static func alert(_ node: DocNode) -> AlertLine {
        do throws(DocumentError) {
            let event = try EventDecoder.decode(node, file: "-")
            guard case .incident(let i) = event.body else { return .skipped(type: event.type) }
            return .alert(
                Alert(
                    time: event.time, source: i.source, identity: i.id, severity: i.severity, signature: i.signature,
                    sourceIP: i.role == "attacker" ? unmatched(i) : nil,
                    destinationIP: i.role == "victim" ? unmatched(i) : nil,
                    subject: i.subject))
        } catch {
            return .malformed(reason: error.path.isEmpty ? error.message : "\(error.path): \(error.message)")
        }
    }

    static func unmatched(_ i: Incident) -> String? {
        if case .unmatched(let ip) = i.subject { ip } else { nil }
    }
}
