import ArgumentParser
import Engine
import Foundation
import Logging
import ServiceLifecycle

/// `bulkpredict worker`: a process that only runs tasks from a shared store.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run tasks from the queue without serving the API.")

    @Option(help: "Directory for the database and files (shared with the server).") var dataDir = "./bulkpredict-data"
    @Option(help: "Tasks run at once (default: the number of cores).")
    var concurrency = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "A JSON file adding models and recommendations to the built-in ones.") var modelsConfig: String?
    @Flag(help: "Exit once the queue is empty.") var exitWhenIdle = false
    @Option(help: "Log level.") var logLevel = "info"

    func run() async throws {
        guard concurrency >= 1 else { throw CLIError("--concurrency must be at least 1") }
        let logger = LocalEnvironment.logger(level: Logger.Level(rawValue: logLevel) ?? .info)
        let environment = try LocalEnvironment(
            dataDirectory: URL(fileURLWithPath: dataDir), concurrency: concurrency, modelsConfig: modelsConfig, logger: logger)
        var configuration = WorkerService.Configuration()
        configuration.slots = concurrency
        configuration.exitWhenIdle = exitWhenIdle
        let worker = WorkerService(coordinator: environment.coordinator, configuration: configuration)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
