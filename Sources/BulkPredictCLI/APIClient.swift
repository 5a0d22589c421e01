import AsyncHTTPClient
import BulkPredictCore
import Foundation
import NIOCore
import NIOHTTP1

/// A small client for the BulkPredict API that turns problem details and connection failures into
/// one-line ``CLIError``s.
struct APIClient {
    let base: String
    let http = HTTPClient.shared

    init(server: String) {
        base = server.hasSuffix("/") ? String(server.dropLast()) : server
    }

    /// Sends a request and returns the response if its status is one of `accepting`.
    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil,
        accepting: Set<UInt> = [200], timeout: TimeAmount = .seconds(60)
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = body
        try await probe()
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw CLIError("the request to the BulkPredict server at \(base) failed: \(error)")
        }
        guard accepting.contains(response.status.code) else { throw await problem(from: response) }
        return response
    }

    /// Fails within seconds when the server cannot be reached. The client retries refused
    /// connections until a request's deadline, and uploads need long deadlines, so a short probe
    /// comes first.
    func probe() async throws {
        var request = HTTPClientRequest(url: base + "/api/v1/health")
        request.method = .GET
        do {
            _ = try await http.execute(request, timeout: .seconds(5))
        } catch {
            throw CLIError("cannot reach the BulkPredict server at \(base) (\(error)); is `bulkpredict serve` running?")
        }
    }

    /// Sends a request and decodes its JSON answer.
    func json<T: Decodable>(
        _ type: T.Type, _ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = [],
        body: HTTPClientRequest.Body? = nil, accepting: Set<UInt> = [200], timeout: TimeAmount = .seconds(60)
    ) async throws -> T {
        let response = try await send(method, path, headers: headers, body: body, accepting: accepting, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 64 << 20)
        do {
            return try Self.decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw CLIError("the server at \(base) sent an answer this client cannot read: \(error)")
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The problem details of a failed response, as one line.
    func problem(from response: HTTPClientResponse) async -> CLIError {
        struct Problem: Decodable {
            let detail: String?
            let title: String?
        }
        let buffer = try? await response.body.collect(upTo: 1 << 20)
        if let buffer, let problem = try? JSONDecoder().decode(Problem.self, from: Data(buffer.readableBytesView)),
            let text = problem.detail ?? problem.title
        {
            return CLIError("\(text) (HTTP \(response.status.code))")
        }
        return CLIError("the server answered HTTP \(response.status.code) \(response.status.reasonPhrase)")
    }
}

/// A file read in 64 KiB pieces, for streaming uploads.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let url: URL

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle

        mutating func next() async throws -> ByteBuffer? {
            guard let data = try handle.read(upToCount: 1 << 16), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        // An unreadable file was checked before the upload started; an empty read ends the body.
        AsyncIterator(handle: (try? FileHandle(forReadingFrom: url)) ?? FileHandle.nullDevice)
    }
}
