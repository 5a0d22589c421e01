import BulkPredictCore
import Engine
import Foundation
import Hummingbird

extension APIServer {
    func addModelRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("models") { _, _ in
            let catalog = coordinator.registry.catalog
            return try JSONResponse.make(
                ModelsBody(models: catalog.models, recommendations: catalog.recommendations, targets: catalog.targets))
        }
        api.get("preview-routing") { request, _ in
            let query = UploadQuery(request.uri.queryParameters)
            let models = try coordinator.registry.catalog.resolve(try query.routing())
            return try JSONResponse.make(
                PreviewBody(
                    modelCount: models.count, inputKind: models.first?.input.rawValue ?? "",
                    models: models.map { PreviewBody.Model(id: $0.id, version: $0.version) }))
        }
        api.get("metrics") { _, _ in try await self.metrics() }
        api.get("health") { _, _ in
            do {
                let pending = try await coordinator.store.pendingTaskCount()
                return try JSONResponse.make(HealthBody(status: "ok", version: BulkPredictVersion.current, pendingTasks: pending))
            } catch {
                throw ProblemDetails(.serviceUnavailable, type: "health/store_unavailable", detail: "the job store does not answer")
            }
        }
    }
}

/// `GET /models`.
struct ModelsBody: Encodable {
    let models: [ModelDescriptor]
    let recommendations: [Recommendation]
    let targets: [String]
}

/// `GET /preview-routing`: the models a routing resolves to, exactly as submit would.
struct PreviewBody: Encodable {
    struct Model: Encodable {
        let id: String
        let version: String
    }

    let modelCount: Int
    let inputKind: String
    let models: [Model]

    enum CodingKeys: String, CodingKey {
        case models
        case modelCount = "model_count"
        case inputKind = "input_kind"
    }
}

/// `GET /health`.
struct HealthBody: Encodable {
    let status: String
    let version: String
    let pendingTasks: Int

    enum CodingKeys: String, CodingKey {
        case status, version
        case pendingTasks = "pending_tasks"
    }
}
