import VigilCore

/// Reads the members of one mapping with typed accessors; every error names file, line and field path,
/// and `finish()` rejects members nobody asked for (unknown fields are errors).
struct FieldReader {
    let file: String
    let path: String
    let line: Int
    let members: [DocMember]
    private var used: Set<String> = []

    init(_ node: DocNode, path: String, file: String) throws(DocumentError) {
        guard case .object(let members) = node.value else {
            throw DocumentError(
                file: file, line: node.line, path: path, message: "expected a mapping, found \(node.typeName)")
        }
        var seen: Set<String> = []
        for m in members where !seen.insert(m.key).inserted {
            throw DocumentError(file: file, line: m.line, path: Self.join(path, m.key), message: "duplicate field")
        }
        self.file = file
        self.path = path
        self.line = node.line
        self.members = members
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fieldPath(_ key: String) -> String { Self.join(path, key) }

    func error(_ line: Int, _ path: String, _ message: String) -> DocumentError {
        DocumentError(file: file, line: line, path: path, message: message)
    }

    /// The node of `key` (nil when absent or null), marking it used.
    mutating func node(_ key: String) -> DocNode? {
        used.insert(key)
        for m in members where m.key == key {
            if case .null = m.node.value { return nil }
            return m.node
        }
        return nil
    }

    mutating func require(_ key: String) throws(DocumentError) -> DocNode {
        guard let n = node(key) else { throw error(line, fieldPath(key), "required field is missing") }
        return n
    }

    func text(_ n: DocNode, _ path: String) throws(DocumentError) -> String {
        guard case .scalar(let s, _) = n.value else {
            throw error(n.line, path, "expected a string, found \(n.typeName)")
        }
        return s
    }

    mutating func string(_ key: String) throws(DocumentError) -> String {
        let n = try require(key)
        let s = try text(n, fieldPath(key))
        guard !s.isEmpty else { throw error(n.line, fieldPath(key), "must not be empty") }
        return s
    }

    mutating func optionalString(_ key: String) throws(DocumentError) -> String? {
        guard let n = node(key) else { return nil }
        return try text(n, fieldPath(key))
    }

    mutating func identifier(_ key: String) throws(DocumentError) -> String {
        let n = try require(key)
        return try Self.identifier(text(n, fieldPath(key)), line: n.line, path: fieldPath(key), reader: self)
    }

    mutating func optionalIdentifier(_ key: String) throws(DocumentError) -> String? {
        guard let n = node(key) else { return nil }
        return try Self.identifier(text(n, fieldPath(key)), line: n.line, path: fieldPath(key), reader: self)
    }

    static func identifier(_ s: String, line: Int, path: String, reader: FieldReader) throws(DocumentError) -> String {
        guard Syntax.isIdentifier(s) else {
            throw reader.error(line, path, "\"\(s)\" is not an identifier (letters, digits, '.', '_', '-')")
        }
        return s
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(DocumentError) -> Int {
        try intValue(require(key), fieldPath(key), range)
    }

    mutating func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(DocumentError) -> Int? {
        guard let n = node(key) else { return nil }
        return try intValue(n, fieldPath(key), range)
    }

    func intValue(_ n: DocNode, _ path: String, _ range: ClosedRange<Int>) throws(DocumentError) -> Int {
        guard case .scalar(let s, quoted: false) = n.value, let v = Int(s) else {
            throw error(n.line, path, "expected a whole number, found \(Self.show(n))")
        }
        guard range.contains(v) else {
            let bound =
                range.upperBound == Int.max ? "\(range.lowerBound) or more" : "\(range.lowerBound)..\(range.upperBound)"
            throw error(n.line, path, "\(v) is out of range (\(bound))")
        }
        return v
    }

    mutating func double(_ key: String, in range: ClosedRange<Double>) throws(DocumentError) -> Double {
        try doubleValue(require(key), fieldPath(key), range)
    }

    mutating func optionalDouble(_ key: String, in range: ClosedRange<Double>) throws(DocumentError) -> Double? {
        guard let n = node(key) else { return nil }
        return try doubleValue(n, fieldPath(key), range)
    }

    /// An optional `true`/`false` (unquoted).
    mutating func optionalBool(_ key: String) throws(DocumentError) -> Bool? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s, quoted: false) = n.value, s == "true" || s == "false" else {
            throw error(n.line, fieldPath(key), "expected true or false, found \(Self.show(n))")
        }
        return s == "true"
    }

