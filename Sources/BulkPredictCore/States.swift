/// The lifecycle of a request (one submission).
///
/// `queued → running → merging → completed | completed_with_errors | failed`, and
/// `cancelling → cancelled` from any state that is not terminal. Transitions are decided only by
/// ``Lifecycle``.
public enum RequestState: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    case merging
    case completed
    case completedWithErrors = "completed_with_errors"
    case failed
    case cancelling
    case cancelled

    /// A terminal request does no more work by itself; only a user's retry of its failed parts
    /// (``RequestEvent/retryRequested``) brings a `completed_with_errors` request back.
    public var isTerminal: Bool {
        switch self {
        case .completed, .completedWithErrors, .failed, .cancelled: true
        case .queued, .running, .merging, .cancelling: false
        }
    }

    /// Whether the result of a request in this state can be downloaded.
    public var hasResult: Bool { self == .completed || self == .completedWithErrors }
}

/// The lifecycle of a job: one (request, model) pair.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    case completed
    case completedWithErrors = "completed_with_errors"
    case failed
    case cancelled

    /// A terminal job never changes again.
    public var isTerminal: Bool {
        switch self {
        case .completed, .completedWithErrors, .failed, .cancelled: true
        case .queued, .running: false
        }
    }
}

/// The lifecycle of a task: one chunk of one job, the unit that a worker claims.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    case retrying
    case succeeded
    case failed
    case cancelled

    /// A terminal task never runs again.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled: true
        case .queued, .running, .retrying: false
        }
    }
}
