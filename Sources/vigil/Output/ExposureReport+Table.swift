import VigilCore
import VigilService

/// Renders an exposure answer for people.
extension ExposureReport {
    func printTable() {
        print(
            "exposure of \(subject.kind) \(subject.id) from \(RFC3339.format(since)) to \(RFC3339.format(until)): \(entries.count) neighbour placement(s)"
        )
        var t = TextTable("VM", "HOST", "FROM", "TO", "HOURS")
        for e in entries {
            for r in e.intervals {
                t.add(
                    e.vm, e.host, RFC3339.format(r.from), RFC3339.format(r.to),
                    String(format1((Double(r.to - r.from) / 3600))))
            }
        }
        t.print()
        if subject.kind == "vm" {
            print(
                "identically configured (same template and patch level): \(identical.isEmpty ? "none" : identical.joined(separator: ", "))"
            )
        }
    }
}

/// One decimal place, without Foundation formatting.
func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
