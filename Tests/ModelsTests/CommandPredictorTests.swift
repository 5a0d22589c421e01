import BulkPredictCore
import Foundation
import Models
import TestSupport
import Testing

/// Command models against real Python programs written for each case.
@Suite struct CommandPredictorTests {
    static let outputs = [
        OutputColumn(name: "n", type: .int), OutputColumn(name: "x", type: .double),
        OutputColumn(name: "flag", type: .bool), OutputColumn(name: "label", type: .string),
    ]

    func predictor(_ script: String, recordTimeout: Double? = nil, killGrace: Duration = .seconds(5)) throws -> (CommandPredictor, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "command-model")
        let program = try directory.write(script, to: "model.py")
        let descriptor = ModelDescriptor(
            id: "test.command", version: "1", input: .smiles, outputs: Self.outputs,
            runner: .command(["python3", program.path], workingDirectory: directory.url.path, recordTimeout: recordTimeout))
        return (try CommandPredictor(descriptor: descriptor, killGrace: killGrace), directory)
    }

    @Test func answersInAnyOrderBecomeTypedValuesAndErrorRowsInInputOrder() async throws {
        let (model, directory) = try predictor(
            """
            import json, sys
            questions = [json.loads(line) for line in sys.stdin]
            for q in reversed(questions):
                if q["input"] == "bad":
                    print(json.dumps({"row": q["row"], "error": "cannot read " + q["input"]}))
                else:
                    print(json.dumps({"row": q["row"], "values": {"n": len(q["input"]), "x": 1, "flag": True, "label": q["input"].upper(), "extra": 5}}))
            """)
        defer { directory.remove() }
        let outcomes = try await model.predict(["ab", "bad", "c\"d\n"])
        #expect(outcomes == [
            .values([.int(2), .double(1), .bool(true), .string("AB")]),
            .error("cannot read bad"),
            .values([.int(4), .double(1), .bool(true), .string("C\"D\n")]),
        ])
    }

    @Test func recordsTheProgramNeverAnsweredAreErrorRowsNeverDropped() async throws {
        let (model, directory) = try predictor(
            """
            import json, sys
            for line in sys.stdin:
                q = json.loads(line)
                if q["row"] % 2 == 0:
                    print(json.dumps({"row": q["row"], "values": {"n": 1, "label": "x", "flag": "yes"}}))
            print("warming up...")
            """)
        defer { directory.remove() }
        let outcomes = try await model.predict(["a", "b", "c"])
        #expect(outcomes.count == 3)
        #expect(outcomes[0] == .error("the model program's value for 'flag' is not a bool"))
        guard case .error(let message) = outcomes[1] else {
            Issue.record("row 1 must be an error row")
            return
        }
        #expect(message.hasPrefix("the model program gave no answer for this record"))
        #expect(message.contains("not an answer: warming up..."))
    }

    @Test func aCrashIsARetryableFailureWithTheEndOfStandardError() async throws {
        let (model, directory) = try predictor(
            """
            import json, sys
            first = json.loads(sys.stdin.readline())
            print(json.dumps({"row": first["row"], "values": {"n": 1}}), flush=True)
            sys.stderr.write("loading weights...\\nCUDA out of memory\\n")
            sys.exit(3)
            """)
        defer { directory.remove() }
        do {
            _ = try await model.predict(["a", "b", "c"])
            Issue.record("a crash must fail the chunk")
        } catch let error as PredictorError {
            #expect(error.retryable)
            #expect(error.message.contains("exited with status 3 before answering 2 of 3 records"))
            #expect(error.message.contains("CUDA out of memory"))
        }
    }

    @Test func aProgramGetsSIGTERMAndCanExitCleanlyOnIt() async throws {
        // A program that handles SIGTERM exits at once; if the signal were blocked in the child,
        // only SIGKILL after the 60 s grace would end it.
        let (model, directory) = try predictor(
            """
            import signal, sys, time
            signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
            sys.stdin.readline()
            time.sleep(120)
            """, recordTimeout: 0.3, killGrace: .seconds(60))
        defer { directory.remove() }
        let started = ContinuousClock.now
        await #expect(throws: PredictorError.self) { try await model.predict(["a"]) }
        // Well under the 60 s grace: the margin absorbs the seconds a machine busy with the rest
        // of the suite can delay this test's own timers.
        #expect(ContinuousClock.now - started < .seconds(40))
    }

    @Test func aSilentProgramIsStoppedAtTheRecordTimeout() async throws {
        let (model, directory) = try predictor(
            """
            import sys, time
            sys.stdin.readline()
            time.sleep(90)
            """, recordTimeout: 0.3)
        defer { directory.remove() }
        let started = ContinuousClock.now
        do {
            _ = try await model.predict(["a"])
            Issue.record("a silent program must time out")
        } catch let error as PredictorError {
            #expect(error.retryable)
            #expect(error.message.contains("record timeout"))
        }
        // Well under the program's 90 s sleep, with room for a busy machine.
        #expect(ContinuousClock.now - started < .seconds(40))
    }

    @Test func cancelKillsAProgramThatIgnoresSIGTERM() async throws {
        let (model, directory) = try predictor(
            """
            import os, signal, sys, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            open("pid", "w").write(str(os.getpid()))
            sys.stdin.readline()
            time.sleep(60)
            """, killGrace: .milliseconds(300))
        defer { directory.remove() }
        let task = Task { try await model.predict(["a"]) }
        let pidFile = directory.file("pid")
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? String(contentsOf: pidFile, encoding: .utf8))?.isEmpty ?? true, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let pid = try #require(Int32(try String(contentsOf: pidFile, encoding: .utf8)))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(5), "SIGKILL follows SIGTERM after the grace period")
        let status = try? String(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/status"), encoding: .utf8)
        #expect(status == nil || status?.contains("State:\tZ") == true, "the program is gone")
    }

    @Test func aMissingProgramIsAClearError() async throws {
        let descriptor = ModelDescriptor(
            id: "test.missing", version: "1", input: .smiles, outputs: Self.outputs, runner: .command(["no-such-program-anywhere"]))
        let model = try CommandPredictor(descriptor: descriptor)
        do {
            _ = try await model.predict(["a"])
            Issue.record("a missing program must fail")
        } catch let error as PredictorError {
            #expect(error.message.contains("exited with status 127"))
        }
    }
}
