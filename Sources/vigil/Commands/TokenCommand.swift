import ArgumentParser
import Foundation
import VigilIngest
import VigilServer

/// `vigil token create --name N --role R`: a new API token, printed once, and its configuration entry.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create API tokens.", subcommands: [TokenCreateCommand.self])
}

struct TokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Print a new random token (256 bits) once, and the `tokens:` entry holding only its SHA-256.")

    @Option(help: "The token's name (recorded with every write it makes).") var name: String
    @Option(help: "admin | operator | cab | auditor | ids | tenant:<id>") var role: String

    func validate() throws {
        guard VigilConfiguration.roles.contains(role) || (role.hasPrefix("tenant:") && role.count > 7) else {
            throw ValidationError("--role is one of admin | operator | cab | auditor | ids | tenant:<id>")
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw ValidationError("--name is an identifier (letters, digits, . _ -)")
        }
    }

    func run() throws {
        let token = try APIToken.generate()
        print("token: \(token)")
        print("  - {name: \(name), role: \"\(role)\", sha256: \"\(APIToken.hash(token))\"}")
    }
}
