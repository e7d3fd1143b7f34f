import Foundation
import VigilCore

/// Writes to stdout and stderr (the CLI and the benchmarks).
public enum Console {
    public static func error(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    public static func json(_ v: JSONValue) { print(JSONWriter.pretty(v)) }
}

/// Renders rows as an aligned text table.
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]] = []

    public init(_ headers: String...) { self.headers = headers }

    public mutating func add(_ cells: String...) { rows.append(cells) }

    public func render() -> String {
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
            }.joined(separator: "  ")
        }
        var out = [line(headers), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    public func print() { Swift.print(render()) }
}
