import BulkPredictCore
import Engine
import Foundation
import JobQueue
import Logging
import Models

/// An embedded deployment in a temporary directory: SQLite store, local blobs, built-in models.
public struct Harness: Sendable {
    /// The directory; call ``remove()`` when done.
    public let directory: TemporaryDirectory
    /// The SQLite store.
    public let store: SQLiteJobStore
    /// The coordinator over it.
    public let coordinator: Coordinator

    /// Creates a deployment with `parallelism` global slots and the given registry; `adjust` may
    /// change the submission limits.
    public init(
        parallelism: Int = 4, registry: ModelRegistry = .builtIn,
        retryPolicy: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(10), maximumDelay: .milliseconds(50), jitter: 0.25),
        limits adjust: (inout SubmissionLimits) -> Void = { _ in }
    ) throws {
        var limits = SubmissionLimits(globalParallelism: parallelism)
        adjust(&limits)
        directory = try TemporaryDirectory()
        store = try SQLiteJobStore(url: directory.file("bulkpredict.sqlite"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        coordinator = Coordinator(
            store: store, blobs: try LocalBlobStore(root: directory.file("blobs")), registry: registry,
            limits: limits, logger: logger, retryPolicy: retryPolicy)
    }

    /// A worker over this deployment with fast polling for tests.
    public func worker(
        slots: Int = 2, lease: Duration = .seconds(30), heartbeat: Duration = .seconds(10), prefetch: Bool = false
    ) -> WorkerService {
        var configuration = WorkerService.Configuration()
        configuration.slots = slots
        configuration.prefetch = prefetch
        configuration.lease = lease
        configuration.heartbeat = heartbeat
        configuration.idlePoll = .milliseconds(50)
        configuration.sweepInterval = .milliseconds(100)
        return WorkerService(coordinator: coordinator, configuration: configuration)
    }

    /// Runs `body` while `workers` workers run, then stops them.
    public func withWorker<T: Sendable>(
        slots: Int = 2, lease: Duration = .seconds(30), heartbeat: Duration = .seconds(10), prefetch: Bool = false,
        workers: Int = 1, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        return try await withThrowingTaskGroup(of: T?.self) { group in
            for _ in 0..<workers {
                let worker = worker(slots: slots, lease: lease, heartbeat: heartbeat, prefetch: prefetch)
                group.addTask {
                    try await worker.run()
                    return nil
                }
            }
            let value = try await body()
            group.cancelAll()
            return value
        }
    }

    /// Polls until the request is terminal, failing after `timeout`.
    public func waitUntilTerminal(_ id: RequestID, timeout: Duration = .seconds(60)) async throws -> RequestStatus {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = try await store.status(of: id, owner: nil), status.state.isTerminal { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError(message: "request \(id) did not finish within \(timeout)")
    }

    /// The CSV result of a finished request, parsed.
    public func result(_ id: RequestID) async throws -> CSVTable {
        guard let location = try await store.resultLocation(of: id) else { throw HarnessError(message: "no result for \(id)") }
        return try CSVTable(contentsOf: try coordinator.blobs.fileURL(for: location.csvKey))
    }

    /// Deletes everything.
    public func remove() { directory.remove() }
}

/// A test harness failure.
public struct HarnessError: Error, CustomStringConvertible {
    /// What happened.
    public let message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    public var description: String { message }
}
