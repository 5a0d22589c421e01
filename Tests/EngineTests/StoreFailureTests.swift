import BulkPredictCore
import Engine
import Formats
import Foundation
import JobQueue
import Logging
import Models
import Synchronization
import TestSupport
import Testing

/// What the engine does when the job store fails at the worst moment: after a write committed,
/// before its caller heard so.
@Suite struct StoreFailureTests {
    @Test func aMergeWhoseRecordingFailsOnceStillCompletesTheRequest() async throws {
        let (directory, store, coordinator) = try Self.deployment(failing: .finishMerge, mergeLease: .milliseconds(400))
        defer { directory.remove() }
        let records = (0..<50).map { InputRecord(id: "m\($0)", input: $0.isMultiple(of: 2) ? "CCO" : "c1ccccc1") }
        let id = try await coordinator.submit(Submission(routing: RoutingSpec(models: ["chem.formula"]), chunkSize: 10), records: records)
        let status = try await Self.runUntilTerminal(id, coordinator: coordinator)
        // The merge wrote the whole result, then could not record it at once: the request must not
        // fail for that. Recording was tried again (or, had that come after the short lease, the
        // merge was taken over and run again).
        #expect(store.finishes >= 2, "the store refused the first recording and a later one went through")
        #expect(status?.state == .completed, "\(String(describing: status))")
        #expect(try await store.resultLocation(of: id)?.rowCount == 50)
    }

    @Test func aSubmissionWhoseCommitWasNotHeardStillRunsBecauseItsInputIsKept() async throws {
        let (directory, store, coordinator) = try Self.deployment(failing: .submitAfterCommit)
        defer { directory.remove() }
        let records = (0..<30).map { InputRecord(id: "m\($0)", input: "CCO") }
        await #expect(throws: JobStoreUnavailable.self) {
            _ = try await coordinator.submit(Submission(routing: RoutingSpec(models: ["chem.formula"]), chunkSize: 10), records: records)
        }
        // The request was stored although its submitter heard an error: it must be able to run.
        let stored = try await store.list(owner: "local", limit: 10, offset: 0)
        let id = try #require(stored.requests.first?.id)
        let status = try await Self.runUntilTerminal(id, coordinator: coordinator)
        #expect(status?.state == .completed, "\(String(describing: status))")
        #expect(try await store.resultLocation(of: id)?.rowCount == 30)
    }

    @Test func aSubmissionThatNeverReachedTheDatabaseLeavesNoInputBehind() async throws {
        let (directory, _, coordinator) = try Self.deployment(failing: .submitWithoutConnection)
        defer { directory.remove() }
        await #expect(throws: JobStoreUnavailable.self) {
            _ = try await coordinator.submit(
                Submission(routing: RoutingSpec(models: ["chem.formula"])), records: [InputRecord(id: nil, input: "CCO")])
        }
        let inputs = directory.file("blobs").appendingPathComponent("inputs")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: inputs.path)) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    /// A SQLite deployment whose store fails once at `fault`.
    static func deployment(
        failing fault: BlinkingStore.Fault, mergeLease: Duration = .seconds(30)
    ) throws -> (TemporaryDirectory, BlinkingStore, Coordinator) {
        let directory = try TemporaryDirectory()
        let store = BlinkingStore(try SQLiteJobStore(url: directory.file("bulkpredict.sqlite")), fault: fault)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let coordinator = Coordinator(
            store: store, blobs: try LocalBlobStore(root: directory.file("blobs")), registry: .builtIn,
            limits: SubmissionLimits(globalParallelism: 4), logger: logger, mergeLease: mergeLease)
        return (directory, store, coordinator)
    }

    /// Runs a worker over `coordinator` until request `id` ends (or 30 s pass); returns its status.
    static func runUntilTerminal(_ id: RequestID, coordinator: Coordinator) async throws -> RequestStatus? {
        var configuration = WorkerService.Configuration()
        configuration.slots = 2
        configuration.idlePoll = .milliseconds(50)
        configuration.sweepInterval = .milliseconds(100)
        let worker = WorkerService(coordinator: coordinator, configuration: configuration)
        return try await withThrowingTaskGroup(of: RequestStatus?.self) { group in
            group.addTask {
                try await worker.run()
                return nil
            }
            let deadline = ContinuousClock.now + .seconds(30)
            var status = try await coordinator.store.status(of: id, owner: nil)
            while ContinuousClock.now < deadline, status?.state.isTerminal != true {
                try await Task.sleep(for: .milliseconds(20))
                status = try await coordinator.store.status(of: id, owner: nil)
            }
            group.cancelAll()
            return status
        }
    }
}

