import BulkPredictCore
import GRDB

extension SQLiteJobStore {
    public func cancel(_ id: RequestID, owner: String?) async throws -> CancelOutcome {
        try await immediate { db in
            guard let state = try Self.state(db, of: id, owner: owner) else { return .notFound }
            let next: RequestState
            do { next = try Lifecycle.next(state, on: .cancelRequested) } catch { return .alreadyFinished(state) }
            if next != state {
                try db.execute(cached: "UPDATE requests SET state = ? WHERE id = ?", [next.rawValue, id.rawValue])
                try Self.bumpRevision(db, id.rawValue)
            }
            try Self.drainIfCancelling(db, requestID: id.rawValue)
            let now = try db.value(String.self, cached: "SELECT state FROM requests WHERE id = ?", [id.rawValue])
            return .accepted(now.flatMap(RequestState.init(rawValue:)) ?? next)
        }
    }

    /// The state of a request as its owner sees it: `nil` for an unknown id or another owner's.
    static func state(_ db: Database, of id: RequestID, owner: String?) throws -> RequestState? {
        guard
            let row = try db.row(cached: "SELECT owner, state FROM requests WHERE id = ?", [id.rawValue]),
            owner == nil || owner == row["owner"]
        else { return nil }
        return RequestState(rawValue: row["state"])
    }

    /// For a cancelling request: drops every waiting task, and once no task is running any more
    /// moves the request and its jobs to `cancelled`.
    static func drainIfCancelling(_ db: Database, requestID: String) throws {
        guard
            let raw = try db.value(String.self, cached: "SELECT state FROM requests WHERE id = ?", [requestID]),
            RequestState(rawValue: raw) == .cancelling
        else { return }
        let waiting = SQL.list([TaskState.queued, .retrying])
        // Count the dropped records per job before the tasks change state.
        try db.execute(
            cached: """
                UPDATE jobs SET cancelled = cancelled + (
                    SELECT COALESCE(SUM(row_count), 0) FROM tasks WHERE tasks.job_id = jobs.id AND tasks.state IN \(waiting))
                WHERE request_id = ?
                """, [requestID])
        try db.execute(
            cached: "UPDATE tasks SET state = ?, finished_at = \(Self.now) WHERE request_id = ? AND state IN \(waiting)",
            [try Lifecycle.next(TaskState.queued, on: .cancelled).rawValue, requestID])
        let running =
            try db.value(Int.self, cached: "SELECT COUNT(*) FROM tasks WHERE request_id = ? AND state = 'running'", [requestID]) ?? 0
        guard running == 0 else { return }
        try db.execute(
            // A merge that was under way when the cancel came loses its token: it may not announce.
            cached: "UPDATE requests SET state = ?, finished_at = \(Self.now), merge_token = NULL, merge_expires_at = NULL WHERE id = ?",
            [try Lifecycle.next(RequestState.cancelling, on: .cancelDrained).rawValue, requestID])
        try db.execute(
            cached: "UPDATE jobs SET state = ? WHERE request_id = ? AND state IN \(SQL.list(Lifecycle.sources(of: JobEvent.cancelled)))",
            [try Lifecycle.next(JobState.running, on: .cancelled).rawValue, requestID])
        try bumpRevision(db, requestID)
    }
}
