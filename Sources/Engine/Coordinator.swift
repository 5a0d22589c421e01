import BulkPredictCore
import Foundation
import JobQueue
import Logging
import Models

/// The parts every process shares: store, blobs, models and in-process signals. The API, the CLI
/// and the workers all go through it, so submit, cancel and merge behave the same everywhere.
public struct Coordinator: Sendable {
    /// Durable state.
    public let store: any JobStore
    /// Bulk data.
    public let blobs: any BlobStore
    /// Runnable models and routing.
    public let registry: ModelRegistry
    /// In-process change notifications.
    public let hub: EventHub
    /// Submission bounds.
    public let limits: SubmissionLimits
    /// Logger.
    public let logger: Logger
    /// Backoff between attempts of a task.
    public let retryPolicy: RetryPolicy
    /// How long a merge stays this process's without renewal; after that another may take it over.
    public let mergeLease: Duration
    let workAvailable = WakeSignal()
    let cancelBoard = CancelBoard()
    let exports = ExportCoalescer()
    let segments = ChunkSegments()

    /// Creates a coordinator.
    public init(
        store: any JobStore, blobs: any BlobStore, registry: ModelRegistry, limits: SubmissionLimits,
        hub: EventHub = EventHub(), logger: Logger = Logger(label: "bulkpredict"), retryPolicy: RetryPolicy = RetryPolicy(),
        mergeLease: Duration = .seconds(30)
    ) {
        self.store = store
        self.blobs = blobs
        self.registry = registry
        self.limits = limits
        self.hub = hub
        self.logger = logger
        self.retryPolicy = retryPolicy
        self.mergeLease = mergeLease
    }

    /// Cancels a request and waits up to `drain` for its running work to stop.
    /// - Returns: the outcome; `.accepted(.cancelling)` means the drain ran out.
    public func cancel(_ id: RequestID, owner: String?, drain: Duration = .seconds(30)) async throws -> CancelOutcome {
        let outcome = try await store.cancel(id, owner: owner)
        guard case .accepted(let state) = outcome else { return outcome }
        cancelBoard.insert(id)
        hub.changed(id)
        guard state == .cancelling else { return outcome }
        let deadline = ContinuousClock.now + drain
        // Workers may run in other processes, so the store is the one place to watch.
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
            if let status = try await store.status(of: id, owner: owner), status.state != .cancelling {
                return .accepted(status.state)
            }
        }
        return .accepted(try await store.status(of: id, owner: owner)?.state ?? .cancelling)
    }

    /// Queues the failed parts of a request again (see ``JobStore/retryFailed(_:owner:)``).
    public func retryFailed(_ id: RequestID, owner: String?) async throws -> RetryOutcome {
        let outcome = try await store.retryFailed(id, owner: owner)
        if case .accepted = outcome {
            hub.changed(id)
            notifyWork()
        }
        return outcome
    }

    /// Wakes local workers (a request was submitted or a slot freed).
    func notifyWork() { workAvailable.notify() }
}