/// A SQLite store one of whose calls fails once as if the database had gone away for a moment:
/// `finishMerge` before it writes anything, `submit` after it committed.
final class BlinkingStore: JobStore {
    enum Fault { case finishMerge, submitAfterCommit, submitWithoutConnection }

    private let base: SQLiteJobStore
    private let fault: Fault
    private let counts = Mutex((finishes: 0, submits: 0))

    init(_ base: SQLiteJobStore, fault: Fault) {
        self.base = base
        self.fault = fault
    }

    var finishes: Int { counts.withLock { $0.finishes } }

    func finishMerge(_ plan: MergePlan, result: MergeResult) async throws -> Bool {
        let first = counts.withLock { counts -> Bool in
            counts.finishes += 1
            return counts.finishes == 1
        }
        if first, fault == .finishMerge { throw JobStoreUnavailable("the connection dropped") }
        return try await base.finishMerge(plan, result: result)
    }

    func beginMerge(_ id: RequestID, lease: Duration) async throws -> MergePlan? { try await base.beginMerge(id, lease: lease) }

    @discardableResult func submit(_ request: NewRequest) async throws -> SubmitOutcome {
        if fault == .submitWithoutConnection { throw JobStoreUnavailable("no database connection within 5 s", mayHaveChanged: false) }
        let outcome = try await base.submit(request)
        let first = counts.withLock { counts -> Bool in
            counts.submits += 1
            return counts.submits == 1
        }
        if first, fault == .submitAfterCommit { throw JobStoreUnavailable("the connection dropped after COMMIT") }
        return outcome
    }
    func status(of id: RequestID, owner: String?) async throws -> RequestStatus? { try await base.status(of: id, owner: owner) }
    func list(owner: String, limit: Int, offset: Int) async throws -> (requests: [RequestStatus], total: Int) {
        try await base.list(owner: owner, limit: limit, offset: offset)
    }
    func claim(workerID: String, lease: Duration) async throws -> ClaimedTask? { try await base.claim(workerID: workerID, lease: lease) }
    func heartbeat(_ task: ClaimedTask, lease: Duration) async throws -> Bool { try await base.heartbeat(task, lease: lease) }
    func finish(_ task: ClaimedTask, as ending: TaskEnding) async throws -> FinishReceipt { try await base.finish(task, as: ending) }
    func release(_ task: ClaimedTask) async throws { try await base.release(task) }
    func cancelled(among ids: [RequestID]) async throws -> Set<RequestID> { try await base.cancelled(among: ids) }
    func cancel(_ id: RequestID, owner: String?) async throws -> CancelOutcome { try await base.cancel(id, owner: owner) }
    func retryFailed(_ id: RequestID, owner: String?) async throws -> RetryOutcome { try await base.retryFailed(id, owner: owner) }
    func requestsAwaitingMerge() async throws -> [RequestID] { try await base.requestsAwaitingMerge() }
    func extendMerge(_ plan: MergePlan, lease: Duration) async throws -> Bool { try await base.extendMerge(plan, lease: lease) }
    func failMerge(_ plan: MergePlan, reason: String) async throws { try await base.failMerge(plan, reason: reason) }
    func resultLocation(of id: RequestID) async throws -> MergeResult? { try await base.resultLocation(of: id) }
    func pendingTaskCount() async throws -> Int { try await base.pendingTaskCount() }
    func usage(owner: String) async throws -> OwnerUsage { try await base.usage(owner: owner) }
    func queuePosition(of id: RequestID) async throws -> Int? { try await base.queuePosition(of: id) }
    func statistics() async throws -> QueueStatistics { try await base.statistics() }
    func rescueExpiredLeases(retryAfter: Duration) async throws -> Int { try await base.rescueExpiredLeases(retryAfter: retryAfter) }
    var isAvailable: Bool { base.isAvailable }
}

/// Heartbeats that meet a task whose ending is already being written.
@Suite struct HeartbeatTests {
    @Test func aHeartbeatAfterTheEndingIsWrittenIsNotTakenForALostLease() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .microseconds(200)))
        defer { harness.remove() }
        let records = (0..<1_500).map { InputRecord(id: nil, input: $0.isMultiple(of: 3) ? "CCO" : "c1ccccc1") }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.slow"]), chunkSize: 15), records: records)
        // Heartbeats far more often than tasks end, so that many fall between a task's ending
        // and its run returning.
        let status = try await harness.withWorker(slots: 2, heartbeat: .milliseconds(1)) { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completed)
        #expect(try await harness.store.statistics().totals.fencedWritesRejected == 0, "no renewal met a cleared lease")
    }
}
