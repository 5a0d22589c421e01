import BulkPredictCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    public func claim(workerID: String, lease: Duration) async throws -> ClaimedTask? {
        let token = UUID().uuidString
        return try await transaction { db in
            // Claims take turns: counts of running tasks only grow by claims, so a count read here
            // can only be too high, never too low, and the caps hold across every process.
            // A claim need not survive a database crash: a lost claim puts the task back in the
            // queue, and the finish of the worker that thought it held it is then refused by its
            // token, so the work simply runs again. Not waiting for the WAL flush here releases the
            // claim lock sooner, which is what bounds claims per second. Endings stay synchronous.
            try await db.run("SET LOCAL synchronous_commit TO OFF", logger: logger)
            try await db.run("SELECT pg_advisory_xact_lock(\(Self.claimLock))", logger: logger)
            if let cap = maxRunningTasks {
                let running = try await db.row("SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'", logger: logger)
                if try (running?.get("n", as: Int.self) ?? 0) >= cap { return nil }
            }
            // A request being finished or cancelled right now is skipped rather than waited for;
            // only when it is the one request with work does the claim wait for its lock.
            var next = try await Self.nextRequest(db, skipLocked: true, logger: logger)
            if next == nil { next = try await Self.nextRequest(db, skipLocked: false, logger: logger) }
            guard let request = next else { return nil }
            let claimable = SQL.list(Lifecycle.sources(of: TaskEvent.claimed))
            // A fresh statement sees every commit up to the lock: the task is still waiting, and the
            // request still accepts work (a cancel that committed first wins).
            guard
                let row = try await db.row(
                    """
                    UPDATE tasks t SET state = 'running', attempt = t.attempt + 1, lease_token = \(token),
                        lease_expires_at = \(unescaped: Self.now) + \(lease.milliseconds), worker_id = \(workerID),
                        started_at = \(unescaped: Self.now)
                    FROM jobs j, requests r
                    WHERE t.id = (SELECT w.id FROM tasks w
                                  WHERE w.request_id = \(request) AND w.state IN \(unescaped: claimable)
                                    AND w.run_after <= \(unescaped: Self.now)
                                  ORDER BY w.state, w.id LIMIT 1)
                      AND j.id = t.job_id AND r.id = t.request_id AND r.state IN ('queued', 'running')
                    RETURNING t.id, t.start_row, t.row_count, t.input_offset, t.attempt, t.base_output_key,
                              t.retries_failed_only, j.id AS job_id, j.model_id, j.state AS job_state,
                              r.input_key, r.state AS request_state, r.owner
                    """, logger: logger)
            else { return nil }
            let requestState = RequestState(rawValue: try row.get("request_state"))
            let started = requestState == .queued ? try Lifecycle.next(RequestState.queued, on: .workStarted) : requestState
            try await db.run(
                """
                UPDATE requests SET state = \(started?.rawValue ?? RequestState.running.rawValue),
                    started_at = COALESCE(started_at, \(unescaped: Self.now)), revision = revision + 1
                WHERE id = \(request)
                """, logger: logger)
            if JobState(rawValue: try row.get("job_state")) == .queued {
                try await db.run(
                    """
                    UPDATE jobs SET state = \(try Lifecycle.next(JobState.queued, on: .workStarted).rawValue)
                    WHERE id = \(try row.get("job_id", as: Int64.self))
                    """, logger: logger)
            }
            // The owner goes to the back of the line.
            try await db.run(
                """
                INSERT INTO owner_turns (owner, turn)
                VALUES (\(try row.get("owner", as: String.self)), (SELECT COALESCE(MAX(turn), 0) + 1 FROM owner_turns))
                ON CONFLICT (owner) DO UPDATE SET turn = excluded.turn
                """, logger: logger)
            guard let id = RequestID(request) else { return nil }
            return ClaimedTask(
                taskID: try row.get("id"), requestID: id, modelID: try row.get("model_id"), inputKey: try row.get("input_key"),
                startRow: try row.get("start_row"), rowCount: try row.get("row_count"),
                inputOffset: UInt64(try row.get("input_offset", as: Int64.self)), attempt: try row.get("attempt"),
                leaseToken: token, baseOutputKey: try row.get("base_output_key"), retriesFailedOnly: try row.get("retries_failed_only"))
        }
    }

    /// The request whose task runs next, its row locked: the owner whose last claim is oldest
    /// first, then the oldest request; only requests below their `max_parallel` with a task whose
    /// backoff has passed.
    static func nextRequest(_ db: PostgresConnection, skipLocked: Bool, logger: Logger) async throws -> String? {
        let claimable = SQL.list(Lifecycle.sources(of: TaskEvent.claimed))
        let row = try await db.row(
            """
            SELECT r.id FROM requests r
            LEFT JOIN owner_turns o ON o.owner = r.owner
            WHERE r.state IN ('queued', 'running')
              AND EXISTS (SELECT 1 FROM tasks w WHERE w.request_id = r.id AND w.state IN \(unescaped: claimable)
                          AND w.run_after <= \(unescaped: now))
              AND (SELECT COUNT(*) FROM tasks x WHERE x.request_id = r.id AND x.state = 'running') < r.max_parallel
            ORDER BY COALESCE(o.turn, 0), r.created_at, r.seq
            LIMIT 1
            FOR UPDATE OF r \(unescaped: skipLocked ? "SKIP LOCKED" : "")
            """, logger: logger)
        return try row?.get("id", as: String.self)
    }

    public func heartbeat(_ task: ClaimedTask, lease: Duration) async throws -> Bool {
        try await transaction { db in
            // A lost extension costs at most a rescue of a task that was fine; no need to wait for disk.
            try await db.run("SET LOCAL synchronous_commit TO OFF", logger: logger)
            let changed = try await db.changes(
                """
                UPDATE tasks SET lease_expires_at = \(unescaped: Self.now) + \(lease.milliseconds)
                WHERE id = \(task.taskID) AND lease_token = \(task.leaseToken) AND state = 'running'
                RETURNING id
                """, logger: logger)
            if changed == 0 { try await Self.count(db, .fenced, logger: logger) }
            return changed == 1
        }
    }

    public func release(_ task: ClaimedTask) async throws {
        try await transaction { db in
            guard try await Self.lockRequest(db, task.requestID.rawValue, owner: nil, logger: logger) != nil else { return }
            // Giving a task back is not a failed attempt, so the attempt counter is restored.
            let released = try await db.changes(
                """
                UPDATE tasks SET state = \(try Lifecycle.next(TaskState.running, on: .released).rawValue),
                    attempt = attempt - 1, lease_token = NULL, lease_expires_at = NULL, worker_id = NULL
                WHERE id = \(task.taskID) AND lease_token = \(task.leaseToken)
                  AND state IN \(unescaped: SQL.list(Lifecycle.sources(of: TaskEvent.released)))
                RETURNING id
                """, logger: logger)
            guard released == 1 else { return }
            try await db.run("UPDATE requests SET revision = revision + 1 WHERE id = \(task.requestID.rawValue)", logger: logger)
            // The released task may have been the last one running of a cancelling request.
            try await Self.drainIfCancelling(db, requestID: task.requestID.rawValue, logger: logger)
            try await Self.announceWork(db, logger: logger)
        }
    }

    public func rescueExpiredLeases(retryAfter: Duration) async throws -> Int {
        try await transaction { db in
            let expired = SQL.list(Lifecycle.sources(of: TaskEvent.leaseExpired))
            // Requests are locked in id order, the one order every multi-request lock follows.
            let requests = try await db.rows(
                """
                SELECT id FROM requests WHERE id IN (
                    SELECT request_id FROM tasks WHERE state IN \(unescaped: expired) AND lease_expires_at < \(unescaped: Self.now))
                ORDER BY id FOR UPDATE
                """, logger: logger
            ).map { try $0.get("id", as: String.self) }
            guard !requests.isEmpty else { return 0 }
            // Tasks whose model allows no further attempt fail for good: a chunk that kills its
            // worker every time must not take the queue down with it.
            let failed = try Lifecycle.next(TaskState.running, on: .failedFinal)
            let exhausted = try await db.rows(
                """
                WITH given_up AS (
                    UPDATE tasks t SET state = \(failed.rawValue), failed = t.row_count, finished_at = \(unescaped: Self.now),
                        error = 'gave up after ' || t.attempt || ' attempts: the worker running this chunk stopped answering',
                        lease_token = NULL, lease_expires_at = NULL, worker_id = NULL
                    FROM jobs j
                    WHERE j.id = t.job_id AND t.request_id = ANY(\(requests)::text[]) AND t.state IN \(unescaped: expired)
                      AND t.lease_expires_at < \(unescaped: Self.now) AND t.attempt >= j.max_attempts
                    RETURNING t.job_id, t.row_count
                ), counted AS (
                    UPDATE jobs j SET failed = j.failed + g.rows
                    FROM (SELECT job_id, SUM(row_count) AS rows FROM given_up GROUP BY job_id) g
                    WHERE j.id = g.job_id
                )
                SELECT job_id FROM given_up
                """, logger: logger)
            let retrying = try Lifecycle.next(TaskState.running, on: .leaseExpired)
            let moved = try await db.changes(
                """
                UPDATE tasks SET state = \(retrying.rawValue), run_after = \(unescaped: Self.now) + \(retryAfter.milliseconds),
                    lease_token = NULL, lease_expires_at = NULL, worker_id = NULL,
                    error = 'the worker running this chunk stopped answering'
                WHERE request_id = ANY(\(requests)::text[]) AND state IN \(unescaped: expired)
                  AND lease_expires_at < \(unescaped: Self.now)
                RETURNING id
                """, logger: logger)
            for id in requests {
                try await db.run("UPDATE requests SET revision = revision + 1 WHERE id = \(id)", logger: logger)
                // A cancelling request whose last running task died is drained now.
                try await Self.drainIfCancelling(db, requestID: id, logger: logger)
            }
            if moved > 0 { try await Self.announceWork(db, logger: logger) }
            if moved + exhausted.count > 0 { try await Self.count(db, .rescued, by: moved + exhausted.count, logger: logger) }
            return moved + exhausted.count
        }
    }
}
