import ArgumentParser
import Engine
import Foundation
import Logging

/// Options of every command that runs the engine in this process (`serve`, `worker`, `predict`).
struct EngineOptions: ParsableArguments {
    @Option(help: "Models run at once by this process (default: the number of cores); it holds up to twice as many tasks, so that a chunk's output is written while the next model runs.")
    var concurrency = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "A JSON file adding models and recommendations to the built-in ones.") var modelsConfig: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Seconds a claimed task (or a merge) stays this process's without a heartbeat; a crashed worker's work runs again after about this long.")
    var leaseSeconds: Double = 30
    @Option(help: "Most records one submission may hold.") var maxRecords = 5_000_000
    @Option(help: "Fewest protein sequences a submission must hold.") var minSequences = 1
    @Option(help: "Most protein sequences a submission may hold.") var maxSequences = 5_000_000
    @Option(help: "Longest accepted protein sequence, in residues.") var maxSequenceLength = 100_000
    @Option(help: "Most records × models one user may have in unfinished requests (the quota).")
    var maxInFlight = 100_000_000

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        for (value, name) in [
            (maxRecords, "--max-records"), (minSequences, "--min-sequences"), (maxSequences, "--max-sequences"),
            (maxSequenceLength, "--max-sequence-length"), (maxInFlight, "--max-in-flight"),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        guard minSequences <= maxSequences else { throw ValidationError("--min-sequences must not exceed --max-sequences") }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var lease: Duration { .milliseconds(Int64(leaseSeconds * 1000)) }

    /// Opens the deployment: the embedded one in `dataDirectory`, or the shared one that `store`
    /// names.
    func environment(dataDirectory: URL, store: StoreOptions? = nil) async throws -> LocalEnvironment {
        try await LocalEnvironment(
            dataDirectory: dataDirectory, database: store?.database, blobDirectory: store?.blobDir.map { URL(fileURLWithPath: $0) },
            maxRunningTasks: store?.maxRunningTasks, concurrency: concurrency, modelsConfig: modelsConfig,
            logger: LocalEnvironment.logger(level: Logger.Level(rawValue: logLevel) ?? .info), mergeLease: lease,
            adjustLimits: { limits in
                limits.maxRecords = maxRecords
                limits.minSequences = minSequences
                limits.maxSequences = maxSequences
                limits.maxSequenceLength = maxSequenceLength
                limits.maxInFlightRecordModels = maxInFlight
            })
    }

    /// Worker settings from these options: slots, and a lease renewed three times per period.
    func workerConfiguration() -> WorkerService.Configuration {
        var configuration = WorkerService.Configuration()
        configuration.slots = concurrency
        configuration.lease = lease
        configuration.heartbeat = lease / 3
        return configuration
    }
}
