/// A software version compared per DESIGN §2: dot-separated components, numbers numerically,
/// missing components as 0, a non-numeric component after every number and as text among texts.
public struct Version: Sendable, Comparable, Hashable, CustomStringConvertible {
    enum Component: Sendable, Hashable {
        case number(UInt64)
        /// A component with a numeric prefix and a suffix, e.g. `3a` = (3, "a").
        case suffixed(UInt64, String)
        case text(String)
    }

    /// The version as written.
    public let text: String
    let components: [Component]

    /// Parses a version; nil when it is empty, has an empty component or a character outside `[A-Za-z0-9_+~-]`.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        var parts: [Component] = []
        for piece in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !piece.isEmpty,
                piece.utf8.allSatisfy({ c in
                    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 43
                        || c == 126 || c == 45
                })
            else { return nil }
            if let n = UInt64(piece) {
                parts.append(.number(n))
            } else if let digits = piece.firstIndex(where: { !$0.isNumber }), digits != piece.startIndex,
                let n = UInt64(piece[..<digits])
            {
                parts.append(.suffixed(n, String(piece[digits...])))
            } else {
                parts.append(.text(String(piece)))
            }
        }
        self.text = text
        // Trailing zeros do not change the order ("4.17" == "4.17.0"); drop them so hashing agrees with ==.
        while case .number(0)? = parts.last, parts.count > 1 { parts.removeLast() }
        self.components = parts
    }

    public var description: String { text }

    /// Numbers compare numerically; a suffixed number (`3a`) sorts just after its number (3 < 3a < 3b < 4), so a
    /// patched `4.17.3a` stays below a fix released as `4.17.4`; pure text sorts after every number.
    static func compare(_ a: Component, _ b: Component) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.number(let x), .number(let y)): return cmp(x, y)
        case (.number(let x), .suffixed(let y, _)): return x <= y ? -1 : 1
        case (.suffixed(let x, _), .number(let y)): return x < y ? -1 : 1
        case (.suffixed(let x, let s), .suffixed(let y, let t)): return x != y ? cmp(x, y) : cmp(s, t)
        case (.number, .text), (.suffixed, .text): return -1
        case (.text, .number), (.text, .suffixed): return 1
        case (.text(let x), .text(let y)): return cmp(x, y)
        }
    }

    /// -1, 0 or 1 as `lhs` is older than, equal to or newer than `rhs`.
    public static func compare(_ lhs: Version, _ rhs: Version) -> Int {
        let n = max(lhs.components.count, rhs.components.count)
        for i in 0..<n {
            let a = i < lhs.components.count ? lhs.components[i] : .number(0)
            let b = i < rhs.components.count ? rhs.components[i] : .number(0)
            let c = compare(a, b)
            if c != 0 { return c }
        }
        return 0
    }

    public static func < (lhs: Version, rhs: Version) -> Bool { compare(lhs, rhs) < 0 }
    public static func == (lhs: Version, rhs: Version) -> Bool { compare(lhs, rhs) == 0 }
    public func hash(into hasher: inout Hasher) { hasher.combine(components) }
}
