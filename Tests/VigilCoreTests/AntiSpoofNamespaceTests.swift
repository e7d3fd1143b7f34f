import Foundation
import Testing
import VigilCore
import VigilTestSupport

/// The rendered nftables ruleset on a real Linux bridge: `Tests/antispoof/netns-test.sh` builds a bridge in a
/// network namespace, plugs a VM namespace into it through a veth named like the rule's interface, loads the
/// ruleset and sends spoofed and legitimate frames. Skipped (with the reason printed) where the machine allows no
/// network namespaces, e.g. without root.
@Suite struct AntiSpoofNamespaceTests {
    @Test func spoofedFramesAreDroppedOnARealBridge() throws {
        #if !os(Linux)
            try Test.cancel("network namespaces need Linux")
        #else
            let vm = "web-1"
            let rule = AntiSpoofRule(
                vm: vm, interface: AntiSpoofRule.interfaceName(vm: vm, nic: 0), mac: "52:54:00:12:34:56",
                ips: ["10.20.30.40", "2001:db8::40"])
            let host = "netns-host"
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("antispoof/netns-test.sh")
            let ruleset = FileManager.default.temporaryDirectory.appendingPathComponent(
                "vigil-netns-\(UUID().uuidString).nft")
            try NftablesRenderer.render(host: host, rules: [rule]).write(to: ruleset, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: ruleset) }

            let (status, output) = try ProcessRunner.run(
                "/bin/bash",
                [
                    script.path, ruleset.path, NftablesRenderer.tableName(host: host), rule.interface, rule.mac,
                    rule.ips[0], rule.ips[1],
                ])
            print(output, terminator: "")
            if status == 77 {
                let reason = output.split(separator: "\n").last { $0.contains("skipped") } ?? "skipped"
                try Test.cancel("\(reason)")
            }
            #expect(status == 0, "netns-test.sh failed:\n\(output)")
            #expect(output.contains("netns-test: passed"))
        #endif
    }
}
