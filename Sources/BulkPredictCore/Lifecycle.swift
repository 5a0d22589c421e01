/// The one pure state machine for requests, jobs and tasks.
///
/// Transitions are data (the tables below), so they can be tested exhaustively without I/O, and
/// stores can turn the legal source states of an event into a `WHERE state IN (...)` clause
/// instead of deciding transitions themselves.
public enum Lifecycle {
    static let requestTable: [RequestEvent: [RequestState: RequestState]] = [
        .workStarted: [.queued: .running],
        .mergeStarted: [.queued: .merging, .running: .merging],
        .mergeTakenOver: [.merging: .merging],
        .mergedClean: [.merging: .completed],
        .mergedWithErrors: [.merging: .completedWithErrors],
        .failed: [.queued: .failed, .running: .failed, .merging: .failed],
        .cancelRequested: [
            .queued: .cancelling, .running: .cancelling, .merging: .cancelling,
            .cancelling: .cancelling, .cancelled: .cancelled,
        ],
        .cancelDrained: [.cancelling: .cancelled],
        .retryRequested: [.completedWithErrors: .queued],
    ]

    static let jobTable: [JobEvent: [JobState: JobState]] = [
        .workStarted: [.queued: .running],
        .finishedClean: [.running: .completed],
        .finishedWithErrors: [.running: .completedWithErrors],
        .failed: [.queued: .failed, .running: .failed],
        .cancelled: [.queued: .cancelled, .running: .cancelled],
        .retryRequested: [.completedWithErrors: .queued, .failed: .queued],
    ]

    static let taskTable: [TaskEvent: [TaskState: TaskState]] = [
        .claimed: [.queued: .running, .retrying: .running],
        .succeeded: [.running: .succeeded],
        .failedRetryable: [.running: .retrying],
        .failedFinal: [.running: .failed],
        .released: [.running: .queued],
        .leaseExpired: [.running: .retrying],
        .cancelled: [.queued: .cancelled, .retrying: .cancelled, .running: .cancelled],
    ]

    /// The state a request moves to on `event`.
    /// - Throws: ``TransitionError`` when the event is not legal in `state`.
    public static func next(_ state: RequestState, on event: RequestEvent) throws(TransitionError) -> RequestState {
        guard let target = requestTable[event]?[state] else {
            throw TransitionError(entity: .request, from: state.rawValue, event: event.rawValue)
        }
        return target
    }

    /// The state a job moves to on `event`.
    /// - Throws: ``TransitionError`` when the event is not legal in `state`.
    public static func next(_ state: JobState, on event: JobEvent) throws(TransitionError) -> JobState {
        guard let target = jobTable[event]?[state] else {
            throw TransitionError(entity: .job, from: state.rawValue, event: event.rawValue)
        }
        return target
    }

    /// The state a task moves to on `event`.
    /// - Throws: ``TransitionError`` when the event is not legal in `state`.
    public static func next(_ state: TaskState, on event: TaskEvent) throws(TransitionError) -> TaskState {
        guard let target = taskTable[event]?[state] else {
            throw TransitionError(entity: .task, from: state.rawValue, event: event.rawValue)
        }
        return target
    }

    /// The request states in which `event` is legal and changes something, sorted by name.
    public static func sources(of event: RequestEvent) -> [RequestState] {
        (requestTable[event] ?? [:]).filter { $0.key != $0.value }.keys.sorted { $0.rawValue < $1.rawValue }
    }

    /// The job states in which `event` is legal, sorted by name.
    public static func sources(of event: JobEvent) -> [JobState] {
        (jobTable[event] ?? [:]).keys.sorted { $0.rawValue < $1.rawValue }
    }

    /// The task states in which `event` is legal, sorted by name.
    public static func sources(of event: TaskEvent) -> [TaskState] {
        (taskTable[event] ?? [:]).keys.sorted { $0.rawValue < $1.rawValue }
    }
}

/// An event that is not legal in the current state.
public struct TransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which kind of thing refused the event.
    public enum Entity: String, Sendable { case request, job, task }

    /// Which kind of thing refused the event.
    public let entity: Entity
    /// The state it was in.
    public let from: String
    /// The event it refused.
    public let event: String

    /// Creates an error.
    public init(entity: Entity, from: String, event: String) {
        self.entity = entity
        self.from = from
        self.event = event
    }

    public var description: String { "a \(entity.rawValue) in state \(from) cannot take the event \(event)" }
}
