import BulkPredictCore
import Foundation
import JobQueue
import Synchronization
import TestSupport
import Testing

/// Scheduling promises of every store: owners take turns, the global cap holds, and concurrent
/// claimers never share a task or exceed a request's `max_parallel`.
@Suite struct JobStoreSchedulingTests {
    @Test(arguments: StoreKind.allCases)
    func ownersTakeTurnsSoOneLargeSubmitterDoesNotStarveTheOthers(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let big1 = StoreFixtures.request(records: 500, chunkSize: 10, maxParallel: 100, owner: "alice")
            let big2 = StoreFixtures.request(records: 500, chunkSize: 10, maxParallel: 100, owner: "alice")
            let small = StoreFixtures.request(records: 30, chunkSize: 10, maxParallel: 100, owner: "bob")
            for request in [big1, big2, small] { try await store.submit(request) }
            var owners: [String] = []
            for _ in 0..<6 {
                let task = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
                owners.append(task.requestID == small.id ? "bob" : "alice")
            }
            #expect(owners == ["alice", "bob", "alice", "bob", "alice", "bob"])
            // bob has nothing left; a newcomer goes before alice, whose turn was just taken.
            let carol = StoreFixtures.request(records: 10, chunkSize: 10, owner: "carol")
            try await store.submit(carol)
            let next = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            #expect(next.requestID == carol.id)
            // Within one owner, the older request still goes first.
            let after = try #require(try await store.claim(workerID: "w", lease: .seconds(30)))
            #expect(after.requestID == big1.id)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theGlobalCapBoundsRunningTasksAcrossRequests(kind: StoreKind) async throws {
        try await kind.withFreshStore(maxRunningTasks: 3) { store in
            try await store.submit(StoreFixtures.request(records: 100, chunkSize: 10, maxParallel: 10))
            try await store.submit(StoreFixtures.request(records: 100, chunkSize: 10, maxParallel: 10, owner: "other"))
            var claimed: [ClaimedTask] = []
            while let task = try await store.claim(workerID: "w", lease: .seconds(30)) { claimed.append(task) }
            #expect(claimed.count == 3)
            _ = try await store.finish(claimed[0], as: .succeeded(outputKey: "k", succeeded: 10, failed: 0))
            #expect(try await store.claim(workerID: "w", lease: .seconds(30)) != nil)
            #expect(try await store.claim(workerID: "w", lease: .seconds(30)) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentClaimersNeverShareATaskOrExceedMaxParallel(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let request = StoreFixtures.request(records: 240, chunkSize: 1, maxParallel: 5)
            try await store.submit(request)
            // Counted between a claim's commit and the finish that ends it: never more than the
            // store itself considers running.
            let running = Shared((now: 0, peak: 0))
            let finished = Shared([Int64]())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var idle = 0
                        while idle < 50 {
                            guard let task = try await store.claim(workerID: "w\(worker)", lease: .seconds(30)) else {
                                idle += 1
                                try await Task.sleep(for: .milliseconds(5))
                                continue
                            }
                            idle = 0
                            running.value.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
                            try await Task.sleep(for: .milliseconds(Int.random(in: 5...20)))
                            running.value.withLock { $0.now -= 1 }
                            let receipt = try await store.finish(task, as: .succeeded(outputKey: "k\(task.taskID)", succeeded: 1, failed: 0))
                            #expect(receipt.accepted)
                            finished.value.withLock { $0.append(task.taskID) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let ids = finished.value.withLock { $0 }
            #expect(ids.count == 240)
            #expect(Set(ids).count == 240)
            #expect(running.value.withLock { $0.peak } <= 5)
            #expect(running.value.withLock { $0.peak } >= 2)
            let status = try #require(try await store.status(of: request.id, owner: nil))
            #expect(status.jobs[0].succeeded == 240)
            #expect(status.jobs[0].tasksDone == 240)
        }
    }
}

/// A value that concurrent test tasks share.
final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }
}

/// Idempotency keys, in every store.
@Suite struct JobStoreIdempotencyTests {
    @Test(arguments: StoreKind.allCases)
    func racingSubmissionsUnderOneKeyStoreOneRequest(kind: StoreKind) async throws {
        try await kind.withFreshStore { store in
            let attempts = (0..<6).map { _ in
                var request = StoreFixtures.request(records: 30, chunkSize: 10)
                request.idempotencyKey = "key-1"
                request.fingerprint = "f1"
                return request
            }
            let outcomes = try await withThrowingTaskGroup(of: (RequestID, SubmitOutcome).self) { group in
                for request in attempts { group.addTask { (request.id, try await store.submit(request)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter { $0.1 == .created }.map(\.0)
            #expect(created.count == 1)
            let winner = try #require(created.first)
            for (_, outcome) in outcomes where outcome != .created {
                #expect(outcome == .existing(winner, fingerprint: "f1"))
            }
            #expect(try await store.pendingTaskCount() == 3, "the repeats stored no tasks")
            // The same key from another owner is another request.
            var other = StoreFixtures.request(records: 10, owner: "someone-else")
            other.idempotencyKey = "key-1"
            #expect(try await store.submit(other) == .created)
        }
    }
}
