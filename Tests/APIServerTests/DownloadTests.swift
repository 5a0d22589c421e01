import BulkPredictCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Downloads that never lie (RELIABILITY scenario 19): safe names, validators, resumable ranges.
@Suite struct DownloadTests {
    /// Uploads 200 molecules under the name `name` and waits for the result.
    func finishedUpload(_ client: some TestClientProtocol, _ harness: Harness, name: String) async throws -> String {
        let query = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let id: String = try await client.execute(
            uri: "/api/v1/requests?model=chem.formula&filename=\(query)", method: .post, headers: [.contentType: "text/plain"],
            // A header line, so that names read as CSV work; as a .smi line it is just one more record.
            body: ByteBuffer(string: "smiles\n" + (0..<200).map { _ in "CCO" }.joined(separator: "\n"))
        ) { response in
            #expect(response.status == .accepted)
            return try #require(try response.body.json()["id"] as? String)
        }
        _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
        return id
    }

    @Test func hostileUploadNamesGiveOneSafeContentDisposition() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let cases: [(String, String, String)] = [
            ("a\"b.csv", "a_b.result.csv", "a%22b.result.csv"),
            ("x\r\nSet-Cookie: a=b", "xSet-Cookie__a_b.result.csv", "xSet-Cookie%3A%20a%3Db.result.csv"),
            ("../../etc/passwd", "passwd.result.csv", "passwd.result.csv"),
            ("résumé.csv", "r_sum_.result.csv", "r%C3%A9sum%C3%A9.result.csv"),
        ]
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                for (name, ascii, encoded) in cases {
                    let id = try await finishedUpload(client, harness, name: name)
                    try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { response in
                        let values = response.headers[values: .contentDisposition]
                        #expect(values.count == 1, "\(name)")
                        #expect(values.first == "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)", "\(name)")
                        #expect(response.headers[HTTPField.Name("Set-Cookie")!] == nil)
                    }
                }
            }
        }
    }

    @Test func resultsHaveAValidatorAndResumableRanges() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id = try await finishedUpload(client, harness, name: "molecules.csv")
                let uri = "/api/v1/requests/\(id)/result?format=csv"
                let (whole, etag) = try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.acceptRanges] == "bytes")
                    return (Array(response.body.readableBytesView), try #require(response.headers[.eTag]))
                }
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(Array(response.body.readableBytesView) == whole, "downloading again gives the same bytes")
                }
                try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { response in
                    #expect(response.status == .notModified)
                }
                try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=0-9"]) { response in
                    #expect(response.status == .partialContent)
                    #expect(response.headers[.contentRange] == "bytes 0-9/\(whole.count)")
                    #expect(Array(response.body.readableBytesView) == Array(whole[0...9]))
                }
                try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=100-", .ifRange: etag]) { response in
                    #expect(response.status == .partialContent)
                    #expect(Array(response.body.readableBytesView) == Array(whole[100...]))
                }
                try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=-7"]) { response in
                    #expect(Array(response.body.readableBytesView) == Array(whole.suffix(7)))
                }
                try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=0-9", .ifRange: "\"stale\""]) { response in
                    #expect(response.status == .ok, "a stale If-Range gets the whole file")
                    #expect(response.body.readableBytes == whole.count)
                }
                try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=\(whole.count)-"]) { response in
                    #expect(response.status == .rangeNotSatisfiable)
                    #expect(response.headers[.contentRange] == "bytes */\(whole.count)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }
}
