import BulkPredictCore
import Hummingbird
import Prometheus

extension APIServer {
    /// Prometheus text exposition of the queue: what an autoscaler needs to start workers from zero
    /// (`bulkpredict_queue_depth`), and what an operator watches.
    ///
    /// Every number comes from the job store, not from this process's memory: with many processes
    /// sharing a database, any one of them reports the whole deployment, and a restart loses
    /// nothing. The registry is built per scrape and only formats.
    func metrics() async throws -> Response {
        let statistics = try await coordinator.store.statistics()
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: Self.metric("queue_depth", help: "Tasks of live requests that are waiting or running."))
            .set(Int64(statistics.tasks.filter { !$0.key.isTerminal }.values.reduce(0, +)))
        for state in TaskState.allCases {
            registry.makeGauge(descriptor: Self.metric("tasks", help: "Tasks of live requests, by state."), labels: [("state", state.rawValue)])
                .set(Int64(statistics.tasks[state] ?? 0))
        }
        for state in RequestState.allCases {
            registry.makeGauge(descriptor: Self.metric("requests", help: "Requests, by state."), labels: [("state", state.rawValue)])
                .set(Int64(statistics.requests[state] ?? 0))
        }
        let totals = statistics.totals
        let counters: [(String, String, Int)] = [
            ("tasks_completed", "Tasks that ended with an output.", totals.tasksCompleted),
            ("tasks_failed", "Tasks that failed for good; their records became error rows.", totals.tasksFailed),
            ("tasks_rescued", "Tasks run again because their worker stopped renewing its lease.", totals.tasksRescued),
            ("records_processed", "Records that went through a model, with a value or an error.", totals.recordsProcessed),
            ("fenced_writes_rejected", "Writes refused because their lease or merge token was stale.", totals.fencedWritesRejected),
        ]
        for (name, help, value) in counters {
            registry.makeCounter(descriptor: Self.metric(name, unit: "total", help: help)).increment(by: Int64(value))
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// `bulkpredict_<name>[_<unit>]`.
    static func metric(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "bulkpredict", metricName: name, unitName: unit, helpText: help)
    }
}
