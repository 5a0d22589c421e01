import BulkPredictCore
import Foundation
import Formats
import NIOCore

/// Splits a Server-Sent Events byte stream into events.
struct EventStreamParser {
    struct Event {
        var name = "message"
        var id: String?
        var data = ""
    }

    private var pending: [UInt8] = []
    private var current = Event()
    private var hasData = false

    /// Feeds bytes and returns the events they complete.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if hasData { events.append(current) }
                current = Event()
                hasData = false
            } else if line.hasPrefix(":") {
                continue
            } else {
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let field = String(parts[0])
                var value = parts.count > 1 ? String(parts[1]) : ""
                if value.hasPrefix(" ") { value.removeFirst() }
                switch field {
                case "event": current.name = value
                case "id": current.id = value
                case "data":
                    current.data += hasData ? "\n" + value : value
                    hasData = true
                default: break
                }
            }
        }
        return events
    }
}

extension APIClient {
    /// Follows a request's event stream, calling `update` for every status, until the terminal event.
    ///
    /// A stream that breaks (the server restarted, the network blinked) is reopened, for up to
    /// `patience` without any answer; the first event of every stream is a full snapshot, so
    /// nothing is missed.
    func follow(_ id: String, patience: Duration = .seconds(120), update: (RequestStatus) -> Void) async throws -> RequestStatus {
        var lastContact = ContinuousClock.now
        while true {
            do {
                let response = try await send(.GET, "/api/v1/requests/\(id)/events", headers: [("Accept", "text/event-stream")])
                var parser = EventStreamParser()
                for try await buffer in response.body {
                    lastContact = ContinuousClock.now
                    for event in parser.feed(buffer.readableBytesView) {
                        guard let status = try? Self.decoder.decode(RequestStatus.self, from: Data(event.data.utf8)) else { continue }
                        update(status)
                        if event.name == "end" { return status }
                    }
                }
            } catch let error as CLIError where !error.description.hasPrefix("cannot reach") && !error.description.hasPrefix("the request to") {
                // The server answered with a problem (an unknown id, say): waiting will not help.
                throw error
            } catch {
                // The connection broke; fall through and try again.
            }
            guard ContinuousClock.now - lastContact < patience else {
                throw CLIError("lost the event stream of request \(id) and could not get it back within \(patience)")
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Downloads the result of a request to `path`, atomically, in the format its extension names.
    func download(_ id: String, to path: String, layout: ResultLayout = .wide) async throws -> Int64 {
        let destination = URL(fileURLWithPath: path)
        let format = try OutputInstaller.format(of: path)
        let response = try await send(
            .GET, "/api/v1/requests/\(id)/result?format=\(format.rawValue)&layout=\(layout.rawValue)", timeout: .hours(1))
        let folder = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw CLIError("cannot write '\(path)'") }
        let handle = try FileHandle(forWritingTo: temporary)
        var written: Int64 = 0
        do {
            for try await buffer in response.body {
                try handle.write(contentsOf: buffer.readableBytesView)
                written += Int64(buffer.readableBytes)
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("the download of request \(id) was interrupted: \(error)")
        }
        if let expected = response.headers.first(name: "content-length").flatMap(Int64.init), expected != written {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("the download of request \(id) is incomplete: \(written) of \(expected) bytes")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("cannot write '\(path)'")
        }
        if response.headers.first(name: "bulkpredict-partial-result") == "true" {
            FileHandle.standardError.write(Data("note: request \(id) was cancelled; this is its partial result (rows that did not run say so)\n".utf8))
        }
        return written
    }
}
