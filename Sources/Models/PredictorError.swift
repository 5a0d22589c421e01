/// An error a model throws for a whole batch. Marked ``retryable`` when trying again later may
/// succeed (a model server restarting, a resource briefly exhausted); otherwise the batch's records
/// become error rows at once.
public struct PredictorError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the error rows.
    public let message: String
    /// Whether another attempt may succeed.
    public let retryable: Bool
    /// Whether the model process died or hung on the batch: if that keeps happening, one record
    /// may be the cause, and the batch is split to find it.
    public let isCrash: Bool

    /// Creates an error.
    public init(_ message: String, retryable: Bool, isCrash: Bool = false) {
        self.message = message
        self.retryable = retryable
        self.isCrash = isCrash
    }

    public var description: String { message }
}
