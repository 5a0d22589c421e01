import APIServer
import BulkPredictCore
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import Models
import TestSupport
import Testing

/// RELIABILITY scenario 4: while PostgreSQL is down the API answers 503 with `Retry-After` at
/// once (after the first call finds out), and when it is back everything carries on with nothing
/// lost. Runs against a PostgreSQL server of its own, which it halts as in a crash.
@Suite struct DatabaseOutageTests {
    @Test func whileTheDatabaseIsDownCallsGet503QuicklyAndNothingIsLost() async throws {
        let postgres = try await PrivatePostgres.start()
        let folder = try TemporaryDirectory()
        do {
            let store = try await PostgresJobStore(url: postgres.url)
            let coordinator = Coordinator(
                store: store, blobs: try LocalBlobStore(root: folder.file("blobs")), registry: .builtIn,
                limits: SubmissionLimits(globalParallelism: 2))
            var configuration = APIServer.Configuration(uploadDirectory: folder.file("uploads"))
            configuration.eventPoll = .milliseconds(100)
            try FileManager.default.createDirectory(at: configuration.uploadDirectory, withIntermediateDirectories: true)
            let api = APIServer(coordinator: coordinator, configuration: configuration)
            try await Application(router: api.router()).test(.router) { client in
                let body = try JSONSerialization.data(withJSONObject: ["records": ["CCO", "CCN"], "models": ["chem.formula"]])
                let id: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
                ) { response in
                    #expect(response.status == .accepted)
                    return try #require(try response.body.json()["id"] as? String)
                }

                try await postgres.halt()
                // The first call finds out (bounded by the 5 s connection wait); later ones are
                // answered at once, without waiting for a connection that cannot come.
                let first = ContinuousClock.now
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.retryAfter] == "2")
                    let problem = try response.body.json()
                    #expect(problem["type"] as? String == "/problems/service/store_unavailable")
                }
                #expect(ContinuousClock.now - first < .seconds(15))
                for path in ["/api/v1/requests/\(id)", "/api/v1/requests", "/api/v1/quota"] {
                    let started = ContinuousClock.now
                    try await client.execute(uri: path, method: .get) { response in
                        #expect(response.status == .serviceUnavailable, "\(path)")
                        #expect(response.headers[.retryAfter] == "2")
                    }
                    #expect(ContinuousClock.now - started < .seconds(2), "\(path) is answered at once while the database is known down")
                }

                try await postgres.resume()
                // Back within a few probes; the request accepted before the outage is still there.
                let deadline = ContinuousClock.now + .seconds(60)
                var status = HTTPResponse.Status.serviceUnavailable
                while status != .ok, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(250))
                    status = try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { $0.status }
                }
                #expect(status == .ok)
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    let object = try response.body.json()
                    #expect(object["record_count"] as? Int == 2)
                    #expect(object["state"] as? String == "queued")
                }
            }
            store.close()
        } catch {
            await postgres.stop()
            folder.remove()
            throw error
        }
        await postgres.stop()
        folder.remove()
    }
}
