import BulkPredictCore
import Foundation
import Synchronization

/// One run of a command model over one chunk: the child process, its three pipes, and the
/// watchdog that enforces the timeouts.
///
/// Pipe I/O blocks, so the readers and the writer each run on a thread of their own — never on the
/// cooperative pool, and never on the small global dispatch pool, where three blocked loops would
/// starve each other; answers reach the async side through a stream.
final class CommandSession: Sendable {
    private struct State {
        var stderrTail: [UInt8] = []
        var lastProgress = ContinuousClock.now
        var stopReason: String?
        var stopping = false
        var exited = false
    }

    /// The most standard-error text kept for error messages.
    static let stderrLimit = 2_048

    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let stderr = Pipe()
    /// The mutable state, in a box of its own so that the termination handler and the I/O threads
    /// can hold it without holding the session (and the process) in a cycle.
    private final class Box: Sendable {
        let mutex = Mutex(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    private let state = Box()
    private let killGrace: Duration

    init(command: [String], workingDirectory: URL?, killGrace: Duration) throws {
        self.killGrace = killGrace
        // A program that exits before reading its input must not take this process down with a
        // SIGPIPE; the failed write is reported as an error instead.
        signal(SIGPIPE, SIG_IGN)
        // env finds the program on PATH and gives it back the default SIGPIPE that this process
        // ignores, so the program behaves as it would from a shell.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=PIPE"] + command
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
    }

    /// Runs the chunk; see ``CommandPredictor`` for the protocol and the failure rules.
    func run(_ inputs: [String], outputs: [OutputColumn], recordTimeout: Duration, chunkTimeout: Duration) async throws -> [RecordOutcome] {
        let (exits, exitContinuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { [state] process in
            state.withLock { $0.exited = true }
            exitContinuation.yield(process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus)
            exitContinuation.finish()
        }
        do {
            try await launch()
        } catch {
            throw PredictorError("cannot start the model program: \(error.localizedDescription)", retryable: false)
        }
        let lines = readLines()
        readStandardError()
        writeInputs(inputs)

        var answers = [RecordOutcome?](repeating: nil, count: inputs.count)
        var answered = 0
        var protocolErrors: [String] = []
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.watch(started: started, recordTimeout: recordTimeout, chunkTimeout: chunkTimeout) }
            for await line in lines {
                state.withLock { $0.lastProgress = ContinuousClock.now }
                switch Self.parse(line, outputs: outputs, count: inputs.count) {
                case .answer(let row, let outcome):
                    if answers[row] == nil { answered += 1 }
                    answers[row] = outcome
                case .invalid(let reason):
                    if protocolErrors.count < 3 { protocolErrors.append(reason) }
                }
                if answered == inputs.count { break }
            }
            group.cancelAll()
        }
        // Every record is answered, or the program ended: give it the grace period to exit.
        let status = await exitStatus(exits)
        try Task.checkCancellation()
        if let reason = state.withLock({ $0.stopReason }) {
            throw PredictorError("\(reason)\(stderrSuffix())", retryable: true, isCrash: true)
        }
        let missing = inputs.count - answered
        if missing > 0, status != 0 {
            let how = status < 0 ? "was killed by signal \(-status)" : "exited with status \(status)"
            throw PredictorError(
                "the model program \(how) before answering \(missing) of \(inputs.count) records\(stderrSuffix())", retryable: true,
                isCrash: true)
        }
        let unanswered = "the model program gave no answer for this record"
            + (protocolErrors.isEmpty ? "" : " (it wrote lines that are not answers: \(protocolErrors.joined(separator: "; ")))")
        return answers.map { $0 ?? .error(unanswered) }
    }

