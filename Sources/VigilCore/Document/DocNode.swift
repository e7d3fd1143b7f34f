/// A parsed YAML or JSON value with the line it starts on, so every error can name file and line.
public struct DocNode: Sendable {
    /// The value of a node. Scalars keep their text; `quoted` tells `"4.17"` from a plain `4.17`.
    public enum Value: Sendable {
        case null
        case scalar(String, quoted: Bool)
        case array([DocNode])
        case object([DocMember])
    }

    public var value: Value
    /// 1-based line on which the node starts.
    public var line: Int

    public init(_ value: Value, line: Int) {
        self.value = value
        self.line = line
    }

    /// A short name of the node's type for error messages.
    public var typeName: String {
        switch value {
        case .null: "null"
        case .scalar: "a scalar"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}

/// One `key: value` of a mapping, with the key's line.
public struct DocMember: Sendable {
    public var key: String
    public var node: DocNode
    public var line: Int

    public init(key: String, node: DocNode, line: Int) {
        self.key = key
        self.node = node
        self.line = line
    }
}

/// A syntax error in JSON text, with its line.
public struct JSONSyntaxError: Error, Sendable {
    public var line: Int
    public var message: String
}
