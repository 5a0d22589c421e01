import BulkPredictCore
import Foundation

/// The models this process can route to and run: the catalog for routing, plus a factory per
/// built-in implementation.
public struct ModelRegistry: Sendable {
    /// A function that makes a predictor for a descriptor whose runner names this implementation.
    public typealias Factory = @Sendable (ModelDescriptor) -> any Predictor

    /// Models and recommendations, for routing.
    public private(set) var catalog: ModelCatalog
    private var factories: [String: Factory]

    /// The registry with every built-in model and its default recommendations.
    public static var builtIn: ModelRegistry {
        var registry = ModelRegistry(catalog: ModelCatalog(), factories: [:])
        registry.addBuiltIn(FormulaPredictor.defaultDescriptor) { FormulaPredictor(descriptor: $0) }
        registry.addBuiltIn(NoopPredictor.defaultDescriptor) { NoopPredictor(descriptor: $0) }
        registry.addBuiltIn(CPUBurnPredictor.defaultDescriptor) { CPUBurnPredictor(descriptor: $0) }
        registry.catalog.recommend(Recommendation(target: "physchem", model: FormulaPredictor.defaultDescriptor.id))
        registry.catalog.recommend(Recommendation(target: "physchem", series: "basic", model: FormulaPredictor.defaultDescriptor.id))
        ChemistryModels.register(in: &registry)
        for recommendation in ChemistryModels.recommendations { registry.catalog.recommend(recommendation) }
        ProteinModels.register(in: &registry)
        for recommendation in ProteinModels.recommendations { registry.catalog.recommend(recommendation) }
        return registry
    }

    init(catalog: ModelCatalog, factories: [String: Factory]) {
        self.catalog = catalog
        self.factories = factories
    }

    /// Registers a built-in implementation and its default model.
    public mutating func addBuiltIn(_ descriptor: ModelDescriptor, factory: @escaping Factory) {
        if let implementation = descriptor.runner.implementation { factories[implementation] = factory }
        catalog.register(descriptor)
    }

    /// Names of the built-in implementations, sorted.
    public var implementations: [String] { factories.keys.sorted() }

    /// The declared outputs of a built-in implementation (from the model registered under it).
    func outputs(ofImplementation name: String) -> [OutputColumn]? {
        catalog.models.first { $0.runner.kind == "builtin" && $0.runner.implementation == name }?.outputs
    }

    /// The longest vector a model may declare: the projection at finalize holds a matrix of this
    /// size squared, so the bound keeps a configuration mistake from exhausting memory.
    public static let maximumVectorDimension = 4_096

    /// Time a cancelled command model gets between SIGTERM and SIGKILL.
    public var commandKillGrace: Duration = .seconds(5)

    /// Adds a model declared by configuration.
    /// - Throws: ``RegistryError`` when its runner is unknown or incomplete, or it contradicts its
    ///   implementation.
    public mutating func register(_ descriptor: ModelDescriptor) throws(RegistryError) {
        for output in descriptor.outputs {
            if output.type == .vector {
                guard let dimension = output.dimension, (1...Self.maximumVectorDimension).contains(dimension) else {
                    throw RegistryError(
                        "model '\(descriptor.id)': vector output '\(output.name)' needs a 'dimension' from 1 to \(Self.maximumVectorDimension)")
                }
            } else if output.dimension != nil {
                throw RegistryError("model '\(descriptor.id)': output '\(output.name)' is a \(output.type.rawValue); only vector outputs have a 'dimension'")
            }
        }
        if descriptor.runner.kind == "command" {
            guard !descriptor.outputs.isEmpty else {
                throw RegistryError("model '\(descriptor.id)': a command model must declare its 'outputs'")
            }
            _ = try CommandPredictor(descriptor: descriptor)
            catalog.register(descriptor)
            return
        }
        guard descriptor.runner.kind == "builtin" else {
            throw RegistryError("model '\(descriptor.id)': unknown runner kind '\(descriptor.runner.kind)'; supported: builtin, command")
        }
        guard let implementation = descriptor.runner.implementation, factories[implementation] != nil else {
            throw RegistryError(
                "model '\(descriptor.id)': unknown built-in implementation '\(descriptor.runner.implementation ?? "")'; available: \(implementations.joined(separator: ", "))"
            )
        }
        var descriptor = descriptor
        let implemented = outputs(ofImplementation: implementation) ?? []
        if descriptor.outputs.isEmpty {
            descriptor.outputs = implemented
        } else if descriptor.outputs.map(\.name) != implemented.map(\.name) || descriptor.outputs.map(\.type) != implemented.map(\.type)
            || descriptor.outputs.map(\.dimension) != implemented.map(\.dimension)
        {
            throw RegistryError(
                "model '\(descriptor.id)': declared outputs differ from what '\(implementation)' produces (\(implemented.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", ")))"
            )
        }
        catalog.register(descriptor)
    }

    /// Adds a recommendation.
    /// - Throws: ``RegistryError`` when it names an unknown model.
    public mutating func recommend(_ recommendation: Recommendation) throws(RegistryError) {
        guard catalog.model(recommendation.model) != nil else {
            throw RegistryError(
                "recommendation for target '\(recommendation.target)' names unknown model '\(recommendation.model)'; known: \(catalog.models.map(\.id).joined(separator: ", "))"
            )
        }
        catalog.recommend(recommendation)
    }

    /// A runnable predictor for `modelID`.
    /// - Throws: ``RegistryError`` when the model is unknown here.
    public func predictor(for modelID: String) throws(RegistryError) -> any Predictor {
        guard let descriptor = catalog.model(modelID) else {
            throw RegistryError("unknown model '\(modelID)'")
        }
        if descriptor.runner.kind == "command" { return try CommandPredictor(descriptor: descriptor, killGrace: commandKillGrace) }
        guard let implementation = descriptor.runner.implementation, let factory = factories[implementation] else {
            throw RegistryError("model '\(modelID)' has no runnable implementation in this process")
        }
        return factory(descriptor)
    }
}

/// A registry or configuration problem; the message names the model or field.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
