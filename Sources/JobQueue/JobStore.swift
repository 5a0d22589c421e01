import BulkPredictCore
import Foundation

/// Durable state of requests, jobs and tasks, shared by the API and every worker.
///
/// Every method is one transaction. Stores persist the decisions of ``Lifecycle``; they do not
/// invent transitions. Writes about a running task are fenced by its lease token: a worker whose
/// claim is stale changes nothing.
public protocol JobStore: Sendable {
    /// Stores a request with its jobs and tasks in one transaction: workers see all or nothing.
    /// When the owner already has a request under the same idempotency key, stores nothing and
    /// names that request instead (also when two such submissions race).
    @discardableResult
    func submit(_ request: NewRequest) async throws -> SubmitOutcome

    /// A snapshot of a request, or `nil` when there is none with this id for this owner.
    func status(of id: RequestID, owner: String?) async throws -> RequestStatus?

    /// A page of an owner's requests, newest first, and the owner's total count.
    func list(owner: String, limit: Int, offset: Int) async throws -> (requests: [RequestStatus], total: Int)

    /// Claims the next runnable task, honouring each request's `max_parallel`, or returns `nil`.
    func claim(workerID: String, lease: Duration) async throws -> ClaimedTask?

    /// Extends the lease of a running task. Returns `false` when the claim is stale.
    func heartbeat(_ task: ClaimedTask, lease: Duration) async throws -> Bool

    /// Reports how an attempt ended: with an output file, failed for good, or stopped by a cancel.
    func finish(_ task: ClaimedTask, as ending: TaskEnding) async throws -> FinishReceipt

    /// Gives a running task back to the queue without using up its attempt (worker shutdown).
    func release(_ task: ClaimedTask) async throws

    /// Requests among `ids` that are being cancelled or already cancelled.
    func cancelled(among ids: [RequestID]) async throws -> Set<RequestID>

    /// Cancels a request: no claims from now on, waiting tasks dropped, running ones left to their
    /// workers to stop. Cancelling again answers the same.
    func cancel(_ id: RequestID, owner: String?) async throws -> CancelOutcome

    /// Queues again every chunk of a `completed_with_errors` request that has error rows; each new
    /// task keeps the chunk's good rows as they are and re-runs only its failed records.
    func retryFailed(_ id: RequestID, owner: String?) async throws -> RetryOutcome

    /// Requests whose every task has ended but which have not been merged yet (for example because
    /// the process stopped between the last task and the merge), requests whose merge lease ran out
    /// because the merging process died, and cancelled requests still without their partial result.
    func requestsAwaitingMerge() async throws -> [RequestID]

    /// The compare-and-set that starts finalize: returns the merge plan, with a lease token, to
    /// exactly one caller, and `nil` to everyone else. A merge whose lease ran out is taken over.
    func beginMerge(_ id: RequestID, lease: Duration) async throws -> MergePlan?

    /// Extends a merge's lease. Returns `false` when the merge was taken over or cancelled.
    func extendMerge(_ plan: MergePlan, lease: Duration) async throws -> Bool

    /// Ends a merge: records the result and moves the request to its terminal state (for a
    /// cancelled request: records its partial result, and the state stays). Returns `false` when
    /// the merge is no longer this caller's (cancelled meanwhile, or taken over after its lease ran
    /// out), in which case the caller must not announce the result.
    func finishMerge(_ plan: MergePlan, result: MergeResult) async throws -> Bool

    /// Marks a merging request failed with a reason, if the merge is still this caller's.
    func failMerge(_ plan: MergePlan, reason: String) async throws

    /// Where the result of a finished request is, or `nil` when there is none (yet).
    func resultLocation(of id: RequestID) async throws -> MergeResult?

    /// Tasks of live requests that are waiting or running: the queue depth.
    func pendingTaskCount() async throws -> Int

    /// What `owner` has in flight: requests not yet in a terminal state, and their records ×
    /// models, which quotas are counted in.
    func usage(owner: String) async throws -> OwnerUsage

    /// For a queued request, its place in the queue: 1 plus the queued requests accepted before
    /// it; `nil` once it is no longer queued (or unknown).
    func queuePosition(of id: RequestID) async throws -> Int?

    /// Counts for monitoring: tasks of live requests by state, and requests by state.
    func statistics() async throws -> QueueStatistics

    /// Moves tasks whose lease ran out (their worker is presumed dead) back to the queue after
    /// `retryAfter`, or fails them for good when their model's attempt limit is reached; returns
    /// how many tasks it moved.
    func rescueExpiredLeases(retryAfter: Duration) async throws -> Int

    /// Calls `wake` whenever any process announces new work, until the calling task is cancelled.
    /// Polling stays the correctness path; this only lets idle workers start at once. A store that
    /// cannot hear other processes returns immediately.
    func watchForWork(_ wake: @escaping @Sendable () -> Void) async throws

    /// Whether the store's database answered the last time it was used. While it is false,
    /// callers answer "try again later" at once instead of waiting for it.
    var isAvailable: Bool { get }
}

extension JobStore {
    public func watchForWork(_ wake: @escaping @Sendable () -> Void) async throws {}
}
