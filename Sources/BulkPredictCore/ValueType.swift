/// The type of one declared output column of a model.
public enum ValueType: String, Sendable, Codable, CaseIterable {
    case bool
    case int
    case double
    case string
    /// A fixed-length vector of 32-bit floats, such as an embedding; its length is the column's
    /// ``OutputColumn/dimension``. Vectors are kept out of the tables (a cell of hundreds of
    /// numbers helps nobody) and are downloadable on their own, and projected at finalize.
    case vector
}

/// One typed value that a model produced for one record.
public enum OutputValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// A vector of 32-bit floats, for a ``ValueType/vector`` column.
    case vector([Float])
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
    /// The length of a ``ValueType/vector`` column; `nil` for the other types.
    public var dimension: Int?

    /// Creates a column declaration.
    public init(name: String, type: ValueType, description: String? = nil, dimension: Int? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.dimension = dimension
    }
}

/// What a model does for one record: values for its declared columns, or an error.
public enum RecordOutcome: Sendable, Equatable {
    /// One value per declared output column, in declaration order.
    case values([OutputValue])
    /// The record could not be predicted; the reason becomes the `<model>.error` cell.
    case error(String)
}
