import Foundation

/// Runs the repository's reference scripts (`scripts/reference/*.py`) with the Python that has the
/// independent implementations (pyarrow, polars, DuckDB, scikit-learn, protspace, RDKit,
/// Biopython).
///
/// The Python is `BULKPREDICT_PYTHON` when set, else the repository's `.venv/bin/python`, which the
/// test command creates. A missing Python or package fails the test with instructions instead of
/// skipping it: a silently skipped check would let a broken writer through.
public enum ReferencePython {
    /// Why a script gave no answer.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the script's standard error.
        public let description: String
    }

    /// The interpreter the scripts run with.
    public static var python: String {
        if let configured = ProcessInfo.processInfo.environment["BULKPREDICT_PYTHON"], !configured.isEmpty {
            return configured
        }
        return SharedData.repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// One run of a script: the process and where its output goes.
    private struct Run {
        let script: String
        let process: Process
        let folder: URL
        let stdout: FileHandle
        let stderr: FileHandle

        init(_ script: String, _ arguments: [String]) throws {
            guard FileManager.default.isExecutableFile(atPath: ReferencePython.python) else {
                throw Failure(
                    description:
                        "no Python at \(ReferencePython.python): run the tests with scripts/test, which creates it, or set BULKPREDICT_PYTHON")
            }
            self.script = script
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Files rather than pipes: a full pipe would block the child while we wait for it.
            guard FileManager.default.createFile(atPath: folder.appendingPathComponent("stdout").path, contents: nil),
                FileManager.default.createFile(atPath: folder.appendingPathComponent("stderr").path, contents: nil)
            else { throw Failure(description: "cannot create output files in \(folder.path)") }
            stdout = try FileHandle(forWritingTo: folder.appendingPathComponent("stdout"))
            stderr = try FileHandle(forWritingTo: folder.appendingPathComponent("stderr"))
            process = Process()
            process.executableURL = URL(fileURLWithPath: ReferencePython.python)
            process.arguments = [SharedData.repositoryRoot.appendingPathComponent("scripts/reference/\(script)").path] + arguments
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
        }

        /// The standard output of the finished process; removes the files.
        func output() throws -> Data {
            defer { try? FileManager.default.removeItem(at: folder) }
            try stdout.close()
            try stderr.close()
            guard process.terminationStatus == 0 else {
                let errorText = (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? ""
                throw Failure(description: "\(script) exited with \(process.terminationStatus): \(errorText)")
            }
            return try Data(contentsOf: folder.appendingPathComponent("stdout"))
        }
    }

    /// Runs `scripts/reference/<script>` with `arguments` and returns its standard output,
    /// blocking the calling thread until it ends (for synchronous tests).
    /// - Throws: ``Failure`` when Python is missing or the script exits non-zero.
    public static func run(_ script: String, _ arguments: [String]) throws -> Data {
        let run = try Run(script, arguments)
        try run.process.run()
        run.process.waitUntilExit()
        return try run.output()
    }

    /// Runs `scripts/reference/<script>` like ``run(_:_:)``, but waits without holding a thread:
    /// the reference readers take seconds to start (importing pyarrow, DuckDB or scikit-learn),
    /// and a test blocking a thread of the small shared pool that long would stall the timers of
    /// every other test.
    /// - Throws: ``Failure`` when Python is missing or the script exits non-zero.
    public static func run(_ script: String, _ arguments: [String]) async throws -> Data {
        let run = try Run(script, arguments)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            run.process.terminationHandler = { _ in continuation.resume() }
            do {
                try run.process.run()
            } catch {
                run.process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return try run.output()
    }

    /// Runs a script that prints one JSON object and returns it, without holding a thread.
    /// - Throws: ``Failure`` as ``run(_:_:)`` does, or when the output is not a JSON object.
    public static func json(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let data = try await run(script, arguments)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(script) did not print a JSON object")
        }
        return object
    }
}
