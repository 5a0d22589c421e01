import AsyncHTTPClient
import BulkPredictCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Gzip-compressed uploads: `.gz` files and `Content-Encoding: gzip` bodies, with a cap on the
/// decompressed size. The compressed data comes from the system's `gzip`, not from BulkPredict.
@Suite struct CompressedUploadTests {
    /// `text` compressed by `gzip -c` (a real, independent compressor).
    static func gzip(_ text: String, folder: TemporaryDirectory) throws -> [UInt8] {
        let plain = try folder.write(text, to: "plain-\(UUID().uuidString)")
        let output = folder.file("out-\(UUID().uuidString).gz")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", plain.path]
        process.standardOutput = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        #expect(process.terminationStatus == 0)
        return Array(try Data(contentsOf: output))
    }

    static let molecules = "smiles,id\n" + (0..<500).map { "C\(String(repeating: "C", count: $0 % 7))O,m\($0)" }.joined(separator: "\n") + "\n"

    func submit(
        _ client: some TestClientProtocol, body: [UInt8], name: String, headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var fields: HTTPFields = [.contentType: "application/octet-stream"]
        for field in headers { fields.append(field) }
        return try await client.execute(
            uri: "/api/v1/requests?model=chem.formula&filename=\(name)", method: .post, headers: fields, body: ByteBuffer(bytes: body)
        ) { response in (response.status, try response.body.json()) }
    }

    @Test func gzipFilesAndGzipBodiesGiveTheSameResultAsPlainText() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let compressed = try Self.gzip(Self.molecules, folder: folder)
        #expect(compressed.count < Self.molecules.utf8.count)
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                var results: [String] = []
                for (body, name, headers) in [
                    (Array(Self.molecules.utf8), "plain.csv", HTTPFields()),
                    (compressed, "molecules.csv.gz", HTTPFields()),
                    (compressed, "molecules.csv", [.contentEncoding: "gzip"]),
                ] {
                    let (status, object) = try await submit(client, body: body, name: name, headers: headers)
                    #expect(status == .accepted, "\(name): \(object)")
                    #expect(object["record_count"] as? Int == 500, "\(name)")
                    let id = try #require(object["id"] as? String)
                    _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
                    let text = try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { $0.body.text }
                    results.append(text)
                }
                #expect(results[1] == results[0])
                #expect(results[2] == results[0])
                #expect(CSVTable(results[0]).rows.count == 500)
            }
        }
    }

    @Test func gzipIsRecognisedWhenTheBodyArrivesOneByteFirst() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let compressed = try Self.gzip(Self.molecules, folder: folder)
        try await harness.application().test(.live) { client in
            let port = try #require(client.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/requests?model=chem.formula&filename=m.csv.gz")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            // The magic number split over two writes, with a pause between them so the server
            // reads the first byte on its own.
            let pieces = [Array(compressed.prefix(1)), Array(compressed.dropFirst())]
            let stream = AsyncStream<ByteBuffer> { continuation in
                Task {
                    for piece in pieces {
                        continuation.yield(ByteBuffer(bytes: piece))
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                    continuation.finish()
                }
            }
            request.body = .stream(stream, length: .known(Int64(compressed.count)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .accepted, "\(String(buffer: body))")
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            #expect(object?["record_count"] as? Int == 500)
        }
    }

    @Test func aGzipJSONBodyIsDecompressed() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let json = #"{"records": ["CCO", "c1ccccc1"], "models": ["chem.formula"]}"#
        let compressed = try Self.gzip(json, folder: folder)
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json", .contentEncoding: "gzip"],
                body: ByteBuffer(bytes: compressed)
            ) { response in
                #expect(response.status == .accepted)
                let count = try response.body.json()["record_count"] as? Int
                #expect(count == 2)
            }
        }
    }

    @Test func aBodyThatDecompressesPastTheCapIs413AndNothingIsStored() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // About 3 MB of text that gzip squeezes into a few kilobytes.
        let big = "smiles\n" + String(repeating: "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCO\n", count: 100_000)
        let compressed = try Self.gzip(big, folder: folder)
        try await harness.application(maxDecompressedBytes: 1 << 20).test(.router) { client in
            let (status, problem) = try await submit(client, body: compressed, name: "bomb.smi.gz")
            #expect(status == .contentTooLarge)
            #expect((problem["detail"] as? String)?.contains("decompresses to more than 1048576 bytes") == true)
            let total = try await client.execute(uri: "/api/v1/requests", method: .get) { try $0.body.json()["total"] as? Int }
            #expect(total == 0)
            // Under the cap, the same server takes it.
            let small = try Self.gzip("smiles\nCCO\nCCN\n", folder: folder)
            let (accepted, _) = try await submit(client, body: small, name: "small.smi.gz")
            #expect(accepted == .accepted)
        }
    }

    @Test func damagedTruncatedOrUnknownEncodingsAreRefusedClearly() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let compressed = try Self.gzip(Self.molecules, folder: folder)
        try await harness.application().test(.router) { client in
            let (truncated, truncatedProblem) = try await submit(client, body: Array(compressed.dropLast(20)), name: "cut.csv.gz")
            #expect(truncated == .badRequest)
            #expect((truncatedProblem["detail"] as? String)?.contains("ends before its compressed stream does") == true)
            var damaged = compressed
            damaged[damaged.count / 2] ^= 0xFF
            damaged[damaged.count / 2 + 1] ^= 0xFF
            let (damagedStatus, _) = try await submit(client, body: damaged, name: "bad.csv.gz")
            #expect(damagedStatus == .badRequest)
            let (notGzip, _) = try await submit(client, body: Array(Self.molecules.utf8), name: "x.csv", headers: [.contentEncoding: "gzip"])
            #expect(notGzip == .badRequest, "declared gzip but sent plain text")
            let (brotli, brotliProblem) = try await submit(client, body: compressed, name: "x.csv", headers: [.contentEncoding: "br"])
            #expect(brotli == .unsupportedMediaType)
            #expect(brotliProblem["valid_choices"] as? [String] == ["gzip", "identity"])
            let total = try await client.execute(uri: "/api/v1/requests", method: .get) { try $0.body.json()["total"] as? Int }
            #expect(total == 0, "nothing is stored for a refused upload")
        }
    }
}
