import BulkPredictCore
import Engine
import Formats
import Foundation
import HTTPTypes
import Hummingbird

extension APIServer {
    func addRequestRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.post("requests") { request, context in try await self.submit(request, context: context) }
        api.get("requests") { request, _ in try await self.list(request) }
        api.get("requests/:id") { request, context in
            let id = try Self.requestID(context)
            guard let status = try await coordinator.store.status(of: id, owner: owner(of: request)) else { throw Self.notFound(id) }
            let position = status.state == .queued ? try await coordinator.store.queuePosition(of: id) : nil
            return try JSONResponse.make(StatusBody(status, queuePosition: position))
        }
        api.delete("requests/:id") { request, context in try await self.cancel(request, context: context) }
        api.get("requests/:id/result") { request, context in try await self.result(request, context: context) }
        // The headers alone (size, validator, digest, name): lets a client plan a resumable download.
        api.head("requests/:id/result") { request, context in
            let response = try await self.result(request, context: context)
            return Response(status: response.status, headers: response.headers)
        }
        api.post("requests/:id/retry") { request, context in try await self.retry(request, context: context) }
    }

    /// The id in the path; text that is not an id is answered like an unknown id.
    static func requestID(_ context: BasicRequestContext) throws -> RequestID {
        let text = context.parameters.get("id") ?? ""
        guard let id = RequestID(text) else {
            throw ProblemDetails(.notFound, type: "request/not_found", detail: "no request with id '\(text.prefix(64))'")
        }
        return id
    }

    /// Marks the download of a cancelled request's partial result.
    static let partialResultHeader = HTTPField.Name("BulkPredict-Partial-Result")!

    static func notFound(_ id: RequestID) -> ProblemDetails {
        ProblemDetails(.notFound, type: "request/not_found", detail: "no request with id '\(id)'")
    }

    /// The checksum of the whole file a download belongs to (RFC 9530).
    static let reprDigestHeader = HTTPField.Name("Repr-Digest")!

    /// A query parameter that names one of `T`'s cases, or `defaultValue` when absent; 422 naming
    /// the valid choices otherwise.
    static func choice<T: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, default defaultValue: T) throws -> T
    where T.RawValue == String {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return defaultValue }
        guard let value = T(rawValue: text.lowercased()) else {
            throw ProblemDetails(
                .unprocessableContent, type: "result/unknown_\(name)", detail: "unknown result \(name) '\(text.prefix(64))'", field: name,
                validChoices: T.allCases.map(\.rawValue))
        }
        return value
    }

    /// Marks the answer to a repeated submission (same `Idempotency-Key`, same content).
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!

    private func submit(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let key = try Self.idempotencyKey(request)
        let submitted: SubmitReceipt
        if contentType.hasPrefix("application/json") {
            let body = try Self.decoded(
                try await Self.collect(request, limit: configuration.maxJSONBodyBytes), of: request, limit: configuration.maxJSONBodyBytes)
            let parsed = try SubmitBody.parse(body)
            let submission = Submission(
                owner: owner(of: request), routing: parsed.routing, chunkSize: parsed.chunkSize, maxParallel: parsed.maxParallel,
                inputName: parsed.inputName, idempotencyKey: key)
            submitted = try await coordinator.receive(submission, records: parsed.records)
        } else {
            submitted = try await submitUpload(request, contentType: contentType, idempotencyKey: key)
        }
        let id = submitted.id
        guard let status = try await coordinator.store.status(of: id, owner: owner(of: request)) else { throw Self.notFound(id) }
        var headers: HTTPFields = [.location: "/api/v1/requests/\(id)"]
        if submitted.replayed { headers[Self.replayedHeader] = "true" }
        return try JSONResponse.make(StatusBody(status), status: .accepted, headers: headers)
    }

    /// The `Idempotency-Key` header: 1 to 255 visible ASCII characters, or absent.
    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[idempotencyKeyHeader] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ProblemDetails(
                .badRequest, type: "submission/invalid_idempotency_key",
                detail: "the Idempotency-Key header must be 1 to 255 visible ASCII characters without spaces", field: "Idempotency-Key")
        }
        return key
    }

    /// A file upload: the body is the file; routing and options come in the query string.
    private func submitUpload(
        _ request: Request, contentType: String, idempotencyKey: String?
    ) async throws -> SubmitReceipt {
        let query = UploadQuery(request.uri.queryParameters)
        try query.rejectUnknown()
        let routing = try query.routing()
        // Fail on routing before reading a possibly huge body.
        _ = try coordinator.registry.catalog.resolve(routing)
        let spool = configuration.uploadDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        try await Self.spool(request, to: spool, limit: configuration.maxBodyBytes, decompressedLimit: configuration.maxDecompressedBytes)
        let format = InputFormat.detect(fileName: query.fileName, contentType: contentType)
        var reading = RecordReader.Configuration(format: format, smilesColumn: query.smilesColumn ?? "smiles", idColumn: query.idColumn)
        reading.maximumRecordBytes = 1 << 20
        let submission = Submission(
            owner: owner(of: request), routing: routing, chunkSize: try query.integer("chunk_size"),
            maxParallel: try query.integer("max_parallel"), inputName: query.fileName, idempotencyKey: idempotencyKey)
        return try await coordinator.receive(submission, file: spool, reading: reading)
    }

    private func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.integer(query["limit"], name: "limit", range: 1...500) ?? 50
        let offset = try Self.integer(query["offset"], name: "offset", range: 0...Int(Int32.max)) ?? 0
        let page = try await coordinator.store.list(owner: owner(of: request), limit: limit, offset: offset)
        var bodies: [StatusBody] = []
        for status in page.requests {
            let position = status.state == .queued ? try await coordinator.store.queuePosition(of: status.id) : nil
            bodies.append(StatusBody(status, queuePosition: position))
        }
        return try JSONResponse.make(ListBody(requests: bodies, total: page.total, limit: limit, offset: offset))
    }

    private func cancel(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try Self.requestID(context)
        let drain = try Self.integer(request.uri.queryParameters["drain"], name: "drain", range: 0...3_600) ?? 30
        switch try await coordinator.cancel(id, owner: owner(of: request), drain: .seconds(drain)) {
        case .notFound:
            throw Self.notFound(id)
        case .alreadyFinished(let state):
            throw ProblemDetails(
                .conflict, type: "request/already_finished",
                detail: "request \(id) already finished as \(state.rawValue); there is nothing to cancel",
                state: state.rawValue)
        case .accepted(let state):
            guard let status = try await coordinator.store.status(of: id, owner: owner(of: request)) else { throw Self.notFound(id) }
            if state == .cancelling {
                throw ProblemDetails(
                    .gatewayTimeout, type: "request/drain_timeout",
                    detail: "request \(id) is cancelling, but its running work did not stop within \(drain) s; it is still being stopped",
                    state: status.state.rawValue)
            }
            return try JSONResponse.make(StatusBody(status))
        }
    }

    private func retry(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try Self.requestID(context)
        switch try await coordinator.retryFailed(id, owner: owner(of: request)) {
        case .notFound:
            throw Self.notFound(id)
        case .notRetryable(let state):
            throw ProblemDetails(
                .conflict, type: "request/not_retryable",
                detail: "request \(id) is \(state.rawValue); only a request that completed with errors can retry its failed parts",
                state: state.rawValue)
        case .nothingFailed:
            throw ProblemDetails(.conflict, type: "request/nothing_failed", detail: "no record of request \(id) failed; there is nothing to retry")
        case .accepted:
            guard let status = try await coordinator.store.status(of: id, owner: owner(of: request)) else { throw Self.notFound(id) }
            return try JSONResponse.make(StatusBody(status), status: .accepted, headers: [.location: "/api/v1/requests/\(id)"])
        }
    }

    private func result(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try Self.requestID(context)
        let format = try Self.choice(request, "format", default: ResultFormat.parquet)
        let layout = try Self.choice(request, "layout", default: ResultLayout.wide)
        guard let status = try await coordinator.store.status(of: id, owner: owner(of: request)) else { throw Self.notFound(id) }
        guard status.state.hasResult || status.state == .cancelled, let location = try await coordinator.store.resultLocation(of: id) else {
            throw ProblemDetails(
                .conflict, type: "result/not_ready",
                detail: status.state == .cancelled
                    ? "request \(id) was cancelled; its partial result is being written, try again in a moment"
                    : status.state.isTerminal
                        ? "request \(id) ended as \(status.state.rawValue) and has no result"
                        : "request \(id) is \(status.state.rawValue); its result is available once it completes",
                state: status.state.rawValue)
        }
        let file = try await coordinator.resultFile(for: id, location: location, status: status, format: format, layout: layout)
        let url = file.url
        // The checksum identifies the bytes; without one (older results) the revision does, as it
        // changes whenever the request does.
        let etag = file.sha256.map { "\"\(FileDigest.hex(Array($0.prefix(16))))\"" } ?? "\"\(id)-r\(status.revision)-\(layout)-\(format)\""
        let length = file.byteCount
        let layoutSuffix = layout == .wide || format == .parquetbundle ? "" : ".\(layout.rawValue)"
        var headers: HTTPFields = [
            .contentType: format.mediaType,
            .contentDisposition: DownloadHeaders.contentDisposition(
                inputName: status.inputName, fallback: id.rawValue,
                suffix: (location.partial ? ".partial" : ".result") + layoutSuffix + ".\(format.fileExtension)"),
            .eTag: etag,
            .acceptRanges: "bytes",
        ]
        // RFC 9530: lets a client check the whole file it assembled from ranges.
        if let digest = file.sha256 { headers[Self.reprDigestHeader] = "sha-256=:\(Data(digest).base64EncodedString()):" }
        // A partial result must never pass for a whole one, whoever saves it under which name.
        if location.partial { headers[Self.partialResultHeader] = "true" }
        if let match = request.headers[.ifNoneMatch], match == etag || match == "*" {
            return Response(status: .notModified, headers: headers)
        }
        var range = DownloadHeaders.range(request.headers[.range], length: length)
        if let ifRange = request.headers[.ifRange], ifRange != etag { range = .whole }
        switch range {
        case .whole:
            headers[.contentLength] = "\(length)"
            return Response(status: .ok, headers: headers, body: Self.fileBody(url, range: 0..<length))
        case .part(let bounds):
            headers[.contentRange] = "bytes \(bounds.lowerBound)-\(bounds.upperBound)/\(length)"
            headers[.contentLength] = "\(bounds.count)"
            return Response(status: .partialContent, headers: headers, body: Self.fileBody(url, range: bounds.lowerBound..<(bounds.upperBound + 1)))
        case .unsatisfiable:
            throw ProblemDetails(
                .rangeNotSatisfiable, type: "result/range_not_satisfiable",
                detail: "the range \(request.headers[.range] ?? "") is outside the result's \(length) bytes"
            ).adding(.contentRange, "bytes */\(length)")
        }
    }
}
