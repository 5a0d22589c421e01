import BulkPredictCore
import Engine
import Foundation
import JobQueue
import Logging
import Models

/// The embedded deployment in one data directory: `bulkpredict.sqlite`, `blobs/` and `uploads/`.
struct LocalEnvironment {
    let dataDirectory: URL
    let coordinator: Coordinator

    /// Opens (creating if needed) the data directory.
    init(dataDirectory: URL, concurrency: Int, modelsConfig: String?, logger: Logger, mergeLease: Duration = .seconds(30)) throws {
        self.dataDirectory = dataDirectory
        let registry: ModelRegistry
        if let modelsConfig {
            registry = try ModelRegistry.loading(configuration: URL(fileURLWithPath: modelsConfig))
        } else {
            registry = .builtIn
        }
        let store = try SQLiteJobStore(url: dataDirectory.appendingPathComponent("bulkpredict.sqlite"))
        let blobs = try LocalBlobStore(root: dataDirectory.appendingPathComponent("blobs"))
        try FileManager.default.createDirectory(at: dataDirectory.appendingPathComponent("uploads"), withIntermediateDirectories: true)
        coordinator = Coordinator(
            store: store, blobs: blobs, registry: registry, limits: SubmissionLimits(globalParallelism: concurrency), logger: logger,
            mergeLease: mergeLease)
    }

    var uploadDirectory: URL { dataDirectory.appendingPathComponent("uploads") }

    /// A logger that writes to standard error at `level`.
    static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "bulkpredict")
        logger.logLevel = level
        return logger
    }
}
