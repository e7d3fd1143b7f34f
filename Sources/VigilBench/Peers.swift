import Foundation
import VigilCore
import VigilService
import VigilTestSupport

/// Runs a peer script under bench/peers/ with python3 and reads its JSON answer.
enum PeerRunner {
    static func script(_ name: String) -> String? {
        let candidates = [
            "bench/peers/\(name)",
            (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/../../bench/peers/\(name)",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func run(_ name: String, input: JSONValue, dir: String, timeout: Int) throws -> DocNode? {
        guard let script = script(name) else {
            Console.error("  peer \(name) not found (run from the repository root); skipped")
            return nil
        }
        let inPath = dir + "/\(name).in.json"
        FileManager.default.createFile(atPath: inPath, contents: Data(JSONWriter.write(input).utf8))
        let (status, output) = try ProcessRunner.run(
            "/usr/bin/env", ["timeout", String(timeout), "python3", script, inPath], mergingErrors: false)
        guard status == 0 else {
            Console.error("  peer \(name) failed (exit \(status)); skipped")
            return nil
        }
        return try? JSONParser.parse(output)
    }

    static func number(_ n: DocNode?, _ key: String) -> Double? {
        guard let n, case .object(let ms) = n.value, let m = ms.first(where: { $0.key == key }),
            case .scalar(let s, _) = m.node.value
        else { return nil }
        return Double(s)
    }

    static func ints(_ n: DocNode?, _ key: String) -> [Int] {
        guard let n, case .object(let ms) = n.value, let m = ms.first(where: { $0.key == key }),
            case .array(let items) = m.node.value
        else { return [] }
        return items.compactMap { if case .scalar(let s, _) = $0.value { Int(s) } else { nil } }
    }
}

/// The Nova-style filter-and-weigh peer (bench/peers/nova_filter_weigh.py).
enum NovaPeer {
    static func run(world: PolicyWorld, input: PolicyInput, requests: [Int32], dir: String) throws
        -> (rate: Double, feasible: [Int])?
    {
        let instance = world.placementPeerInstance(policies: input.policies, requests: requests)
        guard let answer = try PeerRunner.run("nova_filter_weigh.py", input: instance, dir: dir, timeout: 600),
            let rate = PeerRunner.number(answer, "requestsPerSecond")
        else { return nil }
        return (rate, PeerRunner.ints(answer, "feasible"))
    }
}

/// The OR-Tools CP-SAT optimum peer (bench/peers/cpsat_plan.py).
enum CPSATPeer {
    static func optimum(world: PolicyWorld, plan: RemediationPlan, dir: String) throws -> Int? {
        guard plan.hardAfter == 0 else {
            Console.error("  instance skipped: \(plan.hardAfter) hard violations are not repairable")
            return nil
        }
        guard let answer = try PeerRunner.run("cpsat_plan.py", input: world.repairModel(), dir: dir, timeout: 300),
            let moves = PeerRunner.number(answer, "moves")
        else { return nil }
        return Int(moves)
    }
}
