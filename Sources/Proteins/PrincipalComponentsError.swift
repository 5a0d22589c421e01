/// Why rows cannot be accumulated or components computed.
public struct PrincipalComponentsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// A row does not have the accumulator's number of values.
        case dimensionMismatch = "dimension_mismatch"
        /// A row holds NaN or an infinity, which would poison every later value.
        case nonFiniteValue = "non_finite_value"
        /// Components were asked of an accumulator that has seen no row.
        case noRows = "no_rows"
        /// The number of components asked is below 1 or above the dimension.
        case invalidComponentCount = "invalid_component_count"
    }

    /// The kind of problem.
    public var code: Code
    /// A message saying what was expected and what was given.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
