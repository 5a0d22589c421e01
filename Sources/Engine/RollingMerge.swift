import BulkPredictCore
import Formats
import Foundation
import JobQueue
import Synchronization

/// Writes a request's result rows while its tasks still run, as soon as every model's chunk for
/// the next records has ended here, so that the merge at the end has only the tail left to write.
///
/// It is an optimisation and never a second source of truth: the merge adopts the rows only when
/// each came from exactly the chunk its plan names (same records, same output file). Anything
/// else (a chunk that failed, ran in another process, or was redone) stops the rows from growing,
/// and a plan that disagrees makes the merge start over. Chunks that ended before this process
/// started are never seen here, so the merge then writes everything, as it would without this.
actor RollingMerge {
    /// What the rows are built from, read once from the store and the stored input.
    private struct Header {
        let schema: ResultSchema
        let inputKey: String
        let recordCount: Int
    }

    /// Most chunks kept waiting for the ones before them.
    static let pendingLimit = 4_096
    /// Most rows one reported chunk makes this write.
    static let rowsPerStep = 50_000

    private let requestID: RequestID
    private let coordinator: Coordinator
    private var header: Header?
    private var loading = false
    /// Set when the rows cannot be continued (an error, or the merge took them).
    private var stopped = false
    private var rows: ResultRows?
    /// Ended chunks not yet written, by model and first record.
    private var pending: [String: [Int: MergePlan.Chunk]] = [:]
    /// When a chunk last arrived; idle rolling merges of other processes' requests are dropped.
    private(set) var lastActivity = ContinuousClock.now

    /// Rows written so far.
    var rowsWritten: Int { rows?.position ?? 0 }

    init(requestID: RequestID, coordinator: Coordinator) {
        self.requestID = requestID
        self.coordinator = coordinator
    }

    /// Notes a chunk that succeeded here (its ending was accepted by the store) and writes every
    /// row that has become complete.
    func chunkSucceeded(_ task: ClaimedTask, outputKey: String) async {
        guard !stopped else { return }
        lastActivity = .now
        pending[task.modelID, default: [:]][task.startRow] = MergePlan.Chunk(
            startRow: task.startRow, rowCount: task.rowCount, state: .succeeded, outputKey: outputKey, error: nil)
        // Chunks that cannot be written yet wait here; when other processes run the chunks in
        // between, they would wait for ever, so past a bound the merge at the end does it all.
        if pending.values.reduce(0, { $0 + $1.count }) > Self.pendingLimit { return stop() }
        if header == nil {
            guard !loading else { return }  // the loader writes what arrived meanwhile
            loading = true
            defer { loading = false }
            do {
                guard let status = try await coordinator.store.status(of: requestID, owner: nil) else { return stop() }
                let models = status.jobs.map { (id: $0.model, version: $0.modelVersion) }
                let schema = try coordinator.resultSchema(for: requestID, models: models, inputKey: task.inputKey)
                header = Header(schema: schema, inputKey: task.inputKey, recordCount: status.recordCount)
            } catch {
                return stop()
            }
        }
        advance()
    }

    /// Moves every model's known chunks into its cursor while they continue it, then writes the
    /// rows that all models now cover.
    private func advance() {
        guard !stopped, let header else { return }
        do {
            let rows = try self.rows ?? openRows(header)
            var end = header.recordCount
            for (cursor, model) in zip(rows.cursors, header.schema.models) {
                while let next = pending[model.id]?.removeValue(forKey: cursor.coveredEnd) { cursor.extend(with: [next]) }
                end = min(end, cursor.coveredEnd)
            }
            // A late chunk can complete many rows at once; writing them holds a thread of the
            // shared pool, so one call writes a bounded number and leaves the rest for the next
            // chunk or the merge.
            if end > rows.position { try rows.write(upTo: min(end, rows.position + Self.rowsPerStep)) }
        } catch {
            coordinator.logger.notice("rolling merge stopped; the merge will write the rows", metadata: ["request": "\(requestID)", "error": "\(error)"])
            stop()
        }
    }

    private func openRows(_ header: Header) throws -> ResultRows {
        let url = try coordinator.blobs.fileURL(for: BlobKeys.resultCSV(requestID.rawValue))
        let rows = try ResultRows(schema: header.schema, inputKey: header.inputKey, resultURL: url, blobs: coordinator.blobs)
        self.rows = rows
        return rows
    }

    private func stop() {
        stopped = true
        rows?.discard()
        rows = nil
        pending = [:]
    }

    /// Hands the rows written so far to the merge of `plan` if they are exactly what it would
    /// write, with the plan's remaining chunks queued on the cursors; otherwise discards them.
    /// Either way this rolling merge is over.
    func adopt(_ plan: MergePlan, schema: ResultSchema) -> ResultRows? {
        let rows = self.rows
        self.rows = nil
        stop()
        guard let rows else { return nil }
        guard rows.schema == schema, rows.inputKey == plan.inputKey, rows.cursors.count == plan.jobs.count,
            zip(rows.cursors, plan.jobs).allSatisfy({ cursor, job in Self.continues(job.chunks, cursor.chunks) })
        else {
            rows.discard()
            return nil
        }
        for (cursor, job) in zip(rows.cursors, plan.jobs) { cursor.extend(with: job.chunks.dropFirst(cursor.chunks.count)) }
        return rows
    }

    /// Whether `planned` begins with the chunks `written`, each succeeded with the same output.
    private static func continues(_ planned: [MergePlan.Chunk], _ written: [MergePlan.Chunk]) -> Bool {
        planned.count >= written.count
            && zip(planned, written).allSatisfy { planned, written in
                planned.state == .succeeded && planned.startRow == written.startRow && planned.rowCount == written.rowCount
                    && planned.outputKey == written.outputKey
            }
    }

    /// Gives up without a merge (the request will be merged elsewhere, or not here).
    func abandon() { stop() }
}

