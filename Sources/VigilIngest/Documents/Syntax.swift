import Foundation

/// Syntax checks for identifiers and network addresses.
enum Syntax {
    static func isIdentifier(_ s: String) -> Bool { !s.isEmpty && s.utf8.allSatisfy(isIdentifierByte) }

    /// A letter, digit, '.', '_' or '-'.
    static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
    }

    /// A MAC address `xx:xx:xx:xx:xx:xx` (or with `-`), returned lowercase with colons.
    static func mac(_ s: String) -> String? {
        let parts = s.split(separator: s.contains("-") ? "-" : ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts.allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }) else { return nil }
        return parts.joined(separator: ":").lowercased()
    }

    /// An IPv4 or IPv6 address in canonical text form.
    static func ip(_ s: String) -> String? {
        if let v4 = ipv4(s) { return v4 }
        guard s.contains(":") else { return nil }
        var addr = in6_addr()
        guard inet_pton(AF_INET6, s, &addr) == 1 else { return nil }
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &addr, &buf, socklen_t(buf.count)) != nil else { return nil }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func ipv4(_ s: String) -> String? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let v = Int(p), v <= 255,
                p == "0" || !p.hasPrefix("0")
            else { return nil }
        }
        return s
    }
}
