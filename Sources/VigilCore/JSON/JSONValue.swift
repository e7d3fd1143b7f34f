/// A JSON value for output. Objects keep member order so outputs are stable.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// Already-encoded JSON text, written verbatim (e.g. an event body from the log).
    case raw(String)

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        JSONWriter.write(lhs) == JSONWriter.write(rhs)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(JSONWriter.write(self)) }

    /// `.string(s)` or `.null`.
    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    /// An array of strings.
    public static func strings(_ xs: [String]) -> JSONValue { .array(xs.map { .string($0) }) }

    /// An object of string labels, keys sorted.
    public static func labels(_ labels: [String: String]) -> JSONValue {
        .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }
}

/// Writes `JSONValue`s as compact or indented JSON text.
public enum JSONWriter {
    /// Compact JSON (no spaces), as used in the event log.
    public static func write(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: nil, level: 0)
        return out
    }

    /// JSON indented by two spaces, for people and `--json` output.
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: "  ", level: 0)
        return out
    }

    /// A JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    static func quote(_ s: String, into out: inout String) {
        out.append("\"")
        var needsEscape = false
        for c in s.utf8 where c < 0x20 || c == 0x22 || c == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out.append(s)
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        out.append("\\u" + String(scalar.value, radix: 16, zeroPaddedTo: 4))
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out.append("\"")
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isFinite && d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func write(_ value: JSONValue, into out: inout String, indent: String?, level: Int) {
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(String(i))
        case .double(let d): out.append(d.isFinite ? formatDouble(d) : "null")
        case .string(let s): quote(s, into: &out)
        case .raw(let text): out.append(text)
        case .array(let xs):
            if xs.isEmpty {
                out.append("[]")
                return
            }
            out.append("[")
            for (i, x) in xs.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent, level + 1)
                write(x, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out.append("]")
        case .object(let members):
            if members.isEmpty {
                out.append("{}")
                return
            }
            out.append("{")
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent, level + 1)
                quote(k, into: &out)
                out.append(indent == nil ? ":" : ": ")
                write(v, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out.append("}")
        }
    }

    static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out.append("\n")
        for _ in 0..<level { out.append(indent) }
    }
}
