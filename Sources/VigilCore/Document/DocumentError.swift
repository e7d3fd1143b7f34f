/// An invalid document: which file, line and field, and what is wrong (`inventory.yaml:42: vms[3].host: unknown host "h-99"`).
public struct DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var path: String
    public var message: String

    public init(file: String, line: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file):\(line): \(message)" : "\(file):\(line): \(path): \(message)"
    }
}

/// Lines of the fields that refer to other entities, by field path (`vms[3].host`), so that
/// reference errors found after parsing can still name the line.
public struct FieldLines: Sendable {
    var lines: [String: Int] = [:]
    /// Line of the document start, used when a path was not recorded.
    public var fallback: Int = 1

    public init() {}

    /// Records the line of a field.
    public mutating func record(_ path: String, _ line: Int) { lines[path] = line }

    /// The line of a field, or of its nearest recorded parent.
    public func line(of path: String) -> Int {
        var p = Substring(path)
        while !p.isEmpty {
            if let l = lines[String(p)] { return l }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            p = p[..<cut]
        }
        return fallback
    }
}
