import BulkPredictCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The endpoints behind the web pages (options, quota, queue position, plot data) and the pages.
@Suite struct HelperRoutesTests {
    func submit(_ client: some TestClientProtocol, _ records: [String], models: [String]) async throws -> (HTTPResponse.Status, [String: Any]) {
        let body = try JSONSerialization.data(withJSONObject: ["records": records, "models": models])
        return try await client.execute(
            uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
        ) { ($0.status, try $0.body.json()) }
    }

    @Test func optionsDescribeTargetsModelsFormatsAndLimitsAndAreCacheable() async throws {
        let harness = try Harness(parallelism: 3)
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/options", method: .get) { response in
                #expect(response.headers[.cacheControl] == "max-age=60")
                let object = try response.body.json()
                let targets = try #require(object["targets"] as? [[String: Any]])
                #expect(targets.first { $0["name"] as? String == "physchem" }?["series"] as? [String] == ["basic"])
                let models = try #require(object["models"] as? [[String: Any]])
                let composition = try #require(models.first { $0["id"] as? String == "protein.composition" })
                let outputs = try #require(composition["outputs"] as? [[String: Any]])
                #expect(outputs.first?["type"] as? String == "vector")
                #expect(outputs.first?["dimension"] as? Int == 420)
                #expect(object["formats"] as? [String] == ["parquet", "csv", "jsonl", "parquetbundle"])
                let limits = try #require(object["limits"] as? [String: Any])
                #expect(limits["max_parallel_max"] as? Int == 3)
                #expect(limits["chunk_size_default"] as? Int == 1_000)
                #expect(limits["max_sequence_length"] as? Int == 100_000)
            }
        }
    }

    @Test func quotaCountsWorkInFlightAndRefusesASubmissionBeyondIt() async throws {
        let harness = try Harness(limits: { $0.maxInFlightRecordModels = 10 })
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            let (first, _) = try await submit(client, ["C", "CC", "CCC"], models: ["chem.formula", "chem.esol"])
            #expect(first == .accepted)
            try await client.execute(uri: "/api/v1/quota", method: .get) { response in
                let object = try response.body.json()
                #expect(object["in_flight_requests"] as? Int == 1)
                #expect(object["in_flight_record_models"] as? Int == 6)
                #expect(object["max_in_flight_record_models"] as? Int == 10)
            }
            let (second, problem) = try await submit(client, ["C", "CC", "CCC"], models: ["chem.formula", "chem.esol"])
            #expect(second == .tooManyRequests)
            #expect(problem["type"] as? String == "/problems/submission/quota_exceeded")
            #expect((problem["detail"] as? String)?.contains("needs 6 records × models, and 6 of the quota of 10") == true, "\(problem)")
            let body = try JSONSerialization.data(withJSONObject: ["records": ["C", "CC", "CCC"], "models": ["chem.formula", "chem.esol"]])
            try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter].flatMap { Int($0) }.map { $0 > 0 } == true, "an integer Retry-After")
            }
            let (small, _) = try await submit(client, ["C", "CC"], models: ["chem.formula", "chem.esol"])
            #expect(small == .accepted, "4 more fit")
        }
    }

    @Test func queuedRequestsReportTheirPlaceInTheQueue() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            var ids: [String] = []
            for _ in 0..<3 {
                let (_, status) = try await submit(client, ["C"], models: ["chem.formula"])
                ids.append(try #require(status["id"] as? String))
            }
            for (index, id) in ids.enumerated() {
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    let body = try response.body.json()
                    #expect(body["queue_position"] as? Int == index + 1)
                }
            }
            let listed = try await client.execute(uri: "/api/v1/requests", method: .get) { response in
                try (response.body.json()["requests"] as? [[String: Any]] ?? []).map { $0["queue_position"] as? Int }
            }
            #expect(listed == [3, 2, 1], "the list, newest first, shows each place too")
            _ = try await client.execute(uri: "/api/v1/requests/\(ids[0])?drain=1", method: .delete) { $0.status }
            try await client.execute(uri: "/api/v1/requests/\(ids[2])", method: .get) { response in
                let body = try response.body.json()
                #expect(body["queue_position"] as? Int == 2, "one fewer ahead once the first is cancelled")
            }
            try await client.execute(uri: "/api/v1/requests/\(ids[0])", method: .get) { response in
                let body = try response.body.json()
                #expect(body["queue_position"] == nil)
            }
        }
    }

    @Test func plotDataIsTheProjectionForProteinsAndTwoColumnsForMolecules() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let fasta = try String(contentsOf: SharedData.proteins("LuxC.faa"), encoding: .utf8)
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let (_, molecules) = try await submit(client, ["CCO", "c1ccccc1", "nope", "CC(=O)O"], models: ["chem.formula"])
                let moleculeID = try #require(molecules["id"] as? String)
                _ = try await harness.waitUntilTerminal(try #require(RequestID(moleculeID)))
                try await client.execute(uri: "/api/v1/requests/\(moleculeID)/plot?color=chem.formula.formula", method: .get) { response in
                    let object = try response.body.json()
                    #expect(object["kind"] as? String == "columns")
                    #expect(object["x"] as? String == "chem.formula.heavy_atoms")
                    #expect(object["y"] as? String == "chem.formula.mol_weight")
                    #expect(object["color_type"] as? String == "categorical")
                    #expect(object["missing"] as? Int == 1, "the invalid SMILES has no values")
                    let points = try #require(object["points"] as? [[String: Any]])
                    #expect(points.map { $0["row"] as? Int } == [0, 1, 3])
                    #expect(points[1]["input"] as? String == "c1ccccc1")
                    #expect(points[1]["x"] as? Double == 6)
                    #expect(points[1]["color"] as? String == "C6H6")
                }
                try await client.execute(uri: "/api/v1/requests/\(moleculeID)/plot?x=nope", method: .get) { response in
                    #expect(response.status == .unprocessableContent)
                    let body = try response.body.json()
                    #expect((body["valid_choices"] as? [String])?.contains("chem.formula.mol_weight") == true)
                }
                let id: String = try await client.execute(
                    uri: "/api/v1/requests?model=protein.composition&model=protein.properties&filename=luxc.faa", method: .post,
                    headers: [.contentType: "text/plain"], body: ByteBuffer(string: fasta)
                ) { try #require(try $0.body.json()["id"] as? String) }
                _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
                try await client.execute(uri: "/api/v1/requests/\(id)/plot?color=protein.properties.isoelectric_point&limit=5", method: .get) {
                    response in
                    let object = try response.body.json()
                    #expect(object["kind"] as? String == "projection")
                    #expect(object["x"] as? String == "PCA 1")
                    #expect(object["total"] as? Int == 12)
                    #expect(object["sampled"] as? Bool == true)
                    #expect(object["color_type"] as? String == "numeric")
                    let points = try #require(object["points"] as? [[String: Any]])
                    #expect(points.map { $0["row"] as? Int } == [0, 3, 6, 9], "every third record for at most 5 of 12")
                    #expect(points.first?["id"] as? String == "P19841")
                    #expect((points.first?["input"] as? String)?.count == 200, "long inputs are shortened")
                }
            }
        }
    }

    @Test func theEventStreamOfACancelledRequestEndsWithItsPartialResult() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .milliseconds(100)))
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let (_, submitted) = try await submit(client, (0..<100).map { "C\($0)" }, models: ["test.slow"])
                let id = try #require(submitted["id"] as? String)
                try await Task.sleep(for: .milliseconds(300))
                _ = try await client.execute(uri: "/api/v1/requests/\(id)?drain=10", method: .delete) { $0.status }
                let stream = try await client.execute(uri: "/api/v1/requests/\(id)/events", method: .get) { SSEText($0.body.text) }
                let end = try #require(stream.events.last)
                #expect(end.name == "end")
                let status = try #require(try JSONSerialization.jsonObject(with: Data(end.data.utf8)) as? [String: Any])
                #expect(status["state"] as? String == "cancelled")
                #expect((status["result"] as? [String: Any])?["partial"] as? Bool == true, "the end event names the partial result")

                // The partial result says so in every form: a header, its name, and its Parquet metadata.
                let folder = try TemporaryDirectory()
                defer { folder.remove() }
                let file = folder.file("partial.parquet")
                try await client.execute(uri: "/api/v1/requests/\(id)/result", method: .get) { response in
                    #expect(response.headers[HTTPField.Name("BulkPredict-Partial-Result")!] == "true")
                    #expect(response.headers[.contentDisposition]?.contains(".partial.parquet") == true)
                    try Data(response.body.readableBytesView).write(to: file)
                }
                let report = try JSONSerialization.jsonObject(with: try await ReferencePython.run("parquet_check.py", [file.path])) as? [String: Any]
                let metadata = report?["key_value_metadata"] as? [String: String]
                #expect(metadata?["bulkpredict.partial"] == "true")
                #expect(report?["num_rows"] as? Int == 100)
                try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .head) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentLength] != nil)
                    #expect(response.headers[.eTag] != nil)
                    #expect(response.body.readableBytes == 0)
                }
            }
        }
    }

    @Test func thePagesAndTheirFilesAreServed() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            for path in ["/", "/requests", "/requests/\(RequestID())"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.body.text.lowercased().contains("<!doctype html>"))
                }
            }
            for path in ["/static/..%2Fpackage.swift", "/static/.hidden", "/static/missing.js"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                }
            }
        }
    }
}
