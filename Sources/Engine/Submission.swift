import BulkPredictCore

/// The answer to a submission.
public struct SubmitReceipt: Sendable, Equatable {
    /// The request.
    public var id: RequestID
    /// `true` when the submission repeated an earlier one under the same idempotency key, and
    /// this is that earlier request.
    public var replayed: Bool
}

/// What a client asks for, apart from the records themselves.
public struct Submission: Sendable {
    /// Who submits.
    public var owner: String
    /// Which models.
    public var routing: RoutingSpec
    /// Records per task, or `nil` for the default.
    public var chunkSize: Int?
    /// Per-request parallelism, or `nil` for the default.
    public var maxParallel: Int?
    /// The original upload name, kept for downloads.
    public var inputName: String?
    /// The client's `Idempotency-Key`: submitting again under it returns the first request.
    public var idempotencyKey: String?

    /// Creates a submission.
    public init(
        owner: String = "local", routing: RoutingSpec, chunkSize: Int? = nil, maxParallel: Int? = nil, inputName: String? = nil,
        idempotencyKey: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.owner = owner
        self.routing = routing
        self.chunkSize = chunkSize
        self.maxParallel = maxParallel
        self.inputName = inputName
    }
}
