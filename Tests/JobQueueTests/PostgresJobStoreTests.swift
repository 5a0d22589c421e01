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

    @Test func idleWorkersHearWhenAnotherProcessEndsARequestsLastTask() async throws {
        let database = try await TestPostgres.createDatabase()
        let busy = try await PostgresJobStore(url: database.url)
        let idle = try await PostgresJobStore(url: database.url)
        try await busy.submit(StoreFixtures.request(records: 20, chunkSize: 10))
        let first = try #require(try await busy.claim(workerID: "busy", lease: .seconds(30)))
        let last = try #require(try await busy.claim(workerID: "busy", lease: .seconds(30)))
        let wakes = Shared(0)
        let listening = Task { try await idle.watchForWork { wakes.value.withLock { $0 += 1 } } }
        try await waitUntil { wakes.value.withLock { $0 } >= 1 }
        // A task that leaves others running is no news to an idle worker...
        _ = try await busy.finish(first, as: .succeeded(outputKey: "a", succeeded: 10, failed: 0))
        let afterFirst = wakes.value.withLock { $0 }
        // ...but the last one is: it may exit now (`--exit-when-idle`) or take over the merge,
        // instead of at its next poll.
        let receipt = try await busy.finish(last, as: .succeeded(outputKey: "b", succeeded: 10, failed: 0))
        #expect(receipt.requestReadyToMerge)
        try await waitUntil { wakes.value.withLock { $0 } > afterFirst }
        listening.cancel()
        busy.close()
        idle.close()
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

    @Test func requiringTLSFromAServerWithoutItFailsWithAnExplanationInsteadOfHanging() async throws {
        let database = try await TestPostgres.createDatabase()
        defer { Task { await database.drop() } }
        let url = database.url.replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        #expect(url.contains("sslmode=require"))
        let started = ContinuousClock.now
        do {
            let store = try await PostgresJobStore(url: url)
            store.close()
            Issue.record("the test server has no TLS, yet sslmode=require connected")
        } catch {
            #expect("\(error)".contains("sslmode") || "\(String(reflecting: error))".lowercased().contains("ssl"), "\(String(reflecting: error))")
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func socketDirectoriesSchemesAndSSLModesThatOperatorsWriteAllConnect() async throws {
        let database = try await TestPostgres.createDatabase()
        defer { Task { await database.drop() } }
        let components = try #require(URLComponents(string: database.url))
        let port = try #require(components.port)
        let name = String(components.path.dropFirst())
        var accepted = [
            "postgresql://postgres@127.0.0.1:\(port)/\(name)?sslmode=disable",
            // The test server offers no TLS: `prefer` must fall back to plain text, as libpq does.
            "postgres://postgres@127.0.0.1:\(port)/\(name)?sslmode=prefer",
        ]
        if let socketDirectory = ProcessInfo.processInfo.environment["BULKPREDICT_PG_DIR"] {
            accepted.append("postgres://postgres@localhost:\(port)/\(name)?host=\(socketDirectory)")
        }
        for url in accepted {
            let store = try await PostgresJobStore(url: url)
            let page = try await store.list(owner: "nobody", limit: 1, offset: 0)
            #expect(page.total == 0, "\(url)")
            store.close()
        }
        // (`sslmode=require` against this server would wait for a TLS connection that never
        // comes: the pool retries rather than fail, so it is not tried here.)
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
