import BulkPredictCore
import Foundation

/// A model that is a program: started once per chunk, it reads one JSON line per record on
/// standard input, `{"row": N, "input": "..."}` (N counts from 0 within the chunk), and answers one
/// JSON line per record on standard output, `{"row": N, "values": {...}}` or
/// `{"row": N, "error": "..."}`, in any order.
///
/// - A record the program never answers becomes an error row, never a silently missing row.
/// - A program that exits with a failure status or a signal before answering every record, or that
///   stays silent longer than the record timeout, or runs past the chunk timeout, fails the chunk
///   with a retryable ``PredictorError`` carrying the last lines of its standard error.
/// - Cancelling the task sends SIGTERM, then SIGKILL after ``killGrace``.
public struct CommandPredictor: Predictor {
    public let descriptor: ModelDescriptor
    let command: [String]
    let workingDirectory: URL?
    let recordTimeout: Duration
    let chunkTimeout: Duration
    /// Time between SIGTERM and SIGKILL.
    let killGrace: Duration

    /// Creates the predictor for a descriptor whose runner is a `command`.
    /// - Throws: ``RegistryError`` when the runner names no program.
    public init(descriptor: ModelDescriptor, killGrace: Duration = .seconds(5)) throws(RegistryError) {
        guard let command = descriptor.runner.command, !command.isEmpty, !command[0].isEmpty else {
            throw RegistryError("model '\(descriptor.id)': a command runner needs a non-empty 'command' list")
        }
        self.descriptor = descriptor
        self.command = command
        workingDirectory = descriptor.runner.workingDirectory.map { URL(fileURLWithPath: $0) }
        recordTimeout = .milliseconds(Int64((descriptor.runner.recordTimeout ?? 60) * 1000))
        chunkTimeout = .milliseconds(Int64((descriptor.runner.chunkTimeout ?? 3600) * 1000))
        self.killGrace = killGrace
    }

    public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
        let session = try CommandSession(command: command, workingDirectory: workingDirectory, killGrace: killGrace)
        return try await withTaskCancellationHandler {
            try await session.run(inputs, outputs: descriptor.outputs, recordTimeout: recordTimeout, chunkTimeout: chunkTimeout)
        } onCancel: {
            session.stop()
        }
    }
}
