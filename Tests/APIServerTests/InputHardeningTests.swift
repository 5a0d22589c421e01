import BulkPredictCore
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Hostile and broken input (RELIABILITY scenarios 16–18): a clear 4xx or an error row, never a
/// crash, and nothing half-accepted.
@Suite struct InputHardeningTests {
    @Test func bodiesOverTheCapAre413AndNothingIsStored() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application(maxBodyBytes: 4_096).test(.live) { client in
            let upload = ByteBuffer(string: String(repeating: "CCO\n", count: 10_000))
            try await client.execute(uri: "/api/v1/requests?model=chem.formula", method: .post, headers: [.contentType: "text/plain"], body: upload) { response in
                #expect(response.status == .contentTooLarge)
                let problem = try response.body.json()
                #expect(problem["detail"] as? String == "the request body is larger than 4096 bytes, the limit")
            }
            let json = ByteBuffer(string: "{\"models\": [\"chem.formula\"], \"records\": [" + Array(repeating: "\"CCO\"", count: 2_000).joined(separator: ",") + "]}")
            try await client.execute(uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: json) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/api/v1/requests", method: .get) { response in
                let page = try response.body.json()
                #expect(page["total"] as? Int == 0)
            }
        }
        let uploads = try FileManager.default.contentsOfDirectory(atPath: harness.directory.file("uploads").path)
        #expect(uploads.isEmpty, "a refused upload leaves no spooled file: \(uploads)")
    }

    @Test func parserCrashInputsBecomeErrorRowsAndTheRequestCompletes() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        var randomBytes = SystemRandomNumberGenerator()
        let hostile: [String] = [
            "C(", String(repeating: "(", count: 100_000), "C%(99999)", "[999999999999C]", "C1CC", "c1cccc1", "\u{0}CCO", "CC\u{FFFD}O",
            String(decoding: (0..<64).map { _ in UInt8.random(in: 33...126, using: &randomBytes) }, as: UTF8.self),
            String(repeating: "C", count: 5_000), "CCO",
        ]
        let lines = hostile.map { $0.replacingOccurrences(of: "\n", with: "") }
        let body = lines.joined(separator: "\n") + "\n\u{FF}\u{FE}garbage\r\n"
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id: String = try await client.execute(
                    uri: "/api/v1/requests?model=chem.formula&filename=hostile.smi", method: .post, headers: [.contentType: "text/plain"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .accepted)
                    return try #require(try response.body.json()["id"] as? String)
                }
                let status = try await harness.waitUntilTerminal(try #require(RequestID(id)))
                #expect(status.state == .completedWithErrors)
                #expect(status.recordCount == lines.count + 1)
                #expect(status.jobs[0].succeeded == 1, "only CCO is a molecule")
                #expect(status.jobs[0].failed == lines.count)
                let table = try await harness.result(try #require(RequestID(id)))
                #expect(table.rows.count == lines.count + 1)
                #expect(table.rows.dropLast().allSatisfy { !$0[6].isEmpty || $0[2] == "CCO" })
                #expect(table.value(9, "chem.formula.error") == "record is longer than 4096 bytes")
            }
        }
    }
}
