import APIServer
import ArgumentParser
import BulkPredictCore
import Engine
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// `bulkpredict serve`: the API, the web pages and in-process workers in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the BulkPredict server (API and workers) on this machine.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Flag(help: "Serve the API only; leave the work to `bulkpredict worker` processes.") var noWorkers = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var shutdown: ShutdownOptions

    func run() async throws {
        let environment = try await engine.environment(dataDirectory: store.dataDirectory, store: store)
        let logger = environment.coordinator.logger
        let api = APIServer(
            coordinator: environment.coordinator, configuration: .init(uploadDirectory: environment.uploadDirectory))
        let host = host
        let app = api.application(host: host, port: port, logger: logger) { port in
            // Written unbuffered: scripts and supervisors read this line through a pipe.
            FileHandle.standardOutput.write(Data("BulkPredict \(BulkPredictVersion.current) listening on http://\(host):\(port)\n".utf8))
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        if !noWorkers {
            services.append(.init(service: WorkerService(coordinator: environment.coordinator, configuration: engine.workerConfiguration())))
        }
        let group = ServiceGroup(configuration: shutdown.configuration(services: services, logger: logger))
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw CLIError("cannot listen on \(host):\(port): the address is already in use (is another server running? choose another --port)")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw CLIError("cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges)")
        }
    }
}
