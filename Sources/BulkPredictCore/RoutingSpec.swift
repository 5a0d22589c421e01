/// How a submission asks for models: explicit ids, or a target and optional series.
public struct RoutingSpec: Sendable, Codable, Equatable {
    /// Explicit model ids.
    public var models: [String]
    /// A target resolved through the recommendations table.
    public var target: String?
    /// A series within the target.
    public var series: String?

    /// Creates a routing.
    public init(models: [String] = [], target: String? = nil, series: String? = nil) {
        self.models = models
        self.target = target
        self.series = series
    }
}

/// Why a routing resolves to no runnable set of models. Its description is safe to show a user and
/// ``validChoices`` lists what would have worked.
public struct RoutingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable {
        case emptyRouting = "empty_routing"
        case unknownModel = "unknown_model"
        case unknownTarget = "unknown_target"
        case unknownSeries = "unknown_series"
        case noModels = "no_models"
        case modelsAndTarget = "models_and_target"
        case mixedInputKinds = "mixed_input_kinds"
        case seriesWithoutTarget = "series_without_target"
    }

    /// What went wrong.
    public let code: Code
    /// The offending names, if any.
    public let names: [String]
    /// The choices that are valid where the error happened.
    public let validChoices: [String]

    /// Creates an error.
    public init(code: Code, names: [String] = [], validChoices: [String] = []) {
        self.code = code
        self.names = names
        self.validChoices = validChoices
    }

    public var description: String {
        let listed = names.map { "'\($0)'" }.joined(separator: ", ")
        let choices = validChoices.joined(separator: ", ")
        switch code {
        case .emptyRouting: return "no models chosen: give model ids or a target (targets: \(choices))"
        case .unknownModel: return "unknown model \(listed); known models: \(choices)"
        case .unknownTarget: return "unknown target \(listed); known targets: \(choices)"
        case .unknownSeries: return "unknown series \(listed) for this target; its series: \(choices)"
        case .noModels: return "the routing \(listed) resolves to no model; targets with models: \(choices)"
        case .modelsAndTarget: return "give either model ids or a target, not both"
        case .mixedInputKinds: return "the models \(listed) take different kinds of input; choose models of one kind"
        case .seriesWithoutTarget: return "a series needs a target; targets: \(choices)"
        }
    }
}
