/// Bounds on what one submission may ask for, with the defaults used when it asks for nothing.
public struct SubmissionLimits: Sendable, Equatable {
    /// Records per task when the submission does not say.
    public var defaultChunkSize: Int = 1_000
    /// Smallest and largest chunk size a submission may ask for.
    public var chunkSizeRange: ClosedRange<Int> = 1...100_000
    /// Per-request parallelism when the submission does not say (clamped to the global limit).
    public var defaultMaxParallel: Int = 4
    /// The global number of worker slots; no request may ask for more.
    public var globalParallelism: Int
    /// Most records one submission may hold.
    public var maxRecords: Int = 5_000_000
    /// Longest accepted input line or SMILES, in bytes.
    public var maxRecordBytes: Int = 4_096
    /// Most tasks one request may create (chunks × models): tiny chunks over a huge input would
    /// make the queue itself the bottleneck.
    public var maxTasks: Int = 100_000
    /// Fewest protein sequences a submission must hold.
    public var minSequences: Int = 1
    /// Most protein sequences a submission may hold (also bounded by ``maxRecords``).
    public var maxSequences: Int = 5_000_000
    /// Longest accepted protein sequence, in residues.
    public var maxSequenceLength: Int = 100_000
    /// Most records × models one owner may have in requests that have not finished; a submission
    /// that would go beyond it is refused (429) until earlier ones finish.
    public var maxInFlightRecordModels: Int = 100_000_000

    /// Creates limits for a deployment whose workers have `globalParallelism` slots in all.
    public init(globalParallelism: Int) {
        self.globalParallelism = max(1, globalParallelism)
    }

    /// The per-request parallelism for a submission that asked for `requested`.
    /// - Throws: ``SubmissionError`` when it asks for less than 1 or more than the global limit.
    public func maxParallel(for requested: Int?) throws(SubmissionError) -> Int {
        guard let requested else { return min(defaultMaxParallel, globalParallelism) }
        guard (1...globalParallelism).contains(requested) else {
            throw SubmissionError(
                code: .invalidOption, field: "max_parallel",
                message: "max_parallel must be between 1 and \(globalParallelism), the global limit; got \(requested)")
        }
        return requested
    }

    /// Checks that `records` in chunks of `chunkSize` for `models` models stay within ``maxTasks``.
    /// - Throws: ``SubmissionError`` naming the smallest chunk size that would do.
    public func checkTaskCount(records: Int, chunkSize: Int, models: Int) throws(SubmissionError) {
        let tasks = (records + chunkSize - 1) / chunkSize * models
        guard tasks > maxTasks else { return }
        let perModel = max(1, maxTasks / max(1, models))
        let smallest = (records + perModel - 1) / perModel
        throw SubmissionError(
            code: .invalidOption, field: "chunk_size",
            message:
                "chunk_size \(chunkSize) makes \(tasks) tasks for \(records) records × \(models) model(s); the limit is \(maxTasks) tasks, so use chunk_size \(smallest) or more"
        )
    }

    /// The chunk size for a submission that asked for `requested`.
    /// - Throws: ``SubmissionError`` when it is outside ``chunkSizeRange``.
    public func chunkSize(for requested: Int?) throws(SubmissionError) -> Int {
        guard let requested else { return defaultChunkSize }
        guard chunkSizeRange.contains(requested) else {
            throw SubmissionError(
                code: .invalidOption, field: "chunk_size",
                message: "chunk_size must be between \(chunkSizeRange.lowerBound) and \(chunkSizeRange.upperBound); got \(requested)")
        }
        return requested
    }
}

/// A submission that cannot be accepted. The message is safe to show a user and names the field.
public struct SubmissionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; the server maps it to an HTTP status.
    public enum Code: String, Sendable {
        /// An option is out of range (422).
        case invalidOption = "invalid_option"
        /// The input is empty (400).
        case emptyInput = "empty_input"
        /// The input lacks a needed column or cannot be read at all (400).
        case unreadableInput = "unreadable_input"
        /// The input is larger than allowed (413).
        case tooLarge = "too_large"
        /// The body is malformed (400).
        case malformedBody = "malformed_body"
        /// The `Idempotency-Key` was used before for a different submission (422).
        case idempotencyKeyReused = "idempotency_key_reused"
        /// The input breaks a configured limit on its content, such as the number or length of
        /// sequences (422); the message states the limit.
        case limitExceeded = "limit_exceeded"
        /// The input is of the wrong kind for the routed models, such as DNA sent to protein
        /// models (422).
        case wrongInputKind = "wrong_input_kind"
        /// The owner's requests in flight would exceed their quota (429).
        case quotaExceeded = "quota_exceeded"
    }

    /// What kind of problem it is.
    public let code: Code
    /// The field or input part concerned, when there is one.
    public let field: String?
    /// A message for the user.
    public let message: String

    /// Creates an error.
    public init(code: Code, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
