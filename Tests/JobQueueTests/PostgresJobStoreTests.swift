import BulkPredictCore
import Foundation
import JobQueue
import Synchronization
import TestSupport
import Testing

/// What only the PostgreSQL store does: several processes (here, several stores on one database)
/// hear of new work at once, and URLs are checked before anything connects.
@Suite struct PostgresJobStoreTests {
    @Test func idleWorkersHearOfNewWorkFromAnotherProcess() async throws {
        let database = try await TestPostgres.createDatabase()
        let api = try await PostgresJobStore(url: database.url)
        let worker = try await PostgresJobStore(url: database.url)
        let wakes = Shared(0)
        let listening = Task { try await worker.watchForWork { wakes.value.withLock { $0 += 1 } } }
        // The first wake comes when listening starts (work announced before is found by polling).
        try await waitUntil { wakes.value.withLock { $0 } >= 1 }
        let before = wakes.value.withLock { $0 }
        try await api.submit(StoreFixtures.request(records: 10))
        try await waitUntil { wakes.value.withLock { $0 } > before }
        listening.cancel()
        api.close()
        worker.close()
        await database.drop()
    }

    @Test func malformedURLsAreRefusedWithoutShowingThePassword() async throws {
        do {
            _ = try await PostgresJobStore(url: "mysql://admin:s3cret@db/bulk")
            Issue.record("a mysql URL was accepted")
        } catch let error as PostgresURLError {
            #expect(error.description.contains("postgres://"))
            #expect(!error.description.contains("s3cret"))
        }
        await #expect(throws: PostgresURLError.self) {
            _ = try await PostgresJobStore(url: "postgres://u@localhost/db?sslmode=sometimes")
        }
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
