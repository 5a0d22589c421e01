import BulkPredictCore
import Foundation

/// Everything needed to store a new request.
public struct NewRequest: Sendable {
    /// The new request's id.
    public var id: RequestID
    /// Who submitted it.
    public var owner: String
    /// Kind of records.
    public var inputKind: InputKind
    /// Original upload name.
    public var inputName: String?
    /// Blob key of the stored input.
    public var inputKey: String
    /// Number of records.
    public var recordCount: Int
    /// Records per task.
    public var chunkSize: Int
    /// Per-request parallelism.
    public var maxParallel: Int
    /// The resolved models, in routing order.
    public var models: [ModelDescriptor]
    /// Byte offset in the stored input of the first record of every chunk.
    public var chunkOffsets: [UInt64]
    /// The client's `Idempotency-Key`, unique per owner, when it sent one.
    public var idempotencyKey: String?
    /// A digest of everything the submission asked for (records and options), to tell a repeat of
    /// the same submission from a different one that reuses a key.
    public var fingerprint: String?
    /// The owner's quota of records × models in unfinished requests, checked in the same
    /// transaction as the insert (after the idempotency key, so a repeat is never refused);
    /// `nil` for none.
    public var quota: Int?

    /// Creates a new request.
    public init(
        id: RequestID, owner: String, inputKind: InputKind, inputName: String?, inputKey: String, recordCount: Int,
        chunkSize: Int, maxParallel: Int, models: [ModelDescriptor], chunkOffsets: [UInt64], idempotencyKey: String? = nil,
        fingerprint: String? = nil, quota: Int? = nil
    ) {
        self.quota = quota
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
        self.id = id
        self.owner = owner
        self.inputKind = inputKind
        self.inputName = inputName
        self.inputKey = inputKey
        self.recordCount = recordCount
        self.chunkSize = chunkSize
        self.maxParallel = maxParallel
        self.models = models
        self.chunkOffsets = chunkOffsets
    }
}

/// What became of a submission.
public enum SubmitOutcome: Sendable, Equatable {
    /// The request is stored, with its jobs and tasks.
    case created
    /// The owner already has a request under this idempotency key; nothing was stored.
    case existing(RequestID, fingerprint: String?)
    /// Storing it would take the owner past ``NewRequest/quota``; nothing was stored.
    case overQuota(OwnerUsage)
}

/// A task a worker holds: what to run, and the token that proves the claim is current.
public struct ClaimedTask: Sendable, Equatable {
    /// Task id.
    public var taskID: Int64
    /// The request it belongs to.
    public var requestID: RequestID
    /// The model to run.
    public var modelID: String
    /// Blob key of the stored input.
    public var inputKey: String
    /// Position of the first record.
    public var startRow: Int
    /// Number of records.
    public var rowCount: Int
    /// Byte offset of the first record in the stored input.
    public var inputOffset: UInt64
    /// Which attempt this is (1 for the first).
    public var attempt: Int
    /// The fencing token of this claim.
    public var leaseToken: String
    /// For a retry of failed parts: the earlier output of this chunk, whose good lines are kept
    /// as they are while only its failed records run again.
    public var baseOutputKey: String?
    /// Whether only the failed records of ``baseOutputKey`` run (a retry of failed parts).
    public var retriesFailedOnly: Bool = false
}

/// How an attempt ended.
public enum TaskEnding: Sendable, Equatable {
    /// The output file is durable at `outputKey`; counts are of its records.
    case succeeded(outputKey: String, succeeded: Int, failed: Int)
    /// The attempt failed for good; every record of the chunk becomes an error row with `reason`.
    case failed(reason: String)
    /// The attempt failed in a way another attempt may fix: the task waits `after`, then runs
    /// again, unless its model's attempt limit is reached, in which case it fails for good.
    case retry(reason: String, after: Duration)
    /// The worker stopped because the request is being cancelled.
    case cancelled
    /// The model keeps crashing on this chunk: replace it by two halves, split before record
    /// `splitRow` (absolute), which starts at byte `splitOffset` of the stored input, so that
    /// repeated splitting isolates the record that causes the crash. For a retry of failed parts,
    /// `baseOutputKeys` names each half's block of the earlier output, so that the halves, too,
    /// keep the rows that had values and run only the failed ones.
    case bisect(reason: String, splitRow: Int, splitOffset: UInt64, baseOutputKeys: [String]? = nil)
}

/// What happened when a worker reported the end of an attempt.
public struct FinishReceipt: Sendable, Equatable {
    /// `false` when the claim was stale and nothing changed.
    public var accepted: Bool
    /// `true` when every task of the request has now ended and the request should be merged.
    public var requestReadyToMerge: Bool

    /// Creates a receipt.
    public init(accepted: Bool, requestReadyToMerge: Bool) {
        self.accepted = accepted
        self.requestReadyToMerge = requestReadyToMerge
    }
}

