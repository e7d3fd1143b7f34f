import Foundation
import VigilCore
import VigilService
import VigilTestSupport

/// Writes a generated datacenter's documents into a directory.
public enum GeneratedFiles {
    public static func write(_ dc: GeneratedDatacenter, to dir: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ text: String) throws -> String {
            let path = (dir as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw ServiceError(.failure, "cannot write \(path)")
            }
            return path
        }
        var paths: [String] = []
        paths.append(try put("inventory.json", JSONWriter.pretty(DocumentEncoder.inventory(dc.inventory)) + "\n"))
        paths.append(try put("policies.json", JSONWriter.pretty(DocumentEncoder.policies(dc.policies)) + "\n"))
        paths.append(
            try put(
                "vulnerabilities.json", JSONWriter.pretty(DocumentEncoder.vulnerabilities(dc.vulnerabilities)) + "\n"))
        paths.append(try put("events.jsonl", eventLines(dc.events)))
        return paths
    }

    static func eventLines(_ events: [Event]) -> String {
        var text = ""
        text.reserveCapacity(events.count * 110)
        for e in events {
            text += e.jsonLine
            text += "\n"
        }
        return text
    }
}
