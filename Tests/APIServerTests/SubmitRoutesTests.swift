import BulkPredictCore
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Models
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct SubmitRoutesTests {
    func json(_ object: Any) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    @Test func jsonSubmissionIsAcceptedWithLocationAndRunsToCompletion() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                // 1 and 0 are integers in JSON, not booleans: chunk_size 1 must be accepted.
                let body = try json([
                    "records": ["CCO", ["smiles": "c1ccccc1", "id": "benzene"], ["smiles": "C1CC", "id": 7]], "models": ["chem.formula"],
                    "chunk_size": 1, "max_parallel": 1,
                ])
                let id = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: body
                ) { response in
                    #expect(response.status == .accepted)
                    let object = try response.body.json()
                    let id = try #require(object["id"] as? String)
                    #expect(response.headers[.location] == "/api/v1/requests/\(id)")
                    // A worker may already have claimed the first task by the time the answer is built.
                    #expect(["queued", "running", "merging", "completed_with_errors"].contains(object["state"] as? String ?? ""))
                    #expect(object["record_count"] as? Int == 3)
                    return try #require(RequestID(id))
                }
                _ = try await harness.waitUntilTerminal(id)
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    #expect(response.status == .ok)
                    let object = try response.body.json()
                    #expect(object["state"] as? String == "completed_with_errors")
                    let jobs = try #require(object["jobs"] as? [[String: Any]])
                    #expect(jobs.first?["succeeded"] as? Int == 2)
                    #expect(jobs.first?["failed"] as? Int == 1)
                    #expect(object["records_done"] as? Int == 3)
                }
                try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                    let table = CSVTable(response.body.text)
                    #expect(table.rows.map { $0[1] } == ["", "benzene", "7"])
                    #expect(table.value(1, "chem.formula.formula") == "C6H6")
                    #expect(table.value(2, "chem.formula.error")?.hasPrefix("invalid SMILES") == true)
                }
            }
        }
    }

    @Test func routingProblemsAre422WithTheValidChoicesAndStoreNothing() async throws {
        let targets = ["descriptors", "druglikeness", "physchem", "protein_embedding", "protein_properties", "solubility"]
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            let cases: [(Any, String, [String])] = [
                (
                    ["records": ["C"], "models": ["chem.nope"]], "/problems/routing/unknown_model",
                    [
                        "chem.formula", "diag.noop", "diag.cpu", "chem.descriptors", "chem.druglikeness", "chem.esol",
                        "protein.properties", "protein.composition",
                    ]
                ),
                (["records": ["C"], "target": "toxicity"], "/problems/routing/unknown_target", targets),
                (["records": ["C"], "target": "physchem", "series": "deluxe"], "/problems/routing/unknown_series", ["basic"]),
                (["records": ["C"]], "/problems/routing/empty_routing", targets),
            ]
            for (body, type, choices) in cases {
                try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: try json(body)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try response.body.json()
                    #expect(problem["type"] as? String == type)
                    #expect(problem["status"] as? Int == 422)
                    #expect(problem["valid_choices"] as? [String] == choices)
                    #expect((problem["detail"] as? String)?.isEmpty == false)
                }
            }
            try await client.execute(
                uri: "/api/v1/requests?model=chem.nope", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(string: "smiles\nC\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/requests", method: .get) { response in
                let object = try response.body.json()
                #expect(object["total"] as? Int == 0)
            }
        }
    }

    @Test func previewAndSubmitResolveTheSameModels() async throws {
        let harness = try Harness(registry: TestModels.registry())
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            let routings = [
                "target=physchem", "target=physchem&series=basic", "target=testing", "model=test.slow&model=chem.formula",
                "models=chem.formula,test.short",
            ]
            for routing in routings {
                let previewed: [String] = try await client.execute(uri: "/api/v1/preview-routing?\(routing)", method: .get) { response in
                    #expect(response.status == .ok)
                    let object = try response.body.json()
                    let models = try #require(object["models"] as? [[String: Any]]).compactMap {
                        $0["model"] as? String ?? $0["id"] as? String
                    }
                    #expect(object["model_count"] as? Int == models.count)
                    return models
                }
                let submitted: [String] = try await client.execute(
                    uri: "/api/v1/requests?\(routing)&filename=x.smi", method: .post, headers: [.contentType: "text/plain"],
                    body: ByteBuffer(string: "CCO\n")
                ) { response in
                    #expect(response.status == .accepted)
                    return try #require(response.body.json()["jobs"] as? [[String: Any]]).compactMap { $0["model"] as? String }
                }
                #expect(previewed == submitted, "\(routing)")
                #expect(!previewed.isEmpty)
            }
            try await client.execute(uri: "/api/v1/preview-routing?target=nowhere", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func badBodiesAndFilesAre4xxProblemsThatSayWhatIsWrong() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            func expectProblem(_ uri: String, _ type: String, _ body: ByteBuffer, status: HTTPResponse.Status, detail: String) async throws
            {
                try await client.execute(uri: uri, method: .post, headers: [.contentType: type], body: body) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let text = try response.body.json()["detail"] as? String ?? ""
                    #expect(text.contains(detail), "\(text)")
                }
            }
            try await expectProblem(
                "/api/v1/requests", "application/json", try json(["records": ["C"], "models": ["chem.formula"], "priority": 9]),
                status: .badRequest, detail: "unknown field(s): priority")
            try await expectProblem(
                "/api/v1/requests", "application/json", ByteBuffer(string: "{not json"), status: .badRequest, detail: "not valid JSON")
            try await expectProblem(
                "/api/v1/requests", "application/json", try json(["records": ["C"], "models": ["chem.formula"], "chunk_size": "big"]),
                status: .badRequest, detail: "'chunk_size': expected an integer")
            try await expectProblem(
                "/api/v1/requests", "application/json", try json(["records": ["C", ["id": "x"]], "models": ["chem.formula"]]),
                status: .badRequest, detail: "'records[1]' needs a 'smiles' string")
            try await expectProblem(
                "/api/v1/requests", "application/json",
                try json(["records": ["C", ["smiles": "C", "name": "x"]], "models": ["chem.formula"]]), status: .badRequest,
                detail: "'records[1]' has unknown field(s): name")
            try await expectProblem(
                "/api/v1/requests", "application/json", try json(["records": [], "models": ["chem.formula"]]), status: .badRequest,
                detail: "no records")
            try await expectProblem(
                "/api/v1/requests", "application/json", try json(["records": ["C"], "models": ["chem.formula"], "max_parallel": 64]),
                status: .unprocessableContent, detail: "max_parallel must be between 1 and 4")
            try await expectProblem(
                "/api/v1/requests?model=chem.formula&filename=a.csv", "text/csv", ByteBuffer(string: "name,structure\nx,C\n"),
                status: .badRequest, detail: "no 'smiles' column")
            try await expectProblem(
                "/api/v1/requests?model=chem.formula&filename=a.csv", "text/csv", ByteBuffer(), status: .badRequest, detail: "empty")
            try await expectProblem(
                "/api/v1/requests?model=chem.formula&colour=red", "text/plain", ByteBuffer(string: "C\n"), status: .badRequest,
                detail: "unknown query parameter(s): colour")
            try await client.execute(uri: "/api/v1/requests", method: .get) { response in
                let object = try response.body.json()
                #expect(object["total"] as? Int == 0)
            }
        }
    }

    @Test func unknownIdsAre404AndResultsAre409UntilFinished() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .milliseconds(50)))
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            for uri in [
                "/api/v1/requests/\(RequestID())", "/api/v1/requests/not-an-id", "/api/v1/requests/\(RequestID())/result",
                "/api/v1/requests/\(RequestID())/events",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            try await client.execute(uri: "/api/v1/requests/\(RequestID())", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/nothing-here", method: .put) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try response.body.json()
                #expect((problem["detail"] as? String)?.hasPrefix("no endpoint PUT /api/v1/nothing-here") == true)
            }
            let id: String = try await client.execute(
                uri: "/api/v1/requests?model=test.slow", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "C\nCC\n")
            ) { try #require(try $0.body.json()["id"] as? String) }
            try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { response in
                #expect(response.status == .conflict)
                let object = try response.body.json()
                #expect(object["state"] as? String == "queued")
            }
            try await client.execute(uri: "/api/v1/requests/\(id)/result?format=xlsx", method: .get) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func cancelAnswers200ThenTheSameAnd409OnceFinished() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .milliseconds(200)))
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let records = (0..<200).map { "C\($0)" }
                let id: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"],
                    body: try json(["records": records, "models": ["test.slow"], "chunk_size": 10])
                ) { try #require(try $0.body.json()["id"] as? String) }
                for _ in 0..<2 {
                    try await client.execute(uri: "/api/v1/requests/\(id)?drain=10", method: .delete) { response in
                        #expect(response.status == .ok)
                        let object = try response.body.json()
                        #expect(object["state"] as? String == "cancelled")
                    }
                }
                // The partial result appears once the cancelled request is merged; it says it is partial.
                let requestID = try #require(RequestID(id))
                while try await harness.store.resultLocation(of: requestID) == nil { try await Task.sleep(for: .milliseconds(20)) }
                try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("BulkPredict-Partial-Result")!] == "true")
                    #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"\(id).partial.csv\"") == true)
                    #expect(CSVTable(response.body.text).rows.count == 200)
                }
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    let result = try #require(try response.body.json()["result"] as? [String: Any])
                    #expect(result["partial"] as? Bool == true)
                }
                let done: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"],
                    body: try json(["records": ["C"], "models": ["chem.formula"]])
                ) { try #require(try $0.body.json()["id"] as? String) }
                _ = try await harness.waitUntilTerminal(try #require(RequestID(done)))
                try await client.execute(uri: "/api/v1/requests/\(done)", method: .delete) { response in
                    #expect(response.status == .conflict)
                    let object = try response.body.json()
                    #expect(object["state"] as? String == "completed")
                }
            }
        }
    }

    @Test func retryAnswers202ThenRebuildsAnd409WhenNothingFailed() async throws {
        let harness = try Harness(registry: TestModels.registry())
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                try await client.execute(uri: "/api/v1/requests/\(RequestID())/retry", method: .post) { #expect($0.status == .notFound) }
                let id: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"],
                    body: try json(["records": ["CC", "CCC"], "models": ["test.hopeless"]])
                ) { try #require(try $0.body.json()["id"] as? String) }
                let requestID = try #require(RequestID(id))
                #expect(try await harness.waitUntilTerminal(requestID).state == .completedWithErrors)
                try await client.execute(uri: "/api/v1/requests/\(id)/retry", method: .post) { response in
                    #expect(response.status == .accepted)
                    #expect(response.headers[.location] == "/api/v1/requests/\(id)")
                }
                #expect(try await harness.waitUntilTerminal(requestID).state == .completed)
                try await client.execute(uri: "/api/v1/requests/\(id)/retry", method: .post) { response in
                    #expect(response.status == .conflict)
                    let object = try response.body.json()
                    #expect(object["type"] as? String == "/problems/request/not_retryable")
                    #expect(object["state"] as? String == "completed")
                }
            }
        }
    }

    @Test func aDrainThatRunsOutAnswers504AndTheWorkStillStops() async throws {
        let scripts = try TemporaryDirectory(prefix: "stubborn")
        defer { scripts.remove() }
        let registry = try CommandModels.stubbornRegistry(in: scripts, killGrace: .seconds(2))
        let harness = try Harness(registry: registry)
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"],
                    body: try json(["records": ["C", "CC"], "models": ["test.stubborn"]])
                ) { try #require(try $0.body.json()["id"] as? String) }
                while try CommandModels.stubbornPIDs(in: scripts).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                try await client.execute(uri: "/api/v1/requests/\(id)?drain=1", method: .delete) { response in
                    #expect(response.status == .gatewayTimeout)
                    let problem = try response.body.json()
                    #expect(problem["type"] as? String == "/problems/request/drain_timeout")
                    #expect(problem["state"] as? String == "cancelling")
                }
                // SIGKILL follows the ignored SIGTERM after the grace period.
                #expect(try await harness.waitUntilTerminal(try #require(RequestID(id)), timeout: .seconds(20)).state == .cancelled)
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .delete) { response in
                    #expect(response.status == .ok)
                    let object = try response.body.json()
                    #expect(object["state"] as? String == "cancelled")
                }
            }
        }
    }

    @Test func modelsAndHealthDescribeTheDeployment() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/models", method: .get) { response in
                let object = try response.body.json()
                let models = try #require(object["models"] as? [[String: Any]])
                #expect(
                    models.map { $0["id"] as? String }
                        == [
                            "chem.formula", "diag.noop", "diag.cpu", "chem.descriptors", "chem.druglikeness", "chem.esol",
                            "protein.properties", "protein.composition",
                        ])
                let outputs = try #require(models[0]["outputs"] as? [[String: Any]])
                #expect(outputs.map { $0["name"] as? String } == ["formula", "heavy_atoms", "mol_weight"])
                #expect(
                    object["targets"] as? [String] == [
                        "descriptors", "druglikeness", "physchem", "protein_embedding", "protein_properties", "solubility",
                    ])
            }
            _ = try await harness.coordinator.submit(
                Submission(routing: RoutingSpec(models: ["chem.formula"]), chunkSize: 2), records: (0..<5).map { _ in .init(id: nil, input: "C") })
            try await client.execute(uri: "/api/v1/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.body.text
                #expect(text.contains("bulkpredict_queue_depth 3.0\n"), "\(text)")
                #expect(text.contains("bulkpredict_tasks{state=\"queued\"} 3.0\n"))
                #expect(text.contains("bulkpredict_requests{state=\"queued\"} 1.0\n"))
                #expect(text.contains("# TYPE bulkpredict_tasks_completed_total counter\nbulkpredict_tasks_completed_total 0\n"), "\(text)")
            }
            let worker = Task { try await harness.worker().run() }
            defer { worker.cancel() }
            let id = try #require(try await harness.store.list(owner: "local", limit: 1, offset: 0).requests.first?.id)
            _ = try await harness.waitUntilTerminal(id)
            try await client.execute(uri: "/api/v1/metrics", method: .get) { response in
                let text = response.body.text
                #expect(text.contains("bulkpredict_queue_depth 0.0\n"), "\(text)")
                #expect(text.contains("bulkpredict_tasks_completed_total 3\n"), "\(text)")
                #expect(text.contains("bulkpredict_records_processed_total 5\n"), "\(text)")
                #expect(text.contains("bulkpredict_tasks_rescued_total 0\n"), "\(text)")
                #expect(text.contains("bulkpredict_fenced_writes_rejected_total 0\n"), "\(text)")
            }
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .ok)
                let object = try response.body.json()
                #expect(object["status"] as? String == "ok")
            }
        }
    }
}
