import BulkPredictCore
import PostgresNIO

extension PostgresJobStore {
    public func finish(_ task: ClaimedTask, as ending: TaskEnding) async throws -> FinishReceipt {
        try await transaction { db in
            let refused = FinishReceipt(accepted: false, requestReadyToMerge: false)
            guard try await Self.lockRequest(db, task.requestID.rawValue, owner: nil, logger: logger) != nil else { return refused }
            if case .bisect(let message, let splitRow, let splitOffset, let baseOutputKeys) = ending {
                guard splitRow > task.startRow, splitRow < task.startRow + task.rowCount else {
                    throw PostgresStoreError("split row \(splitRow) is not inside the task")
                }
                let accepted = try await Self.bisect(
                    db, task, reason: message, splitRow: splitRow, splitOffset: splitOffset, baseOutputKeys: baseOutputKeys, logger: logger)
                if !accepted { try await Self.count(db, .fenced, logger: logger) }
                return FinishReceipt(accepted: accepted, requestReadyToMerge: false)
            }
            var limit = 0
            if EndingEffect.needsAttemptLimit(ending) {
                let row = try await db.row(
                    "SELECT j.max_attempts FROM jobs j JOIN tasks t ON t.job_id = j.id WHERE t.id = \(task.taskID)", logger: logger)
                limit = try row?.get("max_attempts", as: Int.self) ?? 1
            }
            guard let effect = EndingEffect(ending, of: task, maxAttempts: limit) else { return refused }
            let next = try Lifecycle.next(TaskState.running, on: effect.event)
            // The lease token fences the write: a worker whose claim was taken over changes nothing.
            let changed = try await db.row(
                """
                UPDATE tasks SET state = \(next.rawValue), output_key = \(effect.outputKey), succeeded = \(effect.succeeded),
                    failed = \(effect.failed), error = \(effect.reason),
                    finished_at = CASE WHEN \(next.isTerminal) THEN \(unescaped: Self.now) END,
                    run_after = \(unescaped: Self.now) + \(effect.runAfterMS), lease_token = NULL, lease_expires_at = NULL
                WHERE id = \(task.taskID) AND lease_token = \(task.leaseToken) AND state = 'running'
                RETURNING job_id
                """, logger: logger)
            guard let changed else {
                try await Self.count(db, .fenced, logger: logger)
                return refused
            }
            try await db.run(
                """
                UPDATE jobs SET succeeded = succeeded + \(effect.succeeded), failed = failed + \(effect.failed), cancelled = cancelled + \(effect.cancelled)
                WHERE id = \(try changed.get("job_id", as: Int64.self))
                """, logger: logger)
            try await db.run("UPDATE requests SET revision = revision + 1 WHERE id = \(task.requestID.rawValue)", logger: logger)
            try await Self.drainIfCancelling(db, requestID: task.requestID.rawValue, logger: logger)
            let ready = try await Self.isReadyToMerge(db, task.requestID.rawValue, logger: logger)
            // Idle workers elsewhere wait for the request's last task before they may exit (or
            // take over its merge); telling them now spares them their next poll.
            if ready { try await Self.announceWork(db, logger: logger) }
            return FinishReceipt(accepted: true, requestReadyToMerge: ready)
        }
    }

    /// Replaces a running task by its two halves (fenced by the lease token); the old task stays,
    /// superseded, as history. Returns whether the claim was current.
    static func bisect(
        _ db: PostgresConnection, _ task: ClaimedTask, reason: String, splitRow: Int, splitOffset: UInt64, baseOutputKeys: [String]?,
        logger: Logger
    ) async throws -> Bool {
        let split = try await db.changes(
            """
            UPDATE tasks SET state = \(try Lifecycle.next(TaskState.running, on: .failedFinal).rawValue), superseded = TRUE,
                error = \("split in two after: \(reason)"), finished_at = \(unescaped: now), lease_token = NULL,
                lease_expires_at = NULL
            WHERE id = \(task.taskID) AND lease_token = \(task.leaseToken) AND state = 'running'
            RETURNING id
            """, logger: logger)
        guard split == 1 else { return false }
        let bases = baseOutputKeys?.count == 2 ? baseOutputKeys ?? [] : []
        try await db.run(
            """
            INSERT INTO tasks (request_id, job_id, state, start_row, row_count, input_offset, base_output_key, retries_failed_only)
            SELECT request_id, job_id, \(TaskState.queued.rawValue), half.s, half.c, half.o, half.b, half.b IS NOT NULL
            FROM tasks,
                 (VALUES (\(task.startRow)::bigint, \(splitRow - task.startRow)::bigint, \(Int64(task.inputOffset))::bigint, \(bases.first)::text),
                         (\(splitRow)::bigint, \(task.startRow + task.rowCount - splitRow)::bigint, \(Int64(splitOffset))::bigint, \(bases.last)::text))
                 AS half (s, c, o, b)
            WHERE tasks.id = \(task.taskID)
            """, logger: logger)
        try await db.run("UPDATE requests SET revision = revision + 1 WHERE id = \(task.requestID.rawValue)", logger: logger)
        return true
    }

    /// Whether every task has ended and the request still waits for its merge.
    static func isReadyToMerge(_ db: PostgresConnection, _ requestID: String, logger: Logger) async throws -> Bool {
        let row = try await db.row(
            "SELECT EXISTS (SELECT 1 FROM requests r WHERE r.id = \(requestID) AND \(unescaped: SQL.mergeable("r", now: now))) AS ready",
            logger: logger)
        return try row?.get("ready", as: Bool.self) ?? false
    }

    public func pendingTaskCount() async throws -> Int {
        let rows = try await read(
            """
            SELECT COUNT(*) AS n FROM tasks t JOIN requests r ON r.id = t.request_id
            WHERE t.state IN \(unescaped: SQL.liveTasks) AND r.state IN ('queued', 'running')
            """)
        return try rows.first?.get("n", as: Int.self) ?? 0
    }

    public func statistics() async throws -> QueueStatistics {
        try await snapshot { db in
            var tasks: [TaskState: Int] = [:]
            for row in try await db.rows(
                """
                SELECT t.state, COUNT(*) AS n FROM tasks t JOIN requests r ON r.id = t.request_id
                WHERE r.state IN ('queued', 'running') AND NOT t.superseded
                GROUP BY t.state
                """, logger: logger)
            {
                if let state = TaskState(rawValue: try row.get("state")) { tasks[state] = try row.get("n") }
            }
            var requests: [RequestState: Int] = [:]
            for row in try await db.rows("SELECT state, COUNT(*) AS n FROM requests GROUP BY state", logger: logger) {
                if let state = RequestState(rawValue: try row.get("state")) { requests[state] = try row.get("n") }
            }
            let row = try await db.row(PostgresQuery(unsafeSQL: SQL.totals), logger: logger)
            let totals = QueueTotals(
                tasksCompleted: try row?.get("completed") ?? 0, tasksFailed: try row?.get("failed") ?? 0,
                tasksRescued: try row?.get("rescued", as: Int.self) ?? 0, recordsProcessed: try row?.get("records", as: Int.self) ?? 0,
                fencedWritesRejected: try row?.get("fenced", as: Int.self) ?? 0)
            return QueueStatistics(tasks: tasks, requests: requests, totals: totals)
        }
    }
}
