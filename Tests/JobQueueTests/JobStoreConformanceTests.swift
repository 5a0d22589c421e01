import BulkPredictCore
import Foundation
import JobQueue
import TestSupport
import Testing

/// One suite for every `JobStore`: the same promises hold whichever database is underneath.
@Suite struct JobStoreConformanceTests {
    /// Claims everything claimable right now.
    func claimAll(_ store: any JobStore) async throws -> [ClaimedTask] {
        var tasks: [ClaimedTask] = []
        while let task = try await store.claim(workerID: "w", lease: .seconds(30)) { tasks.append(task) }
        return tasks
    }

    @Test(arguments: StoreKind.allCases)
    func submitStoresRequestJobsAndTasksTogether(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 25, chunkSize: 10, models: ["m1", "m2"])
            try await store.submit(request)
            let status = try #require(try await store.status(of: request.id, owner: "local"))
            #expect(status.state == .queued)
            #expect(status.recordCount == 25)
            #expect(status.jobs.map(\.model) == ["m1", "m2"])
            #expect(status.jobs.map(\.tasksTotal) == [3, 3])
            #expect(try await store.status(of: request.id, owner: "someone-else") == nil)
            #expect(try await store.pendingTaskCount() == 6)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theQuotaIsCheckedWithTheInsertAndNeverRefusesARepeat(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            var first = StoreFixtures.request(records: 30, models: ["m1", "m2"])
            first.quota = 100
            first.idempotencyKey = "k1"
            #expect(try await store.submit(first) == .created)
            #expect(try await store.usage(owner: "local") == OwnerUsage(requests: 1, recordModels: 60))
            var second = StoreFixtures.request(records: 30, models: ["m1", "m2"])
            second.quota = 100
            #expect(try await store.submit(second) == .overQuota(OwnerUsage(requests: 1, recordModels: 60)))
            #expect(try await store.status(of: second.id, owner: nil) == nil, "nothing of a refused submission is stored")
            // A repeat under the same key answers with the first request even though the two would
            // not fit together.
            var repeated = StoreFixtures.request(records: 30, models: ["m1", "m2"])
            repeated.quota = 100
            repeated.idempotencyKey = "k1"
            guard case .existing(let id, _) = try await store.submit(repeated) else {
                Issue.record("a repeat must answer with the first request")
                return
            }
            #expect(id == first.id)
            // Another owner has a quota of their own.
            var other = StoreFixtures.request(records: 40, models: ["m1", "m2"], owner: "someone-else")
            other.quota = 100
            #expect(try await store.submit(other) == .created)
            #expect(try await store.usage(owner: "local").recordModels == 60)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func workersSeeNothingOfASubmissionBeforeItCommits(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 5_000, chunkSize: 1, maxParallel: 4)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.submit(request) }
                group.addTask {
                    // Claims racing the insert either find nothing or find the request whole; the
                    // loop goes on until one claim succeeds, so the check always runs.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < deadline {
                        if let task = try await store.claim(workerID: "racer", lease: .seconds(30)) {
                            let status = try #require(try await store.status(of: task.requestID, owner: nil))
                            #expect(status.jobs.first?.tasksTotal == 5_000)
                            try await store.release(task)
                            return
                        }
                    }
                    Issue.record("no task became claimable")
                }
                try await group.waitForAll()
            }
            // A submission that fails part-way leaves no trace: the duplicate id aborts the whole insert.
            var duplicate = StoreFixtures.request(records: 30, chunkSize: 10, models: ["m9"])
            duplicate.id = request.id
            await #expect(throws: (any Error).self) { try await store.submit(duplicate) }
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.jobs.map(\.model) == ["m1"])
            #expect(try await store.pendingTaskCount() == 5_000)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func claimsHonourMaxParallelAndGoOldestFirst(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let first = StoreFixtures.request(records: 50, chunkSize: 10, maxParallel: 2)
            let second = StoreFixtures.request(records: 50, chunkSize: 10, maxParallel: 1)
            try await store.submit(first)
            try await store.submit(second)
            let claimed = try await claimAll(store)
            #expect(claimed.map(\.requestID) == [first.id, first.id, second.id])
            #expect(claimed.map(\.startRow) == [0, 10, 0])
            #expect(claimed.allSatisfy { $0.attempt == 1 && $0.modelID == "m1" && $0.rowCount == 10 })
            let receipt = try await store.finish(claimed[0], as: .succeeded(outputKey: "k", succeeded: 10, failed: 0))
            #expect(receipt == FinishReceipt(accepted: true, requestReadyToMerge: false))
            let next = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            #expect(next.requestID == first.id && next.startRow == 20)
            let status = try #require(try await store.status(of: first.id, owner: nil))
            #expect(status.state == .running)
            #expect(status.jobs[0].state == .running)
            #expect(status.jobs[0].tasksRunning == 2)
            #expect(status.jobs[0].succeeded == 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func staleClaimsChangeNothing(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            try await store.submit(StoreFixtures.request(records: 10))
            let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            var stale = task
            stale.leaseToken = UUID().uuidString
            #expect(try await store.heartbeat(stale, lease: .seconds(30)) == false)
            #expect(try await store.finish(stale, as: .succeeded(outputKey: "x", succeeded: 10, failed: 0)).accepted == false)
            #expect(try await store.finish(stale, as: .failed(reason: "x")).accepted == false)
            #expect(try await store.heartbeat(task, lease: .seconds(30)) == true)
            let receipt = try await store.finish(task, as: .succeeded(outputKey: "k", succeeded: 9, failed: 1))
            #expect(receipt == FinishReceipt(accepted: true, requestReadyToMerge: true))
            // Finishing twice is refused too: the token is spent.
            #expect(try await store.finish(task, as: .succeeded(outputKey: "k", succeeded: 9, failed: 1)).accepted == false)
            let status = try #require(try await store.status(of: task.requestID, owner: nil))
            #expect(status.jobs[0].succeeded == 9 && status.jobs[0].failed == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releaseGivesTheTaskBackWithoutUsingAnAttempt(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            try await store.submit(StoreFixtures.request(records: 10))
            let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            try await store.release(task)
            let again = try #require(try await store.claim(workerID: "w2", lease: .seconds(30)))
            #expect(again.taskID == task.taskID)
            #expect(again.attempt == 1)
            #expect(again.leaseToken != task.leaseToken)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func expiredLeasesAreRescuedAndTheOldClaimIsFenced(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            try await store.submit(StoreFixtures.request(records: 10))
            let task = try #require(try await store.claim(workerID: "dead", lease: .milliseconds(1)))
            try await Task.sleep(for: .milliseconds(30))
            #expect(try await store.rescueExpiredLeases(retryAfter: .zero) == 1)
            let again = try #require(try await store.claim(workerID: "alive", lease: .seconds(30)))
            #expect(again.taskID == task.taskID)
            #expect(again.attempt == 2)
            #expect(try await store.finish(task, as: .succeeded(outputKey: "old", succeeded: 10, failed: 0)).accepted == false)
            #expect(try await store.heartbeat(task, lease: .seconds(30)) == false)
            #expect(try await store.finish(again, as: .succeeded(outputKey: "new", succeeded: 10, failed: 0)).accepted)
            // The totals that monitoring reads saw all of it, once.
            let totals = try await store.statistics().totals
            #expect(totals == QueueTotals(tasksCompleted: 1, tasksFailed: 0, tasksRescued: 1, recordsProcessed: 10, fencedWritesRejected: 2))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func retryableFailuresWaitTheirBackoffAndStopAtTheAttemptLimit(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10, maxAttempts: 3)
            try await store.submit(request)
            var task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            var receipt = try await store.finish(task, as: .retry(reason: "server busy", after: .seconds(60)))
            #expect(receipt == FinishReceipt(accepted: true, requestReadyToMerge: false))
            #expect(try await store.claim(workerID: "w", lease: .seconds(30)) == nil, "not before its backoff")
            #expect(try await store.pendingTaskCount() == 1, "a retrying task is still pending")

            let second = StoreFixtures.request(records: 10, maxAttempts: 3)
            try await store.submit(second)
            for attempt in 1...3 {
                task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
                #expect(task.requestID == second.id && task.attempt == attempt)
                receipt = try await store.finish(task, as: .retry(reason: "server busy", after: .zero))
            }
            #expect(receipt == FinishReceipt(accepted: true, requestReadyToMerge: true))
            let plan = try #require(try await store.beginMerge(second.id, lease: .seconds(30)))
            #expect(plan.jobs[0].chunks[0].state == .failed)
            #expect(plan.jobs[0].chunks[0].error == "gave up after 3 attempts: server busy")
            let status = try #require(try await store.status(of: second.id, owner: nil))
            #expect(status.jobs[0].failed == 10 && status.jobs[0].succeeded == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aChunkWhoseWorkersKeepDyingFailsAtTheAttemptLimit(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10, maxAttempts: 2)
            try await store.submit(request)
            for _ in 1...2 {
                _ = try #require(try await store.claim(workerID: "doomed", lease: .milliseconds(1)))
                try await Task.sleep(for: .milliseconds(20))
                #expect(try await store.rescueExpiredLeases(retryAfter: .zero) == 1)
            }
            #expect(try await store.claim(workerID: "w", lease: .seconds(30)) == nil)
            #expect(try await store.requestsAwaitingMerge() == [request.id])
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.jobs[0].failed == 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func finalizeStartsExactlyOnceUnderRacingCallers(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            for _ in 0..<25 {
                let request = StoreFixtures.request(records: 20, chunkSize: 10)
                try await store.submit(request)
                #expect(try await store.beginMerge(request.id, lease: .seconds(30)) == nil, "not ready while tasks wait")
                for task in try await claimAll(store) {
                    _ = try await store.finish(task, as: .succeeded(outputKey: "k\(task.taskID)", succeeded: 10, failed: 0))
                }
                #expect(try await store.requestsAwaitingMerge() == [request.id])
                let plans = try await withThrowingTaskGroup(of: MergePlan?.self) { group in
                    for _ in 0..<8 { group.addTask { try await store.beginMerge(request.id, lease: .seconds(30)) } }
                    return try await group.reduce(into: [MergePlan]()) { if let plan = $1 { $0.append(plan) } }
                }
                #expect(plans.count == 1)
                let plan = try #require(plans.first)
                #expect(plan.jobs.count == 1)
                #expect(plan.jobs[0].chunks.map(\.startRow) == [0, 10])
                #expect(plan.jobs[0].chunks.allSatisfy { $0.state == .succeeded && $0.outputKey != nil })
                let result = MergeResult(csvKey: "results/x.csv", rowCount: 20, byteCount: 100, hasErrors: false)
                #expect(try await store.finishMerge(plan, result: result))
                #expect(try await store.finishMerge(plan, result: result) == false)
                let status = try #require(try await store.status(of: request.id, owner: nil))
                #expect(status.state == .completed)
                #expect(status.jobs[0].state == .completed)
                #expect(try await store.resultLocation(of: request.id) == result)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cancelDropsWaitingWorkAndDrainsWhenRunningWorkStops(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 40, chunkSize: 10, maxParallel: 1)
            try await store.submit(request)
            let running = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            #expect(try await store.cancel(request.id, owner: "intruder") == .notFound)
            #expect(try await store.cancel(request.id, owner: "local") == .accepted(.cancelling))
            #expect(try await store.cancel(request.id, owner: "local") == .accepted(.cancelling))
            #expect(try await store.claim(workerID: "w", lease: .seconds(30)) == nil)
            #expect(try await store.cancelled(among: [request.id]) == [request.id])
            let receipt = try await store.finish(running, as: .cancelled)
            // The last running task stopped: the request is cancelled and ready for its partial merge.
            #expect(receipt == FinishReceipt(accepted: true, requestReadyToMerge: true))
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.state == .cancelled)
            #expect(status.finishedAt != nil)
            #expect(status.jobs[0].state == .cancelled)
            #expect(status.jobs[0].cancelled == 40)
            #expect(try await store.cancel(request.id, owner: nil) == .accepted(.cancelled))
            #expect(try await store.cancel(RequestID(), owner: nil) == .notFound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releasingTheLastRunningTaskOfACancellingRequestDrainsIt(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 20, chunkSize: 10)
            try await store.submit(request)
            let tasks = try await claimAll(store)
            #expect(tasks.count == 2)
            #expect(try await store.cancel(request.id, owner: nil) == .accepted(.cancelling))
            _ = try await store.finish(tasks[0], as: .cancelled)
            try await store.release(tasks[1])
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.state == .cancelled)
            #expect(status.jobs[0].cancelled == 20)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func thePartialMergeOfACancelledRequestKeepsItsLeaseWhileItWrites(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 20, chunkSize: 10)
            try await store.submit(request)
            let tasks = try await claimAll(store)
            _ = try await store.finish(tasks[0], as: .succeeded(outputKey: "k", succeeded: 10, failed: 0))
            #expect(try await store.cancel(request.id, owner: nil) == .accepted(.cancelling))
            _ = try await store.finish(tasks[1], as: .cancelled)
            #expect(try await store.status(of: request.id, owner: nil)?.state == .cancelled)
            // A short lease, renewed for long at once: once the first lease is over, a long partial
            // merge must still not be taken over while it writes.
            let plan = try #require(try await store.beginMerge(request.id, lease: .seconds(2)))
            #expect(try await store.extendMerge(plan, lease: .seconds(120)))
            try await Task.sleep(for: .milliseconds(2_500))
            #expect(try await store.beginMerge(request.id, lease: .seconds(30)) == nil, "a renewed partial merge is not taken over")
            let result = MergeResult(csvKey: "r", rowCount: 20, byteCount: 1, hasErrors: true)
            #expect(try await store.finishMerge(plan, result: result))
            #expect(try await store.statistics().totals.fencedWritesRejected == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func requestsSubmittedInTheSameMillisecondAreServedInSubmissionOrder(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            var ids: [RequestID] = []
            for _ in 0..<30 {
                let request = StoreFixtures.request(records: 1, chunkSize: 1, maxParallel: 1)
                ids.append(request.id)
                try await store.submit(request)
            }
            #expect(try await claimAll(store).map(\.requestID) == ids)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMergeWhoseProcessDiedIsTakenOverAndTheOldMergerIsFenced(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10)
            try await store.submit(request)
            let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            _ = try await store.finish(task, as: .succeeded(outputKey: "k", succeeded: 10, failed: 0))
            let dead = try #require(try await store.beginMerge(request.id, lease: .milliseconds(1)))
            try await Task.sleep(for: .milliseconds(30))
            #expect(try await store.requestsAwaitingMerge() == [request.id])
            let taker = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            #expect(taker.token != dead.token)
            #expect(try await store.beginMerge(request.id, lease: .seconds(30)) == nil, "a live merge is not taken over")
            #expect(try await store.extendMerge(dead, lease: .seconds(30)) == false)
            let result = MergeResult(csvKey: "r", rowCount: 10, byteCount: 1, hasErrors: false)
            #expect(try await store.finishMerge(dead, result: result) == false)
            try await store.failMerge(dead, reason: "stale")
            #expect(try await store.status(of: request.id, owner: nil)?.state == .merging, "a stale merger changes nothing")
            #expect(try await store.extendMerge(taker, lease: .seconds(30)))
            #expect(try await store.finishMerge(taker, result: result))
            #expect(try await store.status(of: request.id, owner: nil)?.state == .completed)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theHalvesOfABisectedRetryEachKeepTheirBlockOfTheEarlierOutput(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10, chunkSize: 10)
            try await store.submit(request)
            let first = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            _ = try await store.finish(first, as: .succeeded(outputKey: "seg#0+100", succeeded: 8, failed: 2))
            let plan = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            _ = try await store.finishMerge(plan, result: MergeResult(csvKey: "r", rowCount: 10, byteCount: 1, hasErrors: true))
            #expect(try await store.retryFailed(request.id, owner: nil) == .accepted(tasks: 1, records: 2))
            let retry = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            #expect(retry.baseOutputKey == "seg#0+100" && retry.retriesFailedOnly)
            let split = TaskEnding.bisect(reason: "crash", splitRow: 5, splitOffset: 500, baseOutputKeys: ["seg#0+45", "seg#45+55"])
            #expect(try await store.finish(retry, as: split).accepted)
            let halves = try await claimAll(store).sorted { $0.startRow < $1.startRow }
            #expect(halves.map(\.startRow) == [0, 5])
            #expect(halves.map(\.baseOutputKey) == ["seg#0+45", "seg#45+55"])
            #expect(halves.allSatisfy { $0.retriesFailedOnly })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func retryQueuesOnlyChunksWithFailuresAndKeepsCountsReconciled(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 30, chunkSize: 10, models: ["m1", "m2"], maxParallel: 6)
            try await store.submit(request)
            #expect(try await store.retryFailed(request.id, owner: nil) == .notRetryable(.queued))
            for task in try await claimAll(store) {
                // m1: the middle chunk has 3 error rows; m2: its last chunk failed as a whole.
                let ending: TaskEnding =
                    task.modelID == "m2" && task.startRow == 20
                    ? .failed(reason: "model server down")
                    : .succeeded(outputKey: "k\(task.taskID)", succeeded: task.modelID == "m1" && task.startRow == 10 ? 7 : 10, failed: task.modelID == "m1" && task.startRow == 10 ? 3 : 0)
                _ = try await store.finish(task, as: ending)
            }
            let plan = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            _ = try await store.finishMerge(plan, result: MergeResult(csvKey: "r", rowCount: 30, byteCount: 1, hasErrors: true))
            #expect(try await store.retryFailed(request.id, owner: "intruder") == .notFound)
            #expect(try await store.retryFailed(request.id, owner: nil) == .accepted(tasks: 2, records: 13))
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.state == .queued)
            #expect(status.jobs.map(\.state) == [.queued, .queued])
            #expect(status.jobs.map(\.tasksTotal) == [3, 3], "superseded runs do not count")
            #expect(status.jobs.map(\.succeeded) == [20, 20])
            #expect(status.jobs.map(\.failed) == [0, 0])
            #expect(try await store.resultLocation(of: request.id) == nil, "no result while the retry runs")
            let retries = try await claimAll(store)
            #expect(retries.map(\.startRow).sorted() == [10, 20])
            let m1 = try #require(retries.first { $0.modelID == "m1" })
            #expect(m1.baseOutputKey != nil && m1.retriesFailedOnly)
            let m2 = try #require(retries.first { $0.modelID == "m2" })
            #expect(m2.baseOutputKey == nil && !m2.retriesFailedOnly, "a chunk that failed whole runs whole")
            for task in retries {
                _ = try await store.finish(task, as: .succeeded(outputKey: "r\(task.taskID)", succeeded: 10, failed: 0))
            }
            let again = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            #expect(again.jobs.allSatisfy { $0.chunks.count == 3 && $0.chunks.allSatisfy { $0.state == .succeeded } })
            _ = try await store.finishMerge(again, result: MergeResult(csvKey: "r", rowCount: 30, byteCount: 1, hasErrors: false))
            let final = try #require(try await store.status(of: request.id, owner: nil))
            #expect(final.state == .completed)
            #expect(final.jobs.map(\.succeeded) == [30, 30])
            #expect(try await store.retryFailed(request.id, owner: nil) == .notRetryable(.completed))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func bisectingReplacesAChunkByTwoHalvesThatCoverItExactly(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10, chunkSize: 10)
            try await store.submit(request)
            let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            var stale = task
            stale.leaseToken = "stale"
            #expect(try await store.finish(stale, as: .bisect(reason: "crash", splitRow: 5, splitOffset: 500)).accepted == false)
            #expect(try await store.finish(task, as: .bisect(reason: "crash", splitRow: 5, splitOffset: 500)).accepted)
            let halves = try await claimAll(store).sorted { $0.startRow < $1.startRow }
            #expect(halves.map(\.startRow) == [0, 5])
            #expect(halves.map(\.rowCount) == [5, 5])
            #expect(halves.map(\.inputOffset) == [task.inputOffset, 500])
            #expect(halves.allSatisfy { $0.attempt == 1 })
            #expect(try await store.status(of: request.id, owner: nil)?.jobs[0].tasksTotal == 2)
            _ = try await store.finish(halves[0], as: .succeeded(outputKey: "a", succeeded: 5, failed: 0))
            _ = try await store.finish(halves[1], as: .failed(reason: "crash"))
            let plan = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            #expect(plan.jobs[0].chunks.map(\.startRow) == [0, 5])
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.jobs[0].succeeded == 5 && status.jobs[0].failed == 5)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cancelRacingTheLastTaskEndsExactlyCompletedOrCancelled(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            var endings: [RequestState: Int] = [:]
            for _ in 0..<200 {
                let request = StoreFixtures.request(records: 10)
                try await store.submit(request)
                let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
                async let finishing = store.finish(task, as: .succeeded(outputKey: "k", succeeded: 10, failed: 0))
                async let cancelling = store.cancel(request.id, owner: nil)
                _ = try await (finishing, cancelling)
                // Whoever merges next (a worker) finds one of the two outcomes, never a stuck request.
                if let plan = try await store.beginMerge(request.id, lease: .seconds(30)) {
                    _ = try await store.finishMerge(plan, result: MergeResult(csvKey: "r", rowCount: 10, byteCount: 1, hasErrors: false))
                }
                let status = try #require(try await store.status(of: request.id, owner: nil))
                #expect(status.state == .completed || status.state == .cancelled, "\(status.state)")
                let job = status.jobs[0]
                #expect(job.succeeded + job.failed + job.cancelled == 10)
                endings[status.state, default: 0] += 1
            }
            #expect(endings.values.reduce(0, +) == 200)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cancellingAFinishedRequestIsAConflict(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10)
            try await store.submit(request)
            let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            _ = try await store.finish(task, as: .failed(reason: "model crashed"))
            let plan = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            #expect(plan.jobs[0].chunks[0].error == "model crashed")
            _ = try await store.finishMerge(plan, result: MergeResult(csvKey: "r", rowCount: 10, byteCount: 1, hasErrors: true))
            #expect(try await store.cancel(request.id, owner: nil) == .alreadyFinished(.completedWithErrors))
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.jobs[0].failed == 10)
            #expect(status.jobs[0].state == .completedWithErrors)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cancelDuringMergeWinsAndTheMergeIsRefused(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 10)
            try await store.submit(request)
            let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            _ = try await store.finish(task, as: .succeeded(outputKey: "k", succeeded: 10, failed: 0))
            let plan = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            #expect(try await store.cancel(request.id, owner: nil) == .accepted(.cancelled))
            let result = MergeResult(csvKey: "r", rowCount: 10, byteCount: 1, hasErrors: false)
            #expect(try await store.finishMerge(plan, result: result) == false)
            #expect(try await store.resultLocation(of: request.id) == nil)
            // The cancelled request still gets its partial result, once.
            #expect(try await store.requestsAwaitingMerge() == [request.id])
            let partial = try #require(try await store.beginMerge(request.id, lease: .seconds(30)))
            #expect(try await store.beginMerge(request.id, lease: .seconds(30)) == nil)
            #expect(try await store.finishMerge(partial, result: result))
            #expect(try await store.requestsAwaitingMerge().isEmpty)
            #expect(try await store.resultLocation(of: request.id)?.partial == true)
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.state == .cancelled)
            #expect(status.result == ResultSummary(rows: 10, bytes: 1, partial: true))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listIsNewestFirstPagedAndScopedToTheOwner(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            var ids: [RequestID] = []
            for _ in 0..<5 {
                let request = StoreFixtures.request(records: 1)
                ids.append(request.id)
                try await store.submit(request)
                try await Task.sleep(for: .milliseconds(3))
            }
            try await store.submit(StoreFixtures.request(records: 1, owner: "other"))
            let page = try await store.list(owner: "local", limit: 2, offset: 1)
            #expect(page.total == 5)
            #expect(page.requests.map(\.id) == [ids[3], ids[2]])
        }
    }
}
