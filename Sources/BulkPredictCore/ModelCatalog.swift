/// The registered models and the recommendations table: everything routing needs.
///
/// The same ``resolve(_:)`` answers preview and submit, so the two can never disagree.
public struct ModelCatalog: Sendable, Equatable {
    /// Registered models, in registration order.
    public private(set) var models: [ModelDescriptor]
    /// The recommendations table.
    public private(set) var recommendations: [Recommendation]

    /// Creates a catalog.
    public init(models: [ModelDescriptor] = [], recommendations: [Recommendation] = []) {
        self.models = []
        self.recommendations = []
        for model in models { register(model) }
        for recommendation in recommendations { recommend(recommendation) }
    }

    /// Adds a model, replacing one with the same id (a configuration file may override a default).
    public mutating func register(_ model: ModelDescriptor) {
        if let index = models.firstIndex(where: { $0.id == model.id }) {
            models[index] = model
        } else {
            models.append(model)
        }
    }

    /// Adds a recommendation unless the same row is already there.
    public mutating func recommend(_ recommendation: Recommendation) {
        if !recommendations.contains(recommendation) { recommendations.append(recommendation) }
    }

    /// The model with this id.
    public func model(_ id: String) -> ModelDescriptor? {
        models.first { $0.id == id }
    }

    /// Every target named in the recommendations table, sorted.
    public var targets: [String] {
        Array(Set(recommendations.map(\.target))).sorted()
    }

    /// The series named for `target`, sorted.
    public func series(of target: String) -> [String] {
        Array(Set(recommendations.filter { $0.target == target }.compactMap(\.series))).sorted()
    }

    /// Resolves a routing to models, in a stable order (the order given, or registration order).
    /// - Throws: ``RoutingError`` for an empty routing, unknown names, a routing that resolves to
    ///   no model, or models that take different kinds of input.
    public func resolve(_ routing: RoutingSpec) throws(RoutingError) -> [ModelDescriptor] {
        let ids = routing.models
        let resolved: [ModelDescriptor]
        if !ids.isEmpty {
            guard routing.target == nil, routing.series == nil else { throw RoutingError(code: .modelsAndTarget) }
            let unknown = ids.filter { model($0) == nil }
            guard unknown.isEmpty else {
                throw RoutingError(code: .unknownModel, names: unknown, validChoices: models.map(\.id))
            }
            var seen = Set<String>()
            resolved = ids.filter { seen.insert($0).inserted }.compactMap { model($0) }
        } else if let target = routing.target {
            guard targets.contains(target) else {
                throw RoutingError(code: .unknownTarget, names: [target], validChoices: targets)
            }
            var rows = recommendations.filter { $0.target == target }
            if let series = routing.series {
                guard self.series(of: target).contains(series) else {
                    throw RoutingError(code: .unknownSeries, names: [series], validChoices: self.series(of: target))
                }
                // A row without a series applies to every series of its target.
                rows = rows.filter { $0.series == series || $0.series == nil }
            }
            let wanted = Set(rows.map(\.model))
            resolved = models.filter { wanted.contains($0.id) }
            guard !resolved.isEmpty else {
                let name = [target, routing.series].compactMap { $0 }.joined(separator: "/")
                let usable = targets.filter { t in recommendations.contains { $0.target == t && model($0.model) != nil } }
                throw RoutingError(code: .noModels, names: [name], validChoices: usable)
            }
        } else if routing.series != nil {
            throw RoutingError(code: .seriesWithoutTarget, validChoices: targets)
        } else {
            throw RoutingError(code: .emptyRouting, validChoices: targets)
        }
        let kinds = Set(resolved.map(\.input))
        guard kinds.count == 1 else {
            throw RoutingError(code: .mixedInputKinds, names: resolved.map(\.id))
        }
        return resolved
    }
}
