import ArgumentParser
import BulkPredictCore
import Formats
import Foundation
import Models

/// `bulkpredict bench-model`: the bare loop of one model over a file, with no engine around it.
///
/// The benchmark script compares it with `predict` on the same input to measure what the
/// orchestration (stored input, tasks, chunk files, merge) costs.
struct BenchModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-model", abstract: "Time one model's bare loop over a file (for benchmarks).", shouldDisplay: false)

    @Argument(help: "Input file.") var input: String
    @Option(help: "Model id.") var model: String
    @Option(help: "Records per batch handed to the model.") var batchSize = 1_000
    @Option(help: "A JSON file adding models and recommendations to the built-in ones.") var modelsConfig: String?

    func run() async throws {
        let registry = try modelsConfig.map { try ModelRegistry.loading(configuration: URL(fileURLWithPath: $0)) } ?? .builtIn
        let predictor = try registry.predictor(for: model)
        let url = URL(fileURLWithPath: input)
        let reader = try RecordReader(
            url: url, configuration: .init(format: InputFormat.detect(fileName: url.lastPathComponent, contentType: nil)))
        let started = ContinuousClock.now
        var batch: [String] = []
        var records = 0
        var failed = 0
        while let record = try reader.next() {
            batch.append(record.input)
            if batch.count == batchSize {
                failed += try await predictor.predict(batch).filter { if case .error = $0 { true } else { false } }.count
                records += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty {
            failed += try await predictor.predict(batch).filter { if case .error = $0 { true } else { false } }.count
            records += batch.count
        }
        let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
        print(
            "records=\(records) failed=\(failed) seconds=\(String(format: "%.3f", seconds)) per_second=\(Int(Double(records) / max(seconds, 0.001)))"
        )
    }
}
