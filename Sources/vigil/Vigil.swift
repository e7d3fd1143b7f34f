import ArgumentParser
import Foundation
import VigilCore
import VigilService
import VigilStore

/// The `vigil` command: a security manager for virtualised infrastructure.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Security manager for virtualised infrastructure: CMDB, placement history, exposure.",
        subcommands: [
            ImportCommand.self, VerifyCommand.self, ShowCommand.self, HistoryCommand.self, ExposureCommand.self,
            AuditCommand.self, PlaceCommand.self, PlanCommand.self, IngestCommand.self, IncidentsCommand.self,
            ChangesCommand.self, ApproveCommand.self, RejectCommand.self, AntispoofCommand.self,
            GenerateCommand.self, DemoCommand.self, BenchCommand.self, ServeCommand.self, TokenCommand.self,
        ])

    /// Runs the command; bad input exits 2 (DESIGN §6), findings exit 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as DocumentError {
            Console.error(error.description)
            Foundation.exit(2)
        } catch let error as ServiceError {
            Console.error(error.message)
            Foundation.exit(error.kind == .findings ? 1 : 2)
        } catch let error as StoreError {
            Console.error(error.message)
            Foundation.exit(2)
        } catch let error as CLIError {
            if !error.message.isEmpty { Console.error(error.message) }
            Foundation.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// An error a command reports to the user, with its exit code (2: bad input).
struct CLIError: Error {
    var message: String
    var code: Int32 = 2

    init(_ message: String, code: Int32 = 2) {
        self.message = message
        self.code = code
    }
}
