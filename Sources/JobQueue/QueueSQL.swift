import BulkPredictCore

/// SQL pieces shared by the queries; built from ``Lifecycle`` so stores never restate transitions.
enum SQL {
    /// `('a', 'b')` for a list of states.
    static func list<S: RawRepresentable>(_ states: [S]) -> String where S.RawValue == String {
        "(" + states.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }

    /// Task states that never change again.
    static let terminalTasks = list(TaskState.allCases.filter(\.isTerminal))

    /// Task states that may still change: written as `IN`, which the `(request_id, state)` index
    /// can seek, where `NOT IN` would scan every task of the request.
    static let liveTasks = list(TaskState.allCases.filter { !$0.isTerminal })

    /// Request states that may still change.
    static let liveRequests = list(RequestState.allCases.filter { !$0.isTerminal })

    /// An owner's unfinished requests and their records × models, with `placeholder` standing
    /// for the owner (SQLite's `?`; the PostgreSQL store interpolates its bound parameters into
    /// its own copy of this query).
    static func usage(owner placeholder: String) -> String {
        """
        SELECT COUNT(*) AS requests,
               CAST(COALESCE(SUM(r.record_count * (SELECT COUNT(*) FROM jobs j WHERE j.request_id = r.id)), 0) AS BIGINT) AS record_models
        FROM requests r WHERE r.owner = \(placeholder) AND r.state IN \(liveRequests)
        """
    }

    /// Names of the counters in `queue_counters`.
    enum Counter: String {
        case rescued = "tasks_rescued"
        case fenced = "fenced_writes_rejected"
    }

    /// The totals query: one row with every total, the same text for both databases.
    static let totals = """
        SELECT
            (SELECT COUNT(*) FROM tasks WHERE state = 'succeeded') AS completed,
            (SELECT COUNT(*) FROM tasks WHERE state = 'failed' AND NOT superseded) AS failed,
            CAST((SELECT COALESCE(SUM(succeeded + failed), 0) FROM jobs) AS BIGINT) AS records,
            CAST((SELECT COALESCE(SUM(value), 0) FROM queue_counters WHERE name = 'tasks_rescued') AS BIGINT) AS rescued,
            CAST((SELECT COALESCE(SUM(value), 0) FROM queue_counters WHERE name = 'fenced_writes_rejected') AS BIGINT) AS fenced
        """

    /// What makes an insert into `queue_counters` add to an existing total.
    static let addToCounter = "ON CONFLICT (name) DO UPDATE SET value = queue_counters.value + excluded.value"

    /// Adds to a counter (parameters: name, amount).
    static let bumpCounter = "INSERT INTO queue_counters (name, value) VALUES (?, ?) \(addToCounter)"

    /// The condition on `requests` rows that may be merged: every task ended, not merged yet; or
    /// merging under a lease that ran out. Listing and taking share it, so they agree; `now` is the
    /// store's clock expression.
    static func mergeable(_ requests: String, now: String) -> String {
        let mergeable = SQL.list(Lifecycle.sources(of: RequestEvent.mergeStarted))
        // A cancelled request gets a partial result once: unless one exists, its merge failed,
        // or a live merge is writing it.
        return """
            ((\(requests).state IN \(mergeable)
              AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.request_id = \(requests).id AND t.state IN \(SQL.liveTasks)))
             OR (\(requests).state = 'merging' AND \(requests).merge_expires_at < \(now))
             OR (\(requests).state = 'cancelled' AND \(requests).result_key IS NULL AND \(requests).error IS NULL
                 AND (\(requests).merge_token IS NULL OR \(requests).merge_expires_at < \(now))))
            """
    }
}

/// What a task's ending writes, decided the same way by every store.
struct EndingEffect {
    var event: TaskEvent
    var outputKey: String?
    var succeeded = 0
    var failed = 0
    var cancelled = 0
    var reason: String?
    var runAfterMS: Int64 = 0

    /// Whether deciding needs the model's attempt limit (only a retryable failure does).
    static func needsAttemptLimit(_ ending: TaskEnding) -> Bool {
        if case .retry = ending { return true }
        return false
    }

    /// The effect of `ending` on `task`; `nil` for a bisect, which replaces the task instead.
    init?(_ ending: TaskEnding, of task: ClaimedTask, maxAttempts: Int) {
        switch ending {
        case .succeeded(let key, let good, let bad):
            (event, outputKey, succeeded, failed) = (.succeeded, key, good, bad)
        case .failed(let message):
            (event, failed, reason) = (.failedFinal, task.rowCount, message)
        case .retry(let message, let after):
            if task.attempt < maxAttempts {
                (event, reason, runAfterMS) = (.failedRetryable, message, after.milliseconds)
            } else {
                (event, failed, reason) = (.failedFinal, task.rowCount, "gave up after \(task.attempt) attempts: \(message)")
            }
        case .cancelled:
            (event, cancelled) = (.cancelled, task.rowCount)
        case .bisect:
            return nil
        }
    }
}
