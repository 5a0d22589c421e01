import Foundation

/// A consistent snapshot of one request, as the API and the event stream report it.
public struct RequestStatus: Sendable, Codable, Equatable {
    /// The request id.
    public var id: RequestID
    /// Who submitted it.
    public var owner: String
    /// Current state.
    public var state: RequestState
    /// Kind of records.
    public var inputKind: InputKind
    /// The original upload name, when the input came from a file.
    public var inputName: String?
    /// Number of input records.
    public var recordCount: Int
    /// Records per task.
    public var chunkSize: Int
    /// Most tasks of this request that may run at once.
    public var maxParallel: Int
    /// Increases with every change; event ids in the event stream are revisions.
    public var revision: Int64
    /// When it was accepted.
    public var createdAt: Date
    /// When the first task started.
    public var startedAt: Date?
    /// When it reached a terminal state.
    public var finishedAt: Date?
    /// Why it failed, when it did.
    public var error: String?
    /// One entry per model, in routing order.
    public var jobs: [JobStatus]
    /// The downloadable result, once there is one.
    public var result: ResultSummary?

    /// Creates a snapshot.
    public init(
        id: RequestID, owner: String, state: RequestState, inputKind: InputKind, inputName: String?,
        recordCount: Int, chunkSize: Int, maxParallel: Int, revision: Int64, createdAt: Date,
        startedAt: Date?, finishedAt: Date?, error: String?, jobs: [JobStatus], result: ResultSummary? = nil
    ) {
        self.id = id
        self.owner = owner
        self.state = state
        self.inputKind = inputKind
        self.inputName = inputName
        self.recordCount = recordCount
        self.chunkSize = chunkSize
        self.maxParallel = maxParallel
        self.revision = revision
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.jobs = jobs
        self.result = result
    }

    /// Records finished by every model together, for progress bars: at most `recordCount × jobs`.
    public var recordsDone: Int { jobs.reduce(0) { $0 + $1.succeeded + $1.failed + $1.cancelled } }

    /// The total amount of work: records × models.
    public var recordsTotal: Int { recordCount * jobs.count }

    enum CodingKeys: String, CodingKey {
        case id, owner, state, revision, error, jobs, result
        case inputKind = "input_kind"
        case inputName = "input_name"
        case recordCount = "record_count"
        case chunkSize = "chunk_size"
        case maxParallel = "max_parallel"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// The result file of a request, as the status reports it.
public struct ResultSummary: Sendable, Codable, Equatable {
    /// Data rows.
    public var rows: Int
    /// Size in bytes of the merged (wide CSV) result; the other formats are derived from it.
    public var bytes: Int64
    /// SHA-256 of the merged (wide CSV) result, lowercase hex.
    public var sha256: String?
    /// Whether it is the partial result of a cancelled request: rows of chunks that did not run
    /// say so in their error cells.
    public var partial: Bool

    /// Creates a summary.
    public init(rows: Int, bytes: Int64, sha256: String? = nil, partial: Bool) {
        self.rows = rows
        self.bytes = bytes
        self.sha256 = sha256
        self.partial = partial
    }
}

/// Progress of one model within a request.
public struct JobStatus: Sendable, Codable, Equatable {
    /// Model id.
    public var model: String
    /// Model version that ran.
    public var modelVersion: String
    /// Current state.
    public var state: JobState
    /// Records with values.
    public var succeeded: Int
    /// Records with an error row.
    public var failed: Int
    /// Records that will not run because the request was cancelled.
    public var cancelled: Int
    /// Number of tasks.
    public var tasksTotal: Int
    /// Tasks in a terminal state.
    public var tasksDone: Int
    /// Tasks running now.
    public var tasksRunning: Int

    /// Creates a job snapshot.
    public init(
        model: String, modelVersion: String, state: JobState, succeeded: Int, failed: Int, cancelled: Int,
        tasksTotal: Int, tasksDone: Int, tasksRunning: Int
    ) {
        self.model = model
        self.modelVersion = modelVersion
        self.state = state
        self.succeeded = succeeded
        self.failed = failed
        self.cancelled = cancelled
        self.tasksTotal = tasksTotal
        self.tasksDone = tasksDone
        self.tasksRunning = tasksRunning
    }

    enum CodingKeys: String, CodingKey {
        case model, state, succeeded, failed, cancelled
        case modelVersion = "model_version"
        case tasksTotal = "tasks_total"
        case tasksDone = "tasks_done"
        case tasksRunning = "tasks_running"
    }
}
