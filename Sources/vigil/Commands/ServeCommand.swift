import ArgumentParser
import Foundation
import Logging
import VigilServer
import VigilService

/// `vigil serve --db PATH --config vigil.yaml`: the live service (DESIGN §8).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Vigil as a service: the authenticated REST API over the live state (stops on SIGTERM/SIGINT).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Configuration document (kind: Configuration): listen address, tokens, limits, driver.")
    var config: String?
    @Option(help: "Listen on this host:port instead of the configuration's (port 0: any free port).")
    var listen: String?

    func run() async throws {
        var configuration = try InputFile.configuration(config)
        if let listen { configuration.listen = listen }
        var logger = Logger(label: "vigil")
        logger.logLevel = .info
        try await VigilServer.run(
            db: try common.open(), configuration: configuration, logger: logger,
            onReady: { port in Console.error("vigil serve: ready on port \(port)") })
    }
}
