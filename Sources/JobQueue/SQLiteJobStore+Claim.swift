import BulkPredictCore
import Foundation
import GRDB

extension SQLiteJobStore {
    public func claim(workerID: String, lease: Duration) async throws -> ClaimedTask? {
        let leaseMS = lease.milliseconds
        let token = UUID().uuidString
        let cap = maxRunningTasks
        return try await immediate { db in
            if let cap, try db.value(Int.self, cached: "SELECT COUNT(*) FROM tasks WHERE state = 'running'") ?? 0 >= cap {
                return nil
            }
            // The owner whose last claim is oldest first, then the oldest request (rowid breaks ties
            // within a millisecond), skipping requests that already run `max_parallel` tasks or may
            // not run at all (cancelling); then that request's lowest waiting task. Picking the
            // request first keeps the query cheap however many tasks wait.
            let claimable = SQL.list(Lifecycle.sources(of: TaskEvent.claimed))
            let working = SQL.list([RequestState.queued, .running])
            guard
                let row = try db.row(
                    cached: """
                        SELECT t.id, t.request_id, t.start_row, t.row_count, t.input_offset, t.attempt,
                               t.base_output_key, t.retries_failed_only,
                               j.id AS job_id, j.model_id, j.state AS job_state,
                               r.input_key, r.state AS request_state, r.owner
                        FROM requests r
                        LEFT JOIN owner_turns o ON o.owner = r.owner
                        JOIN tasks t ON t.id = (
                            SELECT w.id FROM tasks w
                            WHERE w.request_id = r.id AND w.state IN \(claimable) AND w.run_after <= \(Self.now)
                            -- (state, id) is the order of the (request_id, state) index, so this reads one
                            -- entry instead of sorting every waiting task; fresh tasks come before retries.
                            ORDER BY w.state, w.id LIMIT 1)
                        JOIN jobs j ON j.id = t.job_id
                        WHERE r.state IN \(working)
                          AND (SELECT COUNT(*) FROM tasks x WHERE x.request_id = r.id AND x.state = 'running') < r.max_parallel
                        ORDER BY COALESCE(o.turn, 0), r.created_at, r.rowid
                        LIMIT 1
                        """)
            else { return nil }
            let taskID: Int64 = row["id"]
            let requestID: String = row["request_id"]
            try db.execute(
                cached: """
                    UPDATE tasks SET state = ?, attempt = attempt + 1, lease_token = ?,
                        lease_expires_at = \(Self.now) + ?, worker_id = ?, started_at = \(Self.now)
                    WHERE id = ?
                    """, [TaskState.running.rawValue, token, leaseMS, workerID, taskID])
            if let state = RequestState(rawValue: row["request_state"]), state == .queued {
                let next = try Lifecycle.next(state, on: .workStarted)
                // A request queued again by a retry keeps the time its work first started, as in
                // the PostgreSQL store.
                try db.execute(
                    cached: "UPDATE requests SET state = ?, started_at = COALESCE(started_at, \(Self.now)) WHERE id = ?", [next.rawValue, requestID])
            }
            if let state = JobState(rawValue: row["job_state"]), state == .queued {
                try db.execute(
                    cached: "UPDATE jobs SET state = ? WHERE id = ?",
                    [try Lifecycle.next(state, on: .workStarted).rawValue, row["job_id"] as Int64])
            }
            try Self.bumpRevision(db, requestID)
            // The owner goes to the back of the line.
            try db.execute(
                cached: """
                    INSERT INTO owner_turns (owner, turn) VALUES (?, (SELECT COALESCE(MAX(turn), 0) + 1 FROM owner_turns))
                    ON CONFLICT (owner) DO UPDATE SET turn = excluded.turn
                    """, [row["owner"] as String])
            guard let id = RequestID(requestID) else { return nil }
            return ClaimedTask(
                taskID: taskID, requestID: id, modelID: row["model_id"], inputKey: row["input_key"],
                startRow: row["start_row"], rowCount: row["row_count"], inputOffset: UInt64(row["input_offset"] as Int64),
                attempt: (row["attempt"] as Int) + 1, leaseToken: token, baseOutputKey: row["base_output_key"],
                retriesFailedOnly: row["retries_failed_only"])
        }
    }

