import BulkPredictCore
import Foundation
import Models

/// Python programs that act as command models in tests, written into a test's directory.
public enum CommandModels {
    /// A model that answers `n` (the input's length) after sleeping `delay` seconds per record,
    /// and a registry file declaring it as `test.slowcmd`. Returns the registry file.
    public static func slow(in directory: TemporaryDirectory, delay: Double) throws -> URL {
        let program = try directory.write(
            """
            import json, sys, time
            for line in sys.stdin:
                q = json.loads(line)
                time.sleep(\(delay))
                print(json.dumps({"row": q["row"], "values": {"n": len(q["input"])}}), flush=True)
            """, to: "slow.py")
        return try directory.write(
            """
            {"models": [{"id": "test.slowcmd", "version": "1", "input": "smiles", "outputs": [{"name": "n", "type": "int"}],
                         "runner": {"kind": "command", "command": ["python3", "\(program.path)"]}}]}
            """, to: "models.json")
    }

    /// A program that ignores SIGTERM, marks each start with a `pid-<pid>` file in `directory`, and
    /// hangs on its first record; registered as `test.stubborn` in the built-in registry with the
    /// given SIGTERM-to-SIGKILL grace.
    public static func stubbornRegistry(in directory: TemporaryDirectory, killGrace: Duration) throws -> ModelRegistry {
        let program = try directory.write(
            """
            import os, signal, sys, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            open(os.path.join(os.path.dirname(__file__), "pid-%d" % os.getpid()), "w").close()
            for line in sys.stdin:
                time.sleep(60)
            """, to: "stubborn.py")
        var registry = ModelRegistry.builtIn
        registry.commandKillGrace = killGrace
        try registry.register(
            ModelDescriptor(
                id: "test.stubborn", version: "1", input: .smiles, outputs: [OutputColumn(name: "n", type: .int)],
                runner: .command(["python3", program.path])))
        return registry
    }

    /// The pids recorded by `stubbornRegistry`'s programs so far.
    public static func stubbornPIDs(in directory: TemporaryDirectory) throws -> [Int32] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).compactMap { name in
            name.hasPrefix("pid-") ? Int32(name.dropFirst(4)) : nil
        }
    }
}