/// The answer to a retry of failed parts.
public enum RetryOutcome: Sendable, Equatable {
    /// No such request for this owner.
    case notFound
    /// The request is not in a state that can be retried (it runs, or it completed cleanly, or it
    /// was cancelled).
    case notRetryable(RequestState)
    /// Every record succeeded: there is nothing to retry.
    case nothingFailed
    /// The failed parts are queued again: this many tasks, covering this many failed records.
    case accepted(tasks: Int, records: Int)
}

/// The answer to a cancel.
public enum CancelOutcome: Sendable, Equatable {
    /// No such request for this owner.
    case notFound
    /// The request had already finished in this state.
    case alreadyFinished(RequestState)
    /// The request is now `cancelling` or `cancelled`.
    case accepted(RequestState)
}

/// What finalize needs: every task of every job, in input order.
public struct MergePlan: Sendable {
    /// One chunk of one job.
    public struct Chunk: Sendable, Equatable {
        /// First record.
        public var startRow: Int
        /// Number of records.
        public var rowCount: Int
        /// How it ended.
        public var state: TaskState
        /// Output file, when it succeeded.
        public var outputKey: String?
        /// Why it failed, when it did.
        public var error: String?

        /// Describes a chunk.
        public init(startRow: Int, rowCount: Int, state: TaskState, outputKey: String? = nil, error: String? = nil) {
            self.startRow = startRow
            self.rowCount = rowCount
            self.state = state
            self.outputKey = outputKey
            self.error = error
        }
    }

    /// One model's chunks.
    public struct Job: Sendable {
        /// Model id.
        public var modelID: String
        /// Model version.
        public var modelVersion: String
        /// Chunks ordered by `startRow`, covering every record exactly once.
        public var chunks: [Chunk]
    }

    /// Request id.
    public var requestID: RequestID
    /// Blob key of the stored input.
    public var inputKey: String
    /// Number of records.
    public var recordCount: Int
    /// Jobs in routing order.
    public var jobs: [Job]
    /// The merge's lease token: every later write about this merge must present it.
    public var token: String
}

/// The files finalize produced.
public struct MergeResult: Sendable, Equatable, Codable {
    /// Blob key of the CSV result.
    public var csvKey: String
    /// Rows in the result.
    public var rowCount: Int
    /// Size in bytes.
    public var byteCount: Int64
    /// Whether any record of any model failed.
    public var hasErrors: Bool
    /// Whether this is the partial result of a cancelled request.
    public var partial: Bool
    /// The SHA-256 of the CSV file, lowercase hex; `nil` for results written before checksums
    /// were recorded.
    public var sha256: String?

    /// Creates a merge result.
    public init(csvKey: String, rowCount: Int, byteCount: Int64, hasErrors: Bool, partial: Bool = false, sha256: String? = nil) {
        self.csvKey = csvKey
        self.rowCount = rowCount
        self.byteCount = byteCount
        self.hasErrors = hasErrors
        self.partial = partial
        self.sha256 = sha256
    }
}

/// Counts for monitoring and autoscaling.
public struct QueueStatistics: Sendable, Equatable {
    /// Tasks of requests that may still run (queued or running requests), by state.
    public var tasks: [TaskState: Int]
    /// All requests, by state.
    public var requests: [RequestState: Int]
    /// Totals since the database was created, across every process.
    public var totals: QueueTotals

    /// Creates statistics.
    public init(tasks: [TaskState: Int], requests: [RequestState: Int], totals: QueueTotals = QueueTotals()) {
        self.tasks = tasks
        self.requests = requests
        self.totals = totals
    }
}

/// Counts that only grow, kept in the database so that every process adds to the same totals.
public struct QueueTotals: Sendable, Equatable {
    /// Tasks that ended with an output.
    public var tasksCompleted = 0
    /// Tasks that failed for good (their records became error rows).
    public var tasksFailed = 0
    /// Tasks moved back to the queue because their worker stopped renewing the lease.
    public var tasksRescued = 0
    /// Records that went through a model, with a value or an error.
    public var recordsProcessed = 0
    /// Writes refused because they came with a stale lease or merge token.
    public var fencedWritesRejected = 0

    /// Creates totals.
    public init(tasksCompleted: Int = 0, tasksFailed: Int = 0, tasksRescued: Int = 0, recordsProcessed: Int = 0, fencedWritesRejected: Int = 0) {
        self.tasksCompleted = tasksCompleted
        self.tasksFailed = tasksFailed
        self.tasksRescued = tasksRescued
        self.recordsProcessed = recordsProcessed
        self.fencedWritesRejected = fencedWritesRejected
    }
}

/// What one owner has in flight.
public struct OwnerUsage: Sendable, Equatable {
    /// Requests not yet in a terminal state.
    public var requests: Int
    /// Their records × models.
    public var recordModels: Int

    /// Creates a usage snapshot.
    public init(requests: Int, recordModels: Int) {
        self.requests = requests
        self.recordModels = recordModels
    }
}
