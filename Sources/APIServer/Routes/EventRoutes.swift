import BulkPredictCore
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

extension APIServer {
    func addEventRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("requests/:id/events") { request, context in
            let id = try Self.requestID(context)
            let owner = owner(of: request)
            guard let first = try await coordinator.store.status(of: id, owner: owner) else { throw Self.notFound(id) }
            // A reconnecting EventSource names the last event it got; ids are revisions.
            let lastEventID = request.headers[Self.lastEventIDField].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let headers: HTTPFields = [
                .contentType: "text/event-stream",
                .cacheControl: "no-cache",
            ]
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    try await self.stream(id, owner: owner, first: first, after: lastEventID, to: &writer)
                })
        }
    }

    /// Writes a snapshot, then a `progress` event for every change, then the terminal `end` event.
    ///
    /// A client that reconnects with `Last-Event-ID` gets what it missed instead of a snapshot:
    /// nothing until the next change when it is up to date, one `progress` event with the
    /// current state when changes were coalesced away, and only `end` for an ended request.
    /// Keep-alive comments are written when nothing else was for ``Configuration/keepAlive``; they
    /// are plain writes, never a timeout, so they cannot end the stream.
    private func stream(
        _ id: RequestID, owner: String, first: RequestStatus, after lastEventID: Int?, to writer: inout any ResponseBodyWriter
    ) async throws {
        let subscription = coordinator.hub.subscribe(id)
        defer { subscription.cancel() }
        var status = first
        // A cancelled request's partial result is merged just after it becomes cancelled: the
        // stream waits for it (briefly: with no worker running there is none) so that the end
        // event can name it.
        var cancelledSince: ContinuousClock.Instant?
        func ended(_ status: RequestStatus) -> Bool {
            guard status.state.isTerminal else { return false }
            guard status.state == .cancelled, status.result == nil else { return true }
            let since = cancelledSince ?? ContinuousClock.now
            cancelledSince = since
            return ContinuousClock.now - since >= configuration.partialResultWait
        }
        // Only an id this request could have sent (revisions start at 1) is a basis for skipping
        // anything; one from the future or below 1 gets the snapshot.
        let resumed = lastEventID.flatMap { (1...max(1, status.revision)).contains(Int64($0)) ? Int64($0) : nil }
        if resumed == nil {
            try await writer.write(Self.event("snapshot", status, queuePosition: try await position(of: status)))
        } else if let resumed, resumed < status.revision, !ended(status) {
            try await writer.write(Self.event("progress", status, queuePosition: try await position(of: status)))
        }
        var sentEnd = false
        // A subscriber arriving after the end still gets the terminal event it waits for.
        if ended(status) {
            try await writer.write(Self.event("end", status))
            sentEnd = true
        }
        var lastWrite = ContinuousClock.now
        var lastRevision = status.revision
        while !sentEnd, !Task.isCancelled, !Task.isShuttingDownGracefully {
            let untilKeepAlive = configuration.keepAlive - (ContinuousClock.now - lastWrite)
            await subscription.wait(timeout: max(Duration.milliseconds(1), min(configuration.eventPoll, untilKeepAlive)))
            try await Task.sleep(for: configuration.eventMinimumInterval)
            guard let latest = try await coordinator.store.status(of: id, owner: owner) else { break }
            status = latest
            if ended(status) {
                try await writer.write(Self.event("end", status))
                sentEnd = true
            } else if status.revision != lastRevision {
                lastRevision = status.revision
                try await writer.write(Self.event("progress", status, queuePosition: try await position(of: status)))
                lastWrite = ContinuousClock.now
            } else if ContinuousClock.now - lastWrite >= configuration.keepAlive {
                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                lastWrite = ContinuousClock.now
            }
        }
        try await writer.finish(nil)
    }

    /// The header a reconnecting EventSource sends.
    static let lastEventIDField = HTTPField.Name("Last-Event-ID")!

    /// A queued request's place in the queue.
    private func position(of status: RequestStatus) async throws -> Int? {
        status.state == .queued ? try await coordinator.store.queuePosition(of: status.id) : nil
    }

    /// One server-sent event whose id is the request's revision and whose data is its status.
    static func event(_ name: String, _ status: RequestStatus, queuePosition: Int? = nil) throws -> ByteBuffer {
        let data = try JSONResponse.encoder.encode(StatusBody(status, queuePosition: queuePosition))
        var buffer = ByteBuffer(string: "id: \(status.revision)\nevent: \(name)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }
}
