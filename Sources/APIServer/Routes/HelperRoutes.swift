import BulkPredictCore
import Engine
import Formats
import Foundation
import Hummingbird

extension APIServer {
    /// The endpoints the web pages need besides the request routes: options, quota, plot data.
    func addHelperRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("options") { _, _ in
            let catalog = coordinator.registry.catalog
            let limits = coordinator.limits
            let body = OptionsBody(
                targets: catalog.targets.map { OptionsBody.Target(name: $0, series: catalog.series(of: $0)) },
                models: catalog.models, formats: ResultFormat.allCases.map(\.rawValue), layouts: ResultLayout.allCases.map(\.rawValue),
                limits: OptionsBody.Limits(
                    maxParallelMax: limits.globalParallelism, maxParallelDefault: min(limits.defaultMaxParallel, limits.globalParallelism),
                    chunkSizeMin: limits.chunkSizeRange.lowerBound, chunkSizeMax: limits.chunkSizeRange.upperBound,
                    chunkSizeDefault: limits.defaultChunkSize, maxRecords: limits.maxRecords, maxUploadBytes: configuration.maxBodyBytes,
                    maxJSONBytes: configuration.maxJSONBodyBytes, maxSequenceLength: limits.maxSequenceLength,
                    maxInFlightRecordModels: limits.maxInFlightRecordModels))
            // The options change only with the deployment's configuration.
            return try JSONResponse.make(body, headers: [.cacheControl: "max-age=60"])
        }
        api.get("quota") { request, _ in
            let owner = owner(of: request)
            let usage = try await coordinator.store.usage(owner: owner)
            return try JSONResponse.make(
                QuotaBody(
                    owner: owner, inFlightRequests: usage.requests, inFlightRecordModels: usage.recordModels,
                    maxInFlightRecordModels: coordinator.limits.maxInFlightRecordModels))
        }
        api.get("requests/:id/plot") { request, context in
            let id = try Self.requestID(context)
            guard let status = try await coordinator.store.status(of: id, owner: owner(of: request)) else { throw Self.notFound(id) }
            guard status.state.hasResult || status.state == .cancelled, let location = try await coordinator.store.resultLocation(of: id) else {
                throw ProblemDetails(
                    .conflict, type: "result/not_ready", detail: "request \(id) is \(status.state.rawValue); it can be plotted once it has a result",
                    state: status.state.rawValue)
            }
            let query = request.uri.queryParameters
            let text = { (name: Substring) in query[name].map(String.init) }
            let limit = try Self.integer(query["limit"], name: "limit", range: 1...200_000) ?? 20_000
            do {
                let data = try await coordinator.plot(
                    id, location: location, x: text("x"), y: text("y"), color: text("color").flatMap { $0.isEmpty ? nil : $0 }, limit: limit)
                return try JSONResponse.make(data)
            } catch let error as PlotRequestError {
                throw ProblemDetails(
                    .unprocessableContent, type: "plot/unknown_column", detail: error.message, field: error.field, validChoices: error.validChoices)
            }
        }
    }
}

/// `GET /options`: what a submit form needs to offer.
struct OptionsBody: Encodable {
    struct Target: Encodable {
        let name: String
        let series: [String]
    }

    struct Limits: Encodable {
        let maxParallelMax: Int
        let maxParallelDefault: Int
        let chunkSizeMin: Int
        let chunkSizeMax: Int
        let chunkSizeDefault: Int
        let maxRecords: Int
        let maxUploadBytes: Int
        let maxJSONBytes: Int
        let maxSequenceLength: Int
        let maxInFlightRecordModels: Int

        enum CodingKeys: String, CodingKey {
            case maxParallelMax = "max_parallel_max"
            case maxParallelDefault = "max_parallel_default"
            case chunkSizeMin = "chunk_size_min"
            case chunkSizeMax = "chunk_size_max"
            case chunkSizeDefault = "chunk_size_default"
            case maxRecords = "max_records"
            case maxUploadBytes = "max_upload_bytes"
            case maxJSONBytes = "max_json_bytes"
            case maxSequenceLength = "max_sequence_length"
            case maxInFlightRecordModels = "max_in_flight_record_models"
        }
    }

    let targets: [Target]
    let models: [ModelDescriptor]
    let formats: [String]
    let layouts: [String]
    let limits: Limits
}

/// `GET /quota`: the caller's work in flight against their cap.
struct QuotaBody: Encodable {
    let owner: String
    let inFlightRequests: Int
    let inFlightRecordModels: Int
    let maxInFlightRecordModels: Int

    enum CodingKeys: String, CodingKey {
        case owner
        case inFlightRequests = "in_flight_requests"
        case inFlightRecordModels = "in_flight_record_models"
        case maxInFlightRecordModels = "max_in_flight_record_models"
    }
}
