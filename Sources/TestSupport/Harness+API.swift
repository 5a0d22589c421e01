import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting

extension Harness {
    /// The API over this deployment, with fast polling and keep-alives for tests.
    public func api(keepAlive: Duration = .seconds(15), maxBodyBytes: Int? = nil, maxDecompressedBytes: Int? = nil) -> APIServer {
        var configuration = APIServer.Configuration(uploadDirectory: directory.file("uploads"))
        configuration.keepAlive = keepAlive
        if let maxBodyBytes {
            configuration.maxBodyBytes = maxBodyBytes
            configuration.maxJSONBodyBytes = maxBodyBytes
        }
        if let maxDecompressedBytes { configuration.maxDecompressedBytes = maxDecompressedBytes }
        configuration.eventPoll = .milliseconds(100)
        configuration.eventMinimumInterval = .milliseconds(20)
        try? FileManager.default.createDirectory(at: configuration.uploadDirectory, withIntermediateDirectories: true)
        return APIServer(coordinator: coordinator, configuration: configuration)
    }

    /// A Hummingbird application serving ``api(keepAlive:)`` for `app.test(...)`.
    public func application(
        keepAlive: Duration = .seconds(15), maxBodyBytes: Int? = nil, maxDecompressedBytes: Int? = nil
    ) -> some ApplicationProtocol {
        Application(router: api(keepAlive: keepAlive, maxBodyBytes: maxBodyBytes, maxDecompressedBytes: maxDecompressedBytes).router())
    }
}

extension ByteBuffer {
    /// The buffer's bytes as UTF-8 text.
    public var text: String { String(buffer: self) }

    /// The buffer's bytes decoded as JSON.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(readableBytesView)) as? [String: Any] else {
            throw HarnessError(message: "not a JSON object: \(text)")
        }
        return object
    }
}
