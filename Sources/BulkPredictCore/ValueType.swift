/// The type of one declared output column of a model.
public enum ValueType: String, Sendable, Codable, CaseIterable {
    case bool
    case int
    case double
    case string
}

/// One typed value that a model produced for one record.
public enum OutputValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case null
}

/// One declared output column of a model.
public struct OutputColumn: Sendable, Codable, Equatable {
    /// Column name as it appears after the model id: `<model>.<name>`.
    public var name: String
    /// Value type.
    public var type: ValueType
    /// What the column means, for `GET /models` and the options endpoint.
    public var description: String?

    /// Creates a column declaration.
    public init(name: String, type: ValueType, description: String? = nil) {
        self.name = name
        self.type = type
        self.description = description
    }
}

/// What a model does for one record: values for its declared columns, or an error.
public enum RecordOutcome: Sendable, Equatable {
    /// One value per declared output column, in declaration order.
    case values([OutputValue])
    /// The record could not be predicted; the reason becomes the `<model>.error` cell.
    case error(String)
}