    public func heartbeat(_ task: ClaimedTask, lease: Duration) async throws -> Bool {
        let leaseMS = lease.milliseconds
        return try await immediate { db in
            try db.execute(
                cached: "UPDATE tasks SET lease_expires_at = \(Self.now) + ? WHERE id = ? AND lease_token = ? AND state = 'running'",
                [leaseMS, task.taskID, task.leaseToken])
            guard db.changesCount == 1 else {
                try Self.count(db, .fenced)
                return false
            }
            return true
        }
    }

    public func release(_ task: ClaimedTask) async throws {
        try await immediate { db in
            // Giving a task back is not a failed attempt, so the attempt counter is restored.
            try db.execute(
                cached: """
                    UPDATE tasks SET state = ?, attempt = attempt - 1, lease_token = NULL, lease_expires_at = NULL,
                        worker_id = NULL
                    WHERE id = ? AND lease_token = ? AND state IN \(SQL.list(Lifecycle.sources(of: TaskEvent.released)))
                    """, [try Lifecycle.next(TaskState.running, on: .released).rawValue, task.taskID, task.leaseToken])
            if db.changesCount == 1 {
                try Self.bumpRevision(db, task.requestID.rawValue)
                // The released task may have been the last one running of a cancelling request.
                try Self.drainIfCancelling(db, requestID: task.requestID.rawValue)
            }
        }
    }

    public func rescueExpiredLeases(retryAfter: Duration) async throws -> Int {
        let retryMS = retryAfter.milliseconds
        return try await immediate { db in
            let expired = SQL.list(Lifecycle.sources(of: TaskEvent.leaseExpired))
            // Tasks whose model allows no further attempt fail for good: a chunk that kills its
            // worker every time must not take the queue down with it.
            let exhausted = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.request_id, t.job_id, t.row_count, t.attempt FROM tasks t JOIN jobs j ON j.id = t.job_id
                    WHERE t.state IN \(expired) AND t.lease_expires_at < \(Self.now) AND t.attempt >= j.max_attempts
                    """
            ).map { (id: $0["id"] as Int64, request: $0["request_id"] as String, job: $0["job_id"] as Int64, rows: $0["row_count"] as Int, attempt: $0["attempt"] as Int) }
            let failed = try Lifecycle.next(TaskState.running, on: .failedFinal)
            for task in exhausted {
                try db.execute(
                    cached: """
                        UPDATE tasks SET state = ?, failed = row_count, error = ?, finished_at = \(Self.now),
                            lease_token = NULL, lease_expires_at = NULL, worker_id = NULL
                        WHERE id = ?
                        """,
                    [failed.rawValue, "gave up after \(task.attempt) attempts: the worker running this chunk stopped answering", task.id])
                try db.execute(cached: "UPDATE jobs SET failed = failed + ? WHERE id = ?", [task.rows, task.job])
            }
            let retrying = try Lifecycle.next(TaskState.running, on: .leaseExpired)
            let requestIDs = try String.fetchAll(
                db,
                sql: """
                    UPDATE tasks SET state = ?, run_after = \(Self.now) + ?, lease_token = NULL, lease_expires_at = NULL,
                        worker_id = NULL, error = 'the worker running this chunk stopped answering'
                    WHERE state IN \(expired) AND lease_expires_at < \(Self.now)
                    RETURNING request_id
                    """,
                arguments: [retrying.rawValue, retryMS])
            if requestIDs.count + exhausted.count > 0 { try Self.count(db, .rescued, by: requestIDs.count + exhausted.count) }
            for id in Set(requestIDs + exhausted.map(\.request)) {
                try Self.bumpRevision(db, id)
                // A cancelling request whose last running task died is drained now.
                try Self.drainIfCancelling(db, requestID: id)
            }
            return requestIDs.count + exhausted.count
        }
    }

    /// Adds `amount` to a monitoring total, in the caller's transaction.
    static func count(_ db: Database, _ counter: SQL.Counter, by amount: Int = 1) throws {
        try db.execute(cached: SQL.bumpCounter, [counter.rawValue, amount])
    }

    static func bumpRevision(_ db: Database, _ requestID: String) throws {
        try db.execute(cached: "UPDATE requests SET revision = revision + 1 WHERE id = ?", [requestID])
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
