import ArgumentParser
import BulkPredictCore
import Engine
import Formats
import Foundation
import Logging
import Synchronization

/// `bulkpredict predict`: runs the engine in this process on a temporary data directory.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Predict a file of molecules locally, with no server, and write the result.")

    @Argument(help: "Input file: .csv/.tsv with a SMILES column, .smi/.txt with one SMILES per line, .sdf, or FASTA for protein models; any of them may be gzipped (.gz).") var input: String
    @OptionGroup var routingOptions: RoutingOptions
    @OptionGroup var engine: EngineOptions
    @Option(name: .shortAndLong, help: "Result file; its extension chooses the format: .parquet, .csv, .jsonl, or .parquetbundle (a ProtSpace bundle).") var output: String
    @Option(help: "wide (one row per record), long (one row per record and model), or embeddings (vectors as float columns; Parquet only).") var layout: ResultLayout = .wide

    func run() async throws {
        let outputURL = URL(fileURLWithPath: output)
        let format = try OutputInstaller.format(of: output)
        let inputURL = URL(fileURLWithPath: input)
        guard FileManager.default.isReadableFile(atPath: inputURL.path) else { throw CLIError("cannot read input file '\(input)'") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bulkpredict-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let records = try Self.decompressedIfNeeded(inputURL, scratch: scratch)
        var engine = engine
        // A local run prints its own summary; routine log lines would only clutter the terminal.
        if engine.logLevel == "info" { engine.logLevel = "error" }
        let environment = try await engine.environment(dataDirectory: scratch)
        let coordinator = environment.coordinator
        let started = ContinuousClock.now
        var reading = RecordReader.Configuration(
            format: InputFormat.detect(fileName: inputURL.lastPathComponent, contentType: nil),
            smilesColumn: routingOptions.smilesColumn, idColumn: routingOptions.idColumn)
        reading.maximumRecordBytes = 1 << 20
        let submission = Submission(
            routing: routingOptions.routing, chunkSize: routingOptions.chunkSize,
            maxParallel: routingOptions.maxParallel ?? engine.concurrency * 2, inputName: inputURL.lastPathComponent)
        let id = try await coordinator.submit(submission, file: records, reading: reading)
        var configuration = engine.workerConfiguration()
        // This run's worker is the only one: it may claim ahead, and it stops once the request
        // has ended and been merged, which ends the wait below at once.
        configuration.prefetch = true
        configuration.exitWhenIdle = true
        let worker = WorkerService(coordinator: coordinator, configuration: configuration)
        let workerEnded = WakeSignal()
        let exited = OnceFlag()
        let final = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer {
                    exited.set()
                    workerEnded.notify()
                }
                try await worker.run()
            }
            var bar = ProgressBar()
            let subscription = coordinator.hub.subscribe(id)
            while true {
                let workerGone = exited.isSet
                guard let status = try await coordinator.store.status(of: id, owner: nil) else { throw CLIError("request vanished") }
                bar.update(status)
                if status.state.isTerminal || workerGone {
                    bar.finish()
                    // A worker that stopped before the end says why.
                    if !status.state.isTerminal { try await group.waitForAll() }
                    group.cancelAll()
                    return status
                }
                // At most a few status reads a second (each one aggregates over every task), but
                // none of that waiting once the worker is done.
                await workerEnded.wait(timeout: .milliseconds(100))
                if !exited.isSet { await subscription.wait(timeout: .milliseconds(200)) }
            }
        }
        guard final.state.hasResult, let location = try await coordinator.store.resultLocation(of: id) else {
            throw CLIError("the run ended \(final.state.rawValue)\(final.error.map { ": \($0)" } ?? "")")
        }
        let file = try await coordinator.resultFile(for: id, location: location, status: final, format: format, layout: layout)
        // The scratch directory goes away next, so its result file can be moved rather than copied.
        try OutputInstaller.move(from: file.url, to: outputURL)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        print(StatusText.summary(final))
        print("wrote \(location.rowCount) rows to \(output) in \(String(format: "%.1f", seconds)) s")
    }

    /// The input itself, or for gzip data (recognised by its first bytes) a decompressed copy.
    static func decompressedIfNeeded(_ url: URL, scratch: URL) throws -> URL {
        let handle = try FileHandle(forReadingFrom: url)
        let prefix = try handle.read(upToCount: 2) ?? Data()
        try handle.close()
        guard GzipInflater.looksCompressed(prefix) else { return url }
        let plain = scratch.appendingPathComponent("input")
        do {
            try GzipInflater.decompress(file: url, to: plain)
        } catch let error as GzipError {
            throw CLIError("cannot read '\(url.path)': \(error)")
        }
        return plain
    }
}

extension ResultLayout: ExpressibleByArgument {}

/// A flag set once, readable from any task.
final class OnceFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Whether it has been set.
    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Sets it.
    func set() { value.store(true, ordering: .releasing) }
}

/// Puts a finished result file at the user's path atomically.
enum OutputInstaller {
    /// The format an output path asks for by its extension.
    static func format(of path: String) throws -> ResultFormat {
        guard let format = ResultFormat(fileName: path) else {
            throw CLIError(
                "cannot write '\(path)': the result format is chosen by the file's extension: "
                    + ResultFormat.allCases.map { ".\($0.fileExtension)" }.joined(separator: ", "))
        }
        return format
    }

    /// Puts `source` at `destination`, which it replaces: by renaming it when both are on the same
    /// file system (instant, and atomic by itself), else by a copy renamed into place. `source`
    /// may be gone afterwards.
    static func move(from source: URL, to destination: URL) throws {
        let folder = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if rename(source.path, destination.path) == 0 { return }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        try FileManager.default.copyItem(at: source, to: temporary)
        if rename(temporary.path, destination.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("cannot write '\(destination.path)'")
        }
    }
}
