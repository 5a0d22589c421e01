import ArgumentParser
import BulkPredictCore

/// The `bulkpredict` command: the server, workers, local runs and a client for the API.
@main
struct BulkPredict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulkpredict",
        abstract: "Run predictions over large sets of molecules, locally or through a BulkPredict server.",
        version: BulkPredictVersion.current,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, PredictCommand.self, SubmitCommand.self, StatusCommand.self,
            WatchCommand.self, CancelCommand.self, RetryCommand.self, DownloadCommand.self, ModelsCommand.self, BenchModelCommand.self,
        ]
    )
}
