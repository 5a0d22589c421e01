import BulkPredictCore
import GRDB

extension SQLiteJobStore {
    public func finish(_ task: ClaimedTask, as ending: TaskEnding) async throws -> FinishReceipt {
        try await immediate { db in
            if case .bisect(let message, let splitRow, let splitOffset, let baseOutputKeys) = ending {
                guard splitRow > task.startRow, splitRow < task.startRow + task.rowCount else {
                    throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "split row \(splitRow) is not inside the task")
                }
                let accepted = try Self.bisect(
                    db, task, reason: message, splitRow: splitRow, splitOffset: splitOffset, baseOutputKeys: baseOutputKeys)
                if !accepted { try Self.count(db, .fenced) }
                return FinishReceipt(accepted: accepted, requestReadyToMerge: false)
            }
            let limit =
                EndingEffect.needsAttemptLimit(ending)
                ? try db.value(Int.self, cached: "SELECT j.max_attempts FROM jobs j JOIN tasks t ON t.job_id = j.id WHERE t.id = ?", [task.taskID]) ?? 1
                : 0
            guard let effect = EndingEffect(ending, of: task, maxAttempts: limit) else { return FinishReceipt(accepted: false, requestReadyToMerge: false) }
            let next = try Lifecycle.next(TaskState.running, on: effect.event)
            // The lease token fences the write: a worker whose claim was taken over changes nothing.
            try db.execute(
                cached: """
                    UPDATE tasks SET state = ?, output_key = ?, succeeded = ?, failed = ?, error = ?,
                        finished_at = CASE WHEN ? THEN \(Self.now) END, run_after = \(Self.now) + ?,
                        lease_token = NULL, lease_expires_at = NULL
                    WHERE id = ? AND lease_token = ? AND state = 'running'
                    """, [
                    next.rawValue, effect.outputKey, effect.succeeded, effect.failed, effect.reason, next.isTerminal, effect.runAfterMS,
                    task.taskID, task.leaseToken,
                ])
            guard db.changesCount == 1 else {
                try Self.count(db, .fenced)
                return FinishReceipt(accepted: false, requestReadyToMerge: false)
            }
            try db.execute(
                cached: """
                    UPDATE jobs SET succeeded = succeeded + ?, failed = failed + ?, cancelled = cancelled + ?
                    WHERE id = (SELECT job_id FROM tasks WHERE id = ?)
                    """, [effect.succeeded, effect.failed, effect.cancelled, task.taskID])
            try Self.bumpRevision(db, task.requestID.rawValue)
            try Self.drainIfCancelling(db, requestID: task.requestID.rawValue)
            return FinishReceipt(accepted: true, requestReadyToMerge: try Self.isReadyToMerge(db, task.requestID.rawValue))
        }
    }

    /// Replaces a running task by its two halves (fenced by the lease token); the old task stays,
    /// superseded, as history. Returns whether the claim was current.
    static func bisect(
        _ db: Database, _ task: ClaimedTask, reason: String, splitRow: Int, splitOffset: UInt64, baseOutputKeys: [String]?
    ) throws -> Bool {
        try db.execute(
            cached: """
                UPDATE tasks SET state = ?, superseded = 1, error = ?, finished_at = \(Self.now), lease_token = NULL,
                    lease_expires_at = NULL
                WHERE id = ? AND lease_token = ? AND state = 'running'
                """,
            [try Lifecycle.next(TaskState.running, on: .failedFinal).rawValue, "split in two after: \(reason)", task.taskID, task.leaseToken])
        guard db.changesCount == 1 else { return false }
        let bases = baseOutputKeys?.count == 2 ? baseOutputKeys ?? [] : []
        let halves = [
            (task.startRow, splitRow - task.startRow, task.inputOffset, bases.first),
            (splitRow, task.startRow + task.rowCount - splitRow, splitOffset, bases.last),
        ]
        for (start, count, offset, base) in halves {
            try db.execute(
                cached: """
                    INSERT INTO tasks (request_id, job_id, state, start_row, row_count, input_offset, base_output_key,
                                       retries_failed_only)
                    SELECT request_id, job_id, ?, ?, ?, ?, ?, ? FROM tasks WHERE id = ?
                    """,
                [TaskState.queued.rawValue, start, count, Int64(offset), base, base != nil, task.taskID])
        }
        try bumpRevision(db, task.requestID.rawValue)
        return true
    }

    /// Whether every task has ended and the request still waits for its merge.
    static func isReadyToMerge(_ db: Database, _ requestID: String) throws -> Bool {
        try db.value(Bool.self, cached: "SELECT EXISTS (SELECT 1 FROM requests r WHERE r.id = ? AND \(SQL.mergeable("r", now: Self.now)))", [requestID])
            ?? false
    }

    public func pendingTaskCount() async throws -> Int {
        try await pool.read { db in
            try db.value(
                Int.self,
                cached: """
                    SELECT COUNT(*) FROM tasks t JOIN requests r ON r.id = t.request_id
                    WHERE t.state IN \(SQL.liveTasks) AND r.state IN \(SQL.list([RequestState.queued, .running]))
                    """) ?? 0
        }
    }

    public func statistics() async throws -> QueueStatistics {
        try await pool.read { db in
            var tasks: [TaskState: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.state, COUNT(*) AS n FROM tasks t JOIN requests r ON r.id = t.request_id
                    WHERE r.state IN \(SQL.list([RequestState.queued, .running])) AND t.superseded = 0
                    GROUP BY t.state
                    """)
            {
                if let state = TaskState(rawValue: row["state"]) { tasks[state] = row["n"] }
            }
            var requests: [RequestState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM requests GROUP BY state") {
                if let state = RequestState(rawValue: row["state"]) { requests[state] = row["n"] }
            }
            let row = try Row.fetchOne(db, sql: SQL.totals)
            let totals = QueueTotals(
                tasksCompleted: row?["completed"] ?? 0, tasksFailed: row?["failed"] ?? 0, tasksRescued: row?["rescued"] ?? 0,
                recordsProcessed: row?["records"] ?? 0, fencedWritesRejected: row?["fenced"] ?? 0)
            return QueueStatistics(tasks: tasks, requests: requests, totals: totals)
        }
    }

    public func cancelled(among ids: [RequestID]) async throws -> Set<RequestID> {
        guard !ids.isEmpty else { return [] }
        return try await pool.read { db in
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let rows = try String.fetchAll(
                db,
                sql:
                    "SELECT id FROM requests WHERE id IN (\(placeholders)) AND state IN \(SQL.list([RequestState.cancelling, .cancelled]))",
                arguments: StatementArguments(ids.map(\.rawValue)))
            return Set(rows.compactMap { RequestID($0) })
        }
    }
}
