import BulkPredictCore
import Engine
import Foundation
import JobQueue
import Logging
import Models

/// The deployment a process belongs to. Embedded by default: `bulkpredict.sqlite`, `blobs/` and
/// `uploads/` in one data directory. Shared when a PostgreSQL URL and a blob directory are given:
/// then any number of processes on any number of machines work together.
struct LocalEnvironment {
    let dataDirectory: URL
    let coordinator: Coordinator

    /// Opens (creating if needed) the data directory and the store.
    init(
        dataDirectory: URL, database: String? = nil, blobDirectory: URL? = nil, maxRunningTasks: Int? = nil, concurrency: Int,
        modelsConfig: String?, logger: Logger, mergeLease: Duration = .seconds(30),
        adjustLimits: (inout SubmissionLimits) -> Void = { _ in }
    ) async throws {
        self.dataDirectory = dataDirectory
        let registry: ModelRegistry
        if let modelsConfig {
            registry = try ModelRegistry.loading(configuration: URL(fileURLWithPath: modelsConfig))
        } else {
            registry = .builtIn
        }
        let store: any JobStore
        if let database {
            var storeLogger = logger
            // The driver logs every query at debug; ours are enough unless asked for trace.
            storeLogger.logLevel = max(logger.logLevel, .info)
            do {
                store = try await PostgresJobStore(url: database, maxRunningTasks: maxRunningTasks, logger: storeLogger)
            } catch let error as PostgresURLError {
                throw CLIError(error.description)
            } catch {
                throw CLIError("cannot open the job database: \(String(reflecting: error))")
            }
        } else {
            store = try SQLiteJobStore(url: dataDirectory.appendingPathComponent("bulkpredict.sqlite"), maxRunningTasks: maxRunningTasks)
        }
        let blobs = try LocalBlobStore(root: blobDirectory ?? dataDirectory.appendingPathComponent("blobs"))
        try FileManager.default.createDirectory(at: dataDirectory.appendingPathComponent("uploads"), withIntermediateDirectories: true)
        // A request may ask for as many parallel tasks as the deployment can hold: this process's
        // (two per slot, see WorkerService) when it is alone, the global cap (or a generous bound)
        // when workers come and go.
        let parallelism = maxRunningTasks ?? (database == nil ? concurrency * 2 : 1024)
        var limits = SubmissionLimits(globalParallelism: parallelism)
        adjustLimits(&limits)
        coordinator = Coordinator(store: store, blobs: blobs, registry: registry, limits: limits, logger: logger, mergeLease: mergeLease)
    }

    var uploadDirectory: URL { dataDirectory.appendingPathComponent("uploads") }

    /// A logger that writes to standard error at `level`.
    static func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "bulkpredict")
        logger.logLevel = level
        return logger
    }
}
