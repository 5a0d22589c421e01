import BulkPredictCore
import Hummingbird

extension APIServer {
    /// Prometheus text exposition of the queue: what an autoscaler needs to start workers from zero
    /// (`bulkpredict_queue_depth`), and what an operator watches.
    func metrics() async throws -> Response {
        let statistics = try await coordinator.store.statistics()
        var text = """
            # HELP bulkpredict_queue_depth Tasks of live requests that are waiting or running.
            # TYPE bulkpredict_queue_depth gauge
            bulkpredict_queue_depth \(statistics.tasks.filter { !$0.key.isTerminal }.values.reduce(0, +))
            # HELP bulkpredict_tasks Tasks of live requests, by state.
            # TYPE bulkpredict_tasks gauge

            """
        for state in TaskState.allCases {
            text += "bulkpredict_tasks{state=\"\(state.rawValue)\"} \(statistics.tasks[state] ?? 0)\n"
        }
        text += "# HELP bulkpredict_requests Requests, by state.\n# TYPE bulkpredict_requests gauge\n"
        for state in RequestState.allCases {
            text += "bulkpredict_requests{state=\"\(state.rawValue)\"} \(statistics.requests[state] ?? 0)\n"
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
