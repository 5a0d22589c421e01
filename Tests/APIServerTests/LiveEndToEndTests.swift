import BulkPredictCore
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Models
import TestSupport
import Testing

/// Against a live port: upload, follow the event stream to its end, download, and check every row.
@Suite struct LiveEndToEndTests {
    @Test func tenThousandRecordsRoundTripRowByRowOverHTTP() async throws {
        let harness = try Harness(parallelism: 2)
        defer { harness.remove() }
        let pool = ["CCO", "c1ccccc1", "CC(=O)Nc1ccc(O)cc1", "[NH4+]", "C[C@H](N)C(=O)O", "c1ccc2[nH]ccc2c1", "O=C=O"]
        let invalid = ["C1CC", "c1cccc1", "C(", "Xy", "CC)C"]
        var lines = ["id,smiles,note"]
        var expected: [(id: String, input: String, valid: Bool)] = []
        for index in 0..<10_000 {
            let bad = index % 97 == 13
            let smiles = bad ? invalid[index % invalid.count] : pool[index % pool.count]
            let id = index % 1_000 == 5 ? "dup" : "mol-\(index)"
            lines.append("\(id),\(smiles),n\(index)")
            expected.append((id, smiles, !bad))
        }
        let csv = lines.joined(separator: "\n") + "\n"
        let wanted = expected
        try await harness.withWorker(slots: 2) {
            try await harness.application().test(.live) { client in
                let id: String = try await client.execute(
                    uri: "/api/v1/requests?model=chem.formula&filename=molecules.csv&chunk_size=700", method: .post,
                    headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)
                ) { response in
                    #expect(response.status == .accepted)
                    return try #require(try response.body.json()["id"] as? String)
                }
                let stream = try await client.execute(uri: "/api/v1/requests/\(id)/events", method: .get) { response in
                    #expect(response.headers[.contentType] == "text/event-stream")
                    return SSEText(response.body.text)
                }
                #expect(stream.events.first?.name == "snapshot")
                #expect(stream.events.last?.name == "end")
                let ids = stream.events.compactMap(\.id)
                #expect(ids.count == stream.events.count)
                #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 <= $1 }, "event ids never go back")
                #expect(stream.events.last?.data.contains("\"completed_with_errors\"") == true)
                let table: CSVTable = try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentLength] == "\(response.body.readableBytes)")
                    return CSVTable(response.body.text)
                }
                #expect(table.rows.count == 10_000)
                // The upload's own `note` column comes back between `id` and `input`.
                #expect(Array(table.header.prefix(4)) == ["row", "id", "note", "input"])
                let formula = FormulaPredictor()
                var failures = 0
                for (index, row) in table.rows.enumerated() {
                    let want = wanted[index]
                    #expect(
                        row[0] == "\(index)" && row[1] == want.id && row[2] == "n\(index)" && row[3] == want.input,
                        "row \(index)")
                    switch formula.outcome(for: want.input) {
                    case .values(let values):
                        #expect(want.valid && values[0] == .string(row[4]) && row[7].isEmpty, "row \(index)")
                    case .error(let message):
                        failures += 1
                        #expect(!want.valid && row[7] == message && row[4].isEmpty, "row \(index)")
                    }
                }
                #expect(failures == wanted.filter { !$0.valid }.count)
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    let jobs = try #require(try response.body.json()["jobs"] as? [[String: Any]])
                    #expect(jobs[0]["succeeded"] as? Int == 10_000 - failures)
                    #expect(jobs[0]["failed"] as? Int == failures)
                }
            }
        }
    }

    @Test func lateSubscriberGetsASnapshotAndTheTerminalEvent() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["chem.formula"])), records: [.init(id: nil, input: "CCO")])
        _ = try await harness.withWorker { try await harness.waitUntilTerminal(id) }
        try await harness.application().test(.live) { client in
            try await client.execute(uri: "/api/v1/requests/\(id)/events", method: .get) { response in
                let stream = SSEText(response.body.text)
                #expect(stream.events.map(\.name) == ["snapshot", "end"])
                #expect(stream.events.allSatisfy { $0.data.contains("\"completed\"") })
            }
        }
    }

    @Test func aReconnectWithLastEventIDGetsWhatItMissedInsteadOfASnapshot() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .milliseconds(40)))
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.slow"]), chunkSize: 5, maxParallel: 1),
            records: (0..<40).map { _ in .init(id: nil, input: "C") })
        let lastEventID = HTTPField.Name("Last-Event-ID")!
        try await harness.withWorker(slots: 1) {
            try await harness.application().test(.live) { client in
                // Reconnecting after an early event: the first thing sent is the state now, as
                // progress; every id is later than the one the client had.
                try await client.execute(uri: "/api/v1/requests/\(id)/events", method: .get, headers: [lastEventID: "1"]) { response in
                    let stream = SSEText(response.body.text)
                    #expect(stream.events.first?.name == "progress", "\(stream.events.map(\.name))")
                    #expect(!stream.events.contains { $0.name == "snapshot" })
                    #expect(stream.events.last?.name == "end")
                    let ids = stream.events.compactMap(\.id)
                    #expect(ids.count == stream.events.count && ids.allSatisfy { $0 > 1 } && ids == ids.sorted())
                }
            }
        }
        let final = try #require(try await harness.store.status(of: id, owner: nil))
        try await harness.application().test(.live) { client in
            // Up to date with an ended request: only the end.
            try await client.execute(
                uri: "/api/v1/requests/\(id)/events", method: .get, headers: [lastEventID: "\(final.revision)"]
            ) { response in
                #expect(SSEText(response.body.text).events.map(\.name) == ["end"])
            }
            // An id the server never gave (ahead of it, or not a number): a full snapshot.
            for unknown in ["\(final.revision + 1000)", "0", "-3", "soon"] {
                try await client.execute(uri: "/api/v1/requests/\(id)/events", method: .get, headers: [lastEventID: unknown]) { response in
                    #expect(SSEText(response.body.text).events.map(\.name) == ["snapshot", "end"], "Last-Event-ID: \(unknown)")
                }
            }
        }
    }

    @Test func keepAliveCommentsDoNotEndTheStream() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .milliseconds(150)))
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.slow"]), chunkSize: 5, maxParallel: 1),
            records: (0..<10).map { _ in .init(id: nil, input: "C") })
        try await harness.withWorker(slots: 1) {
            try await harness.application(keepAlive: .milliseconds(200)).test(.live) { client in
                try await client.execute(uri: "/api/v1/requests/\(id)/events", method: .get) { response in
                    let stream = SSEText(response.body.text)
                    #expect(stream.comments.contains("keep-alive"))
                    #expect(stream.events.first?.name == "snapshot")
                    #expect(stream.events.last?.name == "end")
                    #expect(stream.events.contains { $0.name == "progress" })
                }
            }
        }
        #expect(harness.coordinator.hub.subscriptionCount == 0, "finished streams unsubscribe")
    }
}
