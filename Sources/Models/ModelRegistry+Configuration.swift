import BulkPredictCore
import Foundation

extension ModelRegistry {
    /// The shape of a registry configuration file (JSON).
    struct ConfigurationFile: Decodable {
        var models: [ModelDescriptor]?
        var recommendations: [Recommendation]?
    }

    /// The built-in registry extended by the models and recommendations in a JSON file.
    ///
    /// A model with the id of a built-in replaces it (to pin another version, say). Outputs of a
    /// built-in runner may be omitted: they come from the implementation.
    /// - Throws: ``RegistryError`` naming the file and what in it is wrong.
    public static func loading(configuration url: URL) throws(RegistryError) -> ModelRegistry {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RegistryError("cannot read model configuration \(url.path): \(error.localizedDescription)")
        }
        let file: ConfigurationFile
        do { file = try JSONDecoder().decode(ConfigurationFile.self, from: data) } catch let error as DecodingError {
            throw RegistryError("model configuration \(url.path): \(Self.explain(error))")
        } catch {
            throw RegistryError("model configuration \(url.path): \(error)")
        }
        var registry = ModelRegistry.builtIn
        for model in file.models ?? [] {
            guard !model.id.isEmpty, model.id.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                throw RegistryError(
                    "model configuration \(url.path): model id '\(model.id)' may use only letters, digits, '.', '_' and '-'")
            }
            try registry.register(model)
        }
        for recommendation in file.recommendations ?? [] { try registry.recommend(recommendation) }
        return registry
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' at \(path(context).isEmpty ? "top level" : path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context).isEmpty ? "top level" : path(context))"
        @unknown default: return "\(error)"
        }
    }
}
