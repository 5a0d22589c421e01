import BulkPredictCore
import Foundation
import JobQueue
import Logging
import ServiceLifecycle
import Synchronization

/// Claims tasks and runs them with bounded parallelism, as a swift-service-lifecycle `Service`.
///
/// At most ``Configuration/slots`` models run at once in this process, and it holds at most twice
/// as many tasks (the others are being written and recorded, or with prefetch, read); each
/// request's own `max_parallel` bounds its held tasks, enforced by the claim query across all
/// workers. On graceful shutdown the service stops claiming, and running tasks are given back to
/// the queue.
public struct WorkerService: Service {
    /// Tuning knobs; the defaults suit the embedded server.
    public struct Configuration: Sendable {
        /// Models this process runs at once. The process holds up to twice as many tasks: when a
        /// chunk's model is done, the next task is claimed while that chunk's output is written
        /// and recorded, so the model does not wait for the disk (with ``prefetch``, not for the
        /// queue either).
        public var slots: Int = ProcessInfo.processInfo.activeProcessorCount
        /// How long a claim stays valid without a heartbeat.
        public var lease: Duration = .seconds(30)
        /// How often running tasks renew their lease.
        public var heartbeat: Duration = .seconds(10)
        /// How long to wait before looking for work again when the queue was empty.
        public var idlePoll: Duration = .milliseconds(500)
        /// How often to look for cancelled requests and expired leases.
        public var sweepInterval: Duration = .seconds(1)
        /// Stop once no work is left (for one-shot workers and `predict`).
        public var exitWhenIdle = false
        /// This worker's name in task rows.
        public var workerID: String =
            "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"

        /// Creates the default configuration.
        public init() {}

        /// Whether to claim a slot's next task while its model still runs, so that the model
        /// never waits for a claim or a read. Right for a worker that has the queue to itself
        /// (`predict`); with other workers it would hold tasks they could be running.
        public var prefetch = false

        /// Tasks this process holds at once: two per slot (see ``slots``).
        public var tasksHeld: Int { slots * 2 }

        /// Held tasks whose model has not finished yet: one per slot, two with ``prefetch``.
        var tasksBeforeCompute: Int { prefetch ? slots * 2 : slots }
    }

    private let coordinator: Coordinator
    private let configuration: Configuration

    /// Creates a worker over `coordinator`.
    public init(coordinator: Coordinator, configuration: Configuration = Configuration()) {
        self.coordinator = coordinator
        var configuration = configuration
        configuration.slots = max(1, configuration.slots)
        self.configuration = configuration
    }