    func doubleValue(_ n: DocNode, _ path: String, _ range: ClosedRange<Double>) throws(DocumentError) -> Double {
        guard case .scalar(let s, quoted: false) = n.value, let v = Double(s), v.isFinite else {
            throw error(n.line, path, "expected a number, found \(Self.show(n))")
        }
        guard range.contains(v) else {
            throw error(n.line, path, "\(s) is out of range (\(range.lowerBound)..\(range.upperBound))")
        }
        return v
    }

    mutating func time(_ key: String) throws(DocumentError) -> Timestamp? {
        guard let n = node(key) else { return nil }
        let s = try text(n, fieldPath(key))
        guard let t = RFC3339.parse(s) else {
            throw error(n.line, fieldPath(key), "\"\(s)\" is not an RFC 3339 time (e.g. 2026-09-01T00:00:00Z)")
        }
        return t
    }

    mutating func duration(_ key: String) throws(DocumentError) -> Int64 {
        let n = try require(key)
        let s = try text(n, fieldPath(key))
        guard let d = DurationText.parse(s) else {
            throw error(n.line, fieldPath(key), "\"\(s)\" is not a duration (<n>s|m|h|d, e.g. 90d)")
        }
        return d
    }

    mutating func version(_ key: String) throws(DocumentError) -> Version {
        try versionValue(require(key), fieldPath(key))
    }

    mutating func optionalVersion(_ key: String) throws(DocumentError) -> Version? {
        guard let n = node(key) else { return nil }
        return try versionValue(n, fieldPath(key))
    }

    func versionValue(_ n: DocNode, _ path: String) throws(DocumentError) -> Version {
        let s = try text(n, path)
        guard let v = Version(s) else {
            throw error(n.line, path, "\"\(s)\" is not a version (dot-separated components, e.g. 4.17.3)")
        }
        return v
    }

    mutating func list(_ key: String) throws(DocumentError) -> [DocNode] {
        guard let n = node(key) else { return [] }
        guard case .array(let items) = n.value else {
            throw error(n.line, fieldPath(key), "expected a list, found \(n.typeName)")
        }
        return items
    }

    mutating func optionalList(_ key: String) throws(DocumentError) -> [DocNode]? {
        guard node(key) != nil else { return nil }
        return try list(key)
    }

    /// A list of strings (identifiers when `identifiers`).
    mutating func strings(_ key: String, identifiers: Bool = false) throws(DocumentError) -> [String] {
        var out: [String] = []
        for (i, item) in try list(key).enumerated() {
            let p = "\(fieldPath(key))[\(i)]"
            let s = try text(item, p)
            guard !s.isEmpty else { throw error(item.line, p, "must not be empty") }
            if identifiers { _ = try Self.identifier(s, line: item.line, path: p, reader: self) }
            out.append(s)
        }
        return out
    }

    mutating func optionalStrings(_ key: String) throws(DocumentError) -> [String]? {
        guard node(key) != nil else { return nil }
        return try strings(key)
    }

    /// A mapping of string labels.
    mutating func labels(_ key: String) throws(DocumentError) -> [String: String] {
        guard let n = node(key) else { return [:] }
        let r = try FieldReader(n, path: fieldPath(key), file: file)
        var out: [String: String] = [:]
        for m in r.members {
            out[m.key] = try text(m.node, r.fieldPath(m.key))
        }
        return out
    }

    /// A nested mapping reader for `key`, or nil when absent.
    mutating func object(_ key: String) throws(DocumentError) -> FieldReader? {
        guard let n = node(key) else { return nil }
        return try FieldReader(n, path: fieldPath(key), file: file)
    }

    mutating func requireObject(_ key: String) throws(DocumentError) -> FieldReader {
        try FieldReader(require(key), path: fieldPath(key), file: file)
    }

    /// Throws on the first member that was never read: unknown fields are errors.
    func finish() throws(DocumentError) {
        for m in members where !used.contains(m.key) {
            throw error(m.line, fieldPath(m.key), "unknown field")
        }
    }

    static func show(_ n: DocNode) -> String {
        switch n.value {
        case .scalar(let s, _): "\"\(s)\""
        default: n.typeName
        }
    }
}