    /// Starts the program from a thread of its own whose signal mask is cleared first.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and the threads that run
    /// Swift tasks block nearly every signal: spawned from one of them, the program would never see
    /// the SIGTERM that asks it to stop.
    private func launch() async throws {
        let process = process
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                do {
                    try process.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Sends SIGTERM now and SIGKILL after the grace period if the program is still there.
    func stop() {
        let (first, exited) = state.withLock { state -> (Bool, Bool) in
            defer { state.stopping = true }
            return (!state.stopping, state.exited)
        }
        guard first, !exited else { return }
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        let grace = killGrace
        Thread.detachNewThread { [state] in
            Thread.sleep(forTimeInterval: Double(grace / .milliseconds(1)) / 1000)
            if !state.withLock({ $0.exited }) { kill(pid, SIGKILL) }
        }
    }

    /// Stops the program when it has been silent for a record timeout or has used up the chunk's.
    private func watch(started: ContinuousClock.Instant, recordTimeout: Duration, chunkTimeout: Duration) async throws {
        while true {
            try await Task.sleep(for: .milliseconds(50))
            let now = ContinuousClock.now
            let silent = now - state.withLock { $0.lastProgress }
            let reason: String? =
                if now - started > chunkTimeout { "the model program ran past the chunk timeout of \(chunkTimeout)" }
                else if silent > recordTimeout { "the model program gave no answer for \(recordTimeout) (the record timeout)" }
                else { nil }
            if let reason {
                state.withLock { if $0.stopReason == nil { $0.stopReason = reason } }
                stop()
                return
            }
        }
    }

    /// The exit status once the program ends, stopping it if it does not end within the grace period.
    ///
    /// Unstructured on purpose: a cancelled caller must still wait for the program to be gone (the
    /// wait is bounded: SIGKILL follows after the grace period), and a cancelled iteration of the
    /// stream would end at once without a status.
    private func exitStatus(_ exits: AsyncStream<Int32>) async -> Int32 {
        let guardian = Task.detached { [killGrace] in
            try? await Task.sleep(for: killGrace)
            self.stop()
        }
        defer { guardian.cancel() }
        return await Task.detached {
            for await status in exits { return status }
            return -SIGKILL
        }.value
    }

    private func readLines() -> AsyncStream<[UInt8]> {
        let (lines, continuation) = AsyncStream<[UInt8]>.makeStream()
        let descriptor = stdout.fileHandleForReading.fileDescriptor
        Thread.detachNewThread {
            var pending: [UInt8] = []
            Self.readUntilEnd(descriptor) { data in
                pending.append(contentsOf: data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(Array(pending[..<newline]))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { continuation.yield(pending) }
            continuation.finish()
        }
        return lines
    }

    private func readStandardError() {
        let descriptor = stderr.fileHandleForReading.fileDescriptor
        Thread.detachNewThread { [state] in
            Self.readUntilEnd(descriptor) { data in
                state.withLock { state in
                    state.stderrTail.append(contentsOf: data)
                    if state.stderrTail.count > Self.stderrLimit { state.stderrTail.removeFirst(state.stderrTail.count - Self.stderrLimit) }
                }
            }
        }
    }

    private func writeInputs(_ inputs: [String]) {
        let handle = stdin.fileHandleForWriting
        Thread.detachNewThread {
            let encoder = JSONEncoder()
            let descriptor = handle.fileDescriptor
            writing: for (row, input) in inputs.enumerated() {
                guard var line = try? encoder.encode(Question(row: row, input: input)) else { continue }
                line.append(UInt8(ascii: "\n"))
                // A program that stopped reading ends the writing; its answers decide the outcome.
                guard Self.writeAll(descriptor, line) else { break writing }
            }
            try? handle.close()
        }
    }

    /// Reads until end of file, retrying reads that a signal interrupted (Foundation's
    /// `availableData` traps on those).
    static func readUntilEnd(_ descriptor: Int32, _ body: ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                body(Array(buffer[..<count]))
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Writes all of `data`, retrying interrupted and partial writes; `false` once the reader is gone.
    static func writeAll(_ descriptor: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// The last lines of standard error, for an error message.
    private func stderrSuffix() -> String {
        let tail = state.withLock { String(decoding: $0.stderrTail, as: UTF8.self) }
        let lines = tail.split(separator: "\n").suffix(5).joined(separator: " | ")
        return lines.isEmpty ? "" : "; its standard error ends: \(lines)"
    }

    struct Question: Encodable {
        let row: Int
        let input: String
    }
}
