import ArgumentParser
import Engine
import Foundation
import Logging
import ServiceLifecycle

/// `bulkpredict worker`: a process that only runs tasks from a shared store.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run tasks from the queue without serving the API.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Exit once the queue is empty.") var exitWhenIdle = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var shutdown: ShutdownOptions

    func run() async throws {
        let environment = try await engine.environment(dataDirectory: store.dataDirectory, store: store)
        let logger = environment.coordinator.logger
        var configuration = engine.workerConfiguration()
        configuration.exitWhenIdle = exitWhenIdle
        let worker = WorkerService(coordinator: environment.coordinator, configuration: configuration)
        let group = ServiceGroup(
            configuration: shutdown.configuration(
                services: [.init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup)], logger: logger))
        try await group.run()
    }
}
