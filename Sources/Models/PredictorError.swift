/// An error a model throws for a whole batch. Marked ``retryable`` when trying again later may
/// succeed (a model server restarting, a resource briefly exhausted); otherwise the batch's records
/// become error rows at once.
public struct PredictorError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the error rows.
    public let message: String
    /// Whether another attempt may succeed.
    public let retryable: Bool

    /// Creates an error.
    public init(_ message: String, retryable: Bool) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }
}