    public func run() async throws {
        let running = RunningTasks()
        let slots = ComputeSlots(count: configuration.slots)
        defer { slots.stop() }
        let finalizer = Finalizer(coordinator: coordinator, rolling: RollingMerges(coordinator: coordinator))
        // Requests that ended while this process was down are merged now.
        for id in (try? await coordinator.store.requestsAwaitingMerge()) ?? [] { await finalizer.mergeIfReady(id) }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.sweep(running: running, finalizer: finalizer) }
            // Work announced by other processes (a submit to another API process, a retry, a
            // released task) wakes this worker at once instead of at its next poll.
            group.addTask { [coordinator] in try? await coordinator.store.watchForWork { coordinator.notifyWork() } }
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                do {
                    let claimedAny = try await claimWhileSlotsAreFree(running: running, slots: slots, finalizer: finalizer, group: &group)
                    if configuration.exitWhenIdle, !claimedAny, running.count == 0, try await coordinator.store.pendingTaskCount() == 0 {
                        for id in try await coordinator.store.requestsAwaitingMerge() { await finalizer.mergeIfReady(id) }
                        // A merge that failed to start (a passing store error) is tried again
                        // on the next round rather than left behind.
                        if try await coordinator.store.requestsAwaitingMerge().isEmpty { break }
                    }
                } catch is CancellationError {
                    break
                } catch {
                    // A busy or briefly unavailable store must not take the process down: back off and retry.
                    coordinator.logger.error("worker could not reach the job store; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: configuration.idlePoll * 4)
                }
                await coordinator.workAvailable.wait(timeout: configuration.idlePoll)
            }
            group.cancelAll()
        }
    }

    /// Claims and starts tasks until the slots are full or nothing is claimable; returns whether it
    /// started any.
    private func claimWhileSlotsAreFree(
        running: RunningTasks, slots: ComputeSlots, finalizer: Finalizer, group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws -> Bool {
        var claimedAny = false
        while running.count < configuration.tasksHeld, running.beforeComputeCount < configuration.tasksBeforeCompute,
            let task = try await coordinator.store.claim(workerID: configuration.workerID, lease: configuration.lease)
        {
            claimedAny = true
            running.insert(task.taskID, task.requestID)
            coordinator.hub.changed(task.requestID)
            group.addTask {
                let finished = await self.execute(task, slots: slots) {
                    running.computeEnded(task.taskID)
                    coordinator.notifyWork()
                }
                coordinator.hub.changed(task.requestID)
                if let finished, finished.receipt.accepted, let outputKey = finished.outputKey {
                    await finalizer.rolling.chunkSucceeded(task, outputKey: outputKey)
                }
                if finished?.receipt.requestReadyToMerge == true { await finalizer.mergeIfReady(task.requestID) }
                // Only now is the slot free: an idle check must not see a merge as idle.
                running.remove(task.taskID)
                coordinator.notifyWork()
            }
        }
        return claimedAny
    }

    /// Runs one task while renewing its lease beside it. When the lease is lost (the claim was
    /// taken over, or no heartbeat got through for a whole lease) the run is cancelled: someone
    /// else owns the task now, and any further work here would only be thrown away.
    private func execute(
        _ task: ClaimedTask, slots: ComputeSlots, computeEnded: @escaping @Sendable () -> Void
    ) async -> TaskRunner.Finished? {
        let ending = EndingFlag()
        let runner = TaskRunner(coordinator: coordinator, slots: slots, computeEnded: computeEnded, endingRecorded: { await ending.set() })
        return await withTaskGroup(of: TaskRunner.Finished??.self) { group in
            group.addTask { .some(await runner.run(task)) }
            group.addTask {
                var lastRenewal = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.heartbeat)
                    if Task.isCancelled { break }
                    // Once the ending is being written, the run decides how this ends: a renewal
                    // now would only meet the cleared lease and pass for a lost one.
                    guard ending.beginRenewal() else { return await Self.waitForCancellation() }
                    let renewed: Bool?
                    do { renewed = try await coordinator.store.heartbeat(task, lease: configuration.lease) } catch { renewed = nil }
                    ending.endRenewal()
                    switch renewed {
                    case true:
                        lastRenewal = ContinuousClock.now
                    case false:
                        coordinator.logger.warning("lease lost; stopping the task", metadata: ["task": "\(task.taskID)"])
                        return .none
                    case nil where ContinuousClock.now - lastRenewal > configuration.lease && !ending.isEnding:
                        coordinator.logger.warning("no heartbeat for a whole lease; stopping the task", metadata: ["task": "\(task.taskID)"])
                        return .none
                    case nil:
                        continue
                    }
                }
                return .none
            }
            // The first child to end decides: the run finished, or the lease was lost.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? nil
        }
    }

    /// Suspends until the calling task is cancelled; for a child that must not decide a race.
    private static func waitForCancellation() async -> TaskRunner.Finished?? {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
        return .none
    }

    /// Periodically learns which running requests were cancelled (possibly by another process)
    /// and rescues tasks whose worker died.
    private func sweep(running: RunningTasks, finalizer: Finalizer) async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.sweepInterval)
            let live = running.requestIDs
            if let cancelled = try? await coordinator.store.cancelled(among: Array(live)) {
                coordinator.cancelBoard.formUnion(cancelled)
            }
            coordinator.cancelBoard.keepOnly(live)
            coordinator.segments.keepOnly(live)
            if let rescued = try? await coordinator.store.rescueExpiredLeases(retryAfter: coordinator.retryPolicy.delay(afterAttempt: 1)), rescued > 0 {
                coordinator.logger.warning("rescued tasks with expired leases", metadata: ["count": "\(rescued)"])
                coordinator.notifyWork()
            }
            await finalizer.rolling.dropIdle(running: live, idle: configuration.sweepInterval * 10)
            // A merge whose start failed (a store error after the last task) is retried here.
            for id in (try? await coordinator.store.requestsAwaitingMerge()) ?? [] { await finalizer.mergeIfReady(id) }
        }
    }
}

/// Keeps a task's lease renewals and the writing of its ending apart: the ending waits for a
/// renewal under way, and no renewal starts once the ending is being written.
private final class EndingFlag: Sendable {
    private let state = Mutex((ending: false, renewing: false))

    /// Marks a renewal as under way; `false` once the ending is being written.
    func beginRenewal() -> Bool {
        state.withLock { state in
            guard !state.ending else { return false }
            state.renewing = true
            return true
        }
    }

    /// Marks the renewal as done.
    func endRenewal() { state.withLock { $0.renewing = false } }

    /// Whether the ending is being written.
    var isEnding: Bool { state.withLock { $0.ending } }

    /// Marks the ending as being written, once no renewal is under way (or at once when the
    /// caller is cancelled: a renewal stuck on a database that does not answer must not hold a
    /// stopping worker, nor spin it).
    func set() async {
        while true {
            let marked = state.withLock { state -> Bool in
                guard !state.renewing || Task.isCancelled else { return false }
                state.ending = true
                return true
            }
            if marked { return }
            // A renewal is one short statement; the ending waits for it rather than race it.
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}
