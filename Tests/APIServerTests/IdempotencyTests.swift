import BulkPredictCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `Idempotency-Key`: a repeated submission answers with the first request and stores nothing.
@Suite struct IdempotencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    @Test func aRepeatAnswersTheFirstRequestAndAReusedKeyIsRefused() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            func post(_ uri: String, key: String?, body: String) async throws -> (HTTPResponse.Status, [String: Any], String?) {
                var headers: HTTPFields = [.contentType: "text/plain"]
                if let key { headers[Self.key] = key }
                return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                    (response.status, (try? response.body.json()) ?? [:], response.headers[Self.replayed])
                }
            }
            let upload = "/api/v1/requests?model=chem.formula&filename=a.smi"
            let (firstStatus, first, firstReplayed) = try await post(upload, key: "batch-42", body: "CCO\nc1ccccc1\n")
            #expect(firstStatus == .accepted)
            #expect(firstReplayed == nil)
            let (againStatus, again, againReplayed) = try await post(upload, key: "batch-42", body: "CCO\nc1ccccc1\n")
            #expect(againStatus == .accepted)
            #expect(again["id"] as? String == first["id"] as? String)
            #expect(againReplayed == "true")
            // Same key, other records: refused, and the first request is named.
            let (reusedStatus, reused, _) = try await post(upload, key: "batch-42", body: "CCN\n")
            #expect(reusedStatus == .unprocessableContent)
            #expect(reused["type"] as? String == "/problems/submission/idempotency_key_reused")
            #expect((reused["detail"] as? String)?.contains(first["id"] as? String ?? "?") == true)
            // Same key, other options: refused too.
            let (optionsStatus, _, _) = try await post(upload + "&chunk_size=1", key: "batch-42", body: "CCO\nc1ccccc1\n")
            #expect(optionsStatus == .unprocessableContent)
            // Another owner's key space is separate, and no key means a new request every time.
            let (otherStatus, other, _) = try await post(upload, key: nil, body: "CCO\nc1ccccc1\n")
            #expect(otherStatus == .accepted)
            #expect(other["id"] as? String != first["id"] as? String)
            let (badStatus, bad, _) = try await post(upload, key: "has space", body: "CCO\n")
            #expect(badStatus == .badRequest)
            #expect(bad["type"] as? String == "/problems/submission/invalid_idempotency_key")
            try await client.execute(uri: "/api/v1/requests", method: .get) { response in
                let page = try response.body.json()
                #expect(page["total"] as? Int == 2, "repeats and refusals stored nothing")
            }
        }
        // Only the two accepted requests left inputs behind.
        let inputs = try FileManager.default.contentsOfDirectory(at: harness.directory.file("blobs").appendingPathComponent("inputs"), includingPropertiesForKeys: nil)
        #expect(inputs.count == 2)
    }
}
