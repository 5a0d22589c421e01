import Foundation

/// Runs the repository's reference scripts (`scripts/reference/*.py`) with the Python that has the
/// independent implementations (pyarrow, polars, DuckDB, RDKit, Biopython).
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

    /// Runs `scripts/reference/<script>` with `arguments` and returns its standard output.
    /// - Throws: ``Failure`` when Python is missing or the script exits non-zero.
    public static func run(_ script: String, _ arguments: [String]) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(
                description: "no Python at \(python): run the tests with scripts/test, which creates it, or set BULKPREDICT_PYTHON")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files rather than pipes: a full pipe would block the child while we wait for it.
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: stdoutURL.path, contents: nil),
            FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        else { throw Failure(description: "cannot create output files in \(folder.path)") }
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [SharedData.repositoryRoot.appendingPathComponent("scripts/reference/\(script)").path] + arguments
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()
        guard process.terminationStatus == 0 else {
            let errorText = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw Failure(description: "\(script) exited with \(process.terminationStatus): \(errorText)")
        }
        return try Data(contentsOf: stdoutURL)
    }

    /// Runs a script that prints one JSON object and returns it.
    /// - Throws: ``Failure`` as ``run(_:_:)`` does, or when the output is not a JSON object.
    public static func json(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let data = try run(script, arguments)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(script) did not print a JSON object")
        }
        return object
    }
}