/// The rolling merges of one worker process, by request.
final class RollingMerges: Sendable {
    private struct State {
        var merges: [RequestID: RollingMerge] = [:]
        /// Requests merged here recently: a chunk reported after its merge began must not start a
        /// new rolling merge that nobody would adopt.
        var closed: Set<RequestID> = []
        var closedOrder: [RequestID] = []
    }

    /// Most rolling merges at once; more requests than this simply merge at the end.
    static let limit = 16
    private static let closedMemory = 4_096

    private let state = Mutex(State())
    private let coordinator: Coordinator

    init(coordinator: Coordinator) {
        self.coordinator = coordinator
    }

    /// Reports a chunk whose success the store accepted.
    func chunkSucceeded(_ task: ClaimedTask, outputKey: String) async {
        let merge = state.withLock { state -> RollingMerge? in
            if let merge = state.merges[task.requestID] { return merge }
            guard !state.closed.contains(task.requestID), state.merges.count < Self.limit else { return nil }
            let merge = RollingMerge(requestID: task.requestID, coordinator: coordinator)
            state.merges[task.requestID] = merge
            return merge
        }
        await merge?.chunkSucceeded(task, outputKey: outputKey)
    }

    /// The rolling merge of `id`, if one runs.
    func current(_ id: RequestID) -> RollingMerge? { state.withLock { $0.merges[id] } }

    /// Removes and returns the rolling merge of `id`, if any; later chunks of `id` start none.
    func take(_ id: RequestID) -> RollingMerge? {
        state.withLock { state in
            Self.close(id, in: &state)
            return state.merges.removeValue(forKey: id)
        }
    }

    private static func close(_ id: RequestID, in state: inout State) {
        if state.closed.insert(id).inserted {
            state.closedOrder.append(id)
            if state.closedOrder.count > closedMemory { state.closed.remove(state.closedOrder.removeFirst()) }
        }
    }

    /// Drops rolling merges of requests that have no task here and have had none for `idle`:
    /// their merge happens in another process, or they stalled on a chunk that ran elsewhere.
    func dropIdle(running: Set<RequestID>, idle: Duration) async {
        let candidates = state.withLock { state in state.merges.filter { !running.contains($0.key) } }
        for (id, merge) in candidates where await ContinuousClock.now - merge.lastActivity > idle {
            let removed = state.withLock { state -> RollingMerge? in
                guard state.merges[id] === merge else { return nil }
                // Its chunks so far are gone with it, so a new one could never catch up.
                Self.close(id, in: &state)
                return state.merges.removeValue(forKey: id)
            }
            await removed?.abandon()
        }
    }
}
