import BulkPredictCore
import Engine
import Formats
import JobQueue
import Foundation
import Models
import TestSupport
import Testing

@Suite struct EngineEndToEndTests {
    @Test func everyRecordComesBackOnceInInputOrderWithErrorRowsForBadOnes() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .microseconds(50)))
        defer { harness.remove() }
        var records: [InputRecord] = []
        for index in 0..<2_500 {
            switch index % 250 {
            case 7: records.append(InputRecord(id: "bad\(index)", input: "C1CC"))
            case 8: records.append(InputRecord(id: nil, input: "", error: "line \(index): the smiles field is empty"))
            default: records.append(InputRecord(id: "m\(index)", input: index.isMultiple(of: 2) ? "CCO" : "c1ccccc1O"))
            }
        }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["chem.formula", "test.slow"]), chunkSize: 300), records: records)
        let status = try await harness.withWorker(slots: 3) { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completedWithErrors)
        for job in status.jobs {
            #expect(job.succeeded + job.failed == 2_500, "counts reconcile for \(job.model)")
            #expect(job.state == .completedWithErrors)
        }
        #expect(status.jobs[0].failed == 20)
        #expect(status.jobs[1].failed == 10)
        let table = try await harness.result(id)
        #expect(
            table.header == [
                "row", "id", "input", "chem.formula.formula", "chem.formula.heavy_atoms", "chem.formula.mol_weight", "chem.formula.error",
                "test.slow.length", "test.slow.error",
            ])
        #expect(table.rows.count == records.count)
        let formula = FormulaPredictor()
        for (index, record) in records.enumerated() {
            let row = table.rows[index]
            #expect(row[0] == "\(index)")
            #expect(row[1] == (record.id ?? ""))
            #expect(row[2] == record.input)
            if let error = record.error {
                #expect(row[6] == error)
                #expect(row[8] == error)
            } else if case .values(let values) = formula.outcome(for: record.input) {
                #expect(values[0] == .string(row[3]))
                #expect(row[6].isEmpty)
                #expect(row[7] == "\(record.input.utf8.count)")
            } else {
                #expect(row[3].isEmpty && row[6].hasPrefix("invalid SMILES"), "row \(index)")
            }
        }
    }

    @Test func aChunkWhoseModelThrowsBecomesErrorRowsAndTheRestGoesOn() async throws {
        let harness = try Harness(registry: TestModels.registry())
        defer { harness.remove() }
        let inputs = (0..<30).map { $0 == 12 ? "boom" : "C" }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.exploding", "test.short", "test.wrongtype"]), chunkSize: 10),
            records: inputs.map { InputRecord(id: nil, input: $0) })
        let status = try await harness.withWorker { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completedWithErrors)
        #expect(status.jobs[0].succeeded == 20 && status.jobs[0].failed == 10)
        #expect(status.jobs[1].failed == 30, "a model that breaks its contract fails its chunks")
        let table = try await harness.result(id)
        #expect(table.rows.count == 30)
        #expect(table.value(15, "test.exploding.error")?.contains("boom record") == true)
        #expect(table.value(25, "test.exploding.length") == "1")
        #expect(table.value(0, "test.short.error")?.contains("returned 9 outcomes for 10 records") == true)
        #expect(status.jobs[2].failed == 30, "a value of the wrong type is an error, never an empty cell")
        #expect(table.value(3, "test.wrongtype.error") == "the model returned a value of the wrong type for output 1 (declared int)")
    }

    @Test func retryableFailuresAreRetriedWithBackoffUntilTheAttemptLimit() async throws {
        let harness = try Harness(registry: TestModels.registry())
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.flaky", "test.hopeless"]), chunkSize: 10),
            records: (0..<30).map { InputRecord(id: nil, input: "C\($0)") })
        let status = try await harness.withWorker { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completedWithErrors)
        #expect(status.jobs[0].state == .completed, "two failures then success: every record has values")
        #expect(status.jobs[0].succeeded == 30)
        #expect(status.jobs[1].failed == 30)
        let table = try await harness.result(id)
        #expect(table.rows.count == 30)
        #expect(table.value(0, "test.flaky.length") == "2")
        #expect(table.value(0, "test.hopeless.error") == "gave up after 3 attempts: test.hopeless failed on this chunk: model server busy (try 3)")
    }

    @Test func retryReRunsOnlyFailedRecordsAndEveryOtherRowStaysByteIdentical() async throws {
        let harness = try Harness(registry: TestModels.registry())
        defer { harness.remove() }
        let inputs = (0..<25).map { $0 % 6 == 0 ? "C1CC" : String(repeating: "C", count: $0 % 4 + 1) }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["chem.formula", "test.hopeless"]), chunkSize: 10),
            records: inputs.map { InputRecord(id: "id\($0)", input: $0) } + [InputRecord(id: "x", input: "", error: "empty SMILES")])
        try await harness.withWorker {
            let first = try await harness.waitUntilTerminal(id)
            #expect(first.state == .completedWithErrors)
            #expect(first.jobs[1].failed == 26)
            let before = try await harness.result(id)
            // Formula: five invalid SMILES and the empty record, in all three chunks; hopeless: everything.
            let retried = try await harness.coordinator.retryFailed(id, owner: nil)
            #expect(retried == .accepted(tasks: 6, records: 6 + 26), "\(retried) after \(first.jobs)")
            let second = try await harness.waitUntilTerminal(id)
            #expect(second.state == .completedWithErrors, "invalid SMILES and the empty record still fail")
            #expect(second.jobs[0].failed == 6 && second.jobs[0].succeeded == 20, "\(second.jobs)")
            #expect(second.jobs[1].failed == 1 && second.jobs[1].succeeded == 25)
            let after = try await harness.result(id)
            #expect(after.rows.count == 26)
            for (index, (old, new)) in zip(before.rows, after.rows).enumerated() {
                #expect(Array(old[0...6]) == Array(new[0...6]), "formula cells of row \(index) are unchanged")
            }
            #expect(after.value(1, "test.hopeless.length") == "2")
            #expect(after.value(25, "test.hopeless.error") == "empty SMILES", "invalid input is never retried")
            #expect(try await harness.coordinator.retryFailed(id, owner: nil) == .accepted(tasks: 4, records: 7))
        }
    }

    @Test func cancelStopsRunningWorkWithinTheDrainAndLeavesAPartialResult() async throws {
        let harness = try Harness(parallelism: 2, registry: TestModels.registry(slowDelay: .milliseconds(100)))
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.slow"]), chunkSize: 50, maxParallel: 2),
            records: (0..<1_000).map { InputRecord(id: nil, input: "C\($0)") })
        try await harness.withWorker(slots: 2) {
            let deadline = ContinuousClock.now + .seconds(30)
            while try await harness.store.status(of: id, owner: nil)?.jobs.first?.tasksRunning != 2 {
                guard ContinuousClock.now < deadline else { throw HarnessError(message: "the tasks never started") }
                try await Task.sleep(for: .milliseconds(10))
            }
            let started = ContinuousClock.now
            let outcome = try await harness.coordinator.cancel(id, owner: nil, drain: .seconds(10))
            // Each running chunk needs 5 s to finish; stopping takes far less (a few hundred
            // milliseconds, over 3 s only on a machine loaded by the whole suite), so it was
            // really interrupted.
            #expect(ContinuousClock.now - started < .seconds(4))
            #expect(outcome == .accepted(.cancelled))
        }
        let status = try #require(try await harness.store.status(of: id, owner: nil))
        #expect(status.state == .cancelled)
        #expect(status.jobs[0].state == .cancelled)
        #expect(status.jobs[0].succeeded + status.jobs[0].failed + status.jobs[0].cancelled == 1_000)
        #expect(status.jobs[0].cancelled == 1_000)
        #expect(try await harness.coordinator.cancel(id, owner: nil) == .accepted(.cancelled))
        // The partial result: every record has its row, and rows that did not run say so.
        _ = try await harness.withWorker(slots: 2) {
            while try await harness.store.resultLocation(of: id) == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(try await harness.store.resultLocation(of: id)?.partial == true)
        let table = try await harness.result(id)
        #expect(table.rows.count == 1_000)
        #expect(table.rows.allSatisfy { $0.last == "cancelled before this record ran" })
    }

    @Test func nothingIsStoredForARejectedSubmission() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        await #expect(throws: RoutingError.self) {
            try await harness.coordinator.submit(
                Submission(routing: RoutingSpec(models: ["nope"])), records: [InputRecord(id: nil, input: "C")])
        }
        await #expect(throws: SubmissionError.self) {
            try await harness.coordinator.submit(Submission(routing: RoutingSpec(models: ["chem.formula"])), records: [])
        }
        await #expect(throws: SubmissionError.self) {
            try await harness.coordinator.submit(
                Submission(routing: RoutingSpec(models: ["chem.formula"]), maxParallel: 99), records: [InputRecord(id: nil, input: "C")])
        }
        #expect(try await harness.store.list(owner: "local", limit: 10, offset: 0).total == 0)
        let inputs = harness.directory.file("blobs/inputs")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: inputs.path))?.isEmpty ?? true)
    }

    @Test func aMergeAbandonedByADeadProcessIsTakenOverByAWorker() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["chem.formula"]), chunkSize: 4),
            records: (0..<10).map { _ in InputRecord(id: nil, input: "CCO") })
        while let task = try await harness.store.claim(workerID: "gone", lease: .seconds(30)) {
            _ = try await harness.store.finish(task, as: .failed(reason: "worker lost"))
        }
        // A process that began the merge and died: its lease is never renewed.
        let abandoned = try #require(try await harness.store.beginMerge(id, lease: .milliseconds(1)))
        try await Task.sleep(for: .milliseconds(20))
        let status = try await harness.withWorker { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completedWithErrors)
        #expect(try await harness.result(id).rows.count == 10)
        let stale = MergeResult(csvKey: "x", rowCount: 0, byteCount: 0, hasErrors: false)
        #expect(try await harness.store.finishMerge(abandoned, result: stale) == false)
    }

    @Test func aWorkerThatLostItsLeaseStopsTheTaskInsteadOfFinishingIt() async throws {
        let harness = try Harness(registry: TestModels.registry(slowDelay: .milliseconds(100)))
        defer { harness.remove() }
        // 50 records of 100 ms: an attempt left alone would take 5 s.
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.slow"]), chunkSize: 50),
            records: (0..<50).map { _ in InputRecord(id: nil, input: "C") })
        let started = ContinuousClock.now
        // The lease runs out long before the first heartbeat: the sweep rescues the task, the
        // heartbeat is refused, and the worker stops; five attempts later the chunk gives up.
        let status = try await harness.withWorker(slots: 1, lease: .milliseconds(100), heartbeat: .milliseconds(400)) {
            try await harness.waitUntilTerminal(id)
        }
        #expect(ContinuousClock.now - started < .seconds(15), "each attempt was stopped early")
        #expect(status.state == .completedWithErrors)
        #expect(status.jobs[0].failed == 50)
        #expect(try await harness.result(id).value(0, "test.slow.error") == "gave up after 5 attempts: the worker running this chunk stopped answering")
    }

    @Test func theShippedCommandModelExampleRunsThroughTheEngine() async throws {
        var registry = try ModelRegistry.loading(
            configuration: SharedData.repositoryRoot.appendingPathComponent("examples/command-model/models.json"))
        var model = try #require(registry.catalog.model("example.smiles-stats"))
        // The example names its script relative to the repository root.
        model.runner.workingDirectory = SharedData.repositoryRoot.path
        try registry.register(model)
        let harness = try Harness(registry: registry)
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(target: "examples"), chunkSize: 3),
            records: ["c1ccccc1", "C[N+](C)(C)C", "CCO", "", "C1CC1"].map { InputRecord(id: nil, input: $0, error: $0.isEmpty ? "empty SMILES" : nil) })
        let status = try await harness.withWorker { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completedWithErrors)
        let table = try await harness.result(id)
        #expect(table.rows.map { $0[3] } == ["8", "12", "3", "", "5"])
        #expect(table.value(0, "example.smiles-stats.aromatic_atoms") == "6")
        #expect(table.value(1, "example.smiles-stats.charged") == "true")
        #expect(table.value(4, "example.smiles-stats.ring_bonds") == "1")
        #expect(table.value(3, "example.smiles-stats.error") == "empty SMILES")
    }

    @Test func aChunkThatKeepsCrashingIsBisectedUntilOnlyTheCulpritFails() async throws {
        let scripts = try TemporaryDirectory(prefix: "crashy")
        defer { scripts.remove() }
        let program = try scripts.write(
            """
            import json, sys
            questions = [json.loads(line) for line in sys.stdin]
            if any(q["input"] == "boom" for q in questions):
                sys.stderr.write("segmentation fault in featurizer\\n")
                sys.exit(139)
            for q in questions:
                print(json.dumps({"row": q["row"], "values": {"n": len(q["input"])}}))
            """, to: "crashy.py")
        var registry = ModelRegistry.builtIn
        try registry.register(
            ModelDescriptor(
                id: "test.crashy", version: "1", input: .smiles, outputs: [OutputColumn(name: "n", type: .int)],
                runner: .command(["python3", program.path])))
        let harness = try Harness(registry: registry)
        defer { harness.remove() }
        let inputs = (0..<12).map { $0 == 9 ? "boom" : String(repeating: "C", count: $0 + 1) }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.crashy"]), chunkSize: 8), records: inputs.map { InputRecord(id: nil, input: $0) })
        let status = try await harness.withWorker { try await harness.waitUntilTerminal(id, timeout: .seconds(120)) }
        #expect(status.state == .completedWithErrors)
        #expect(status.jobs[0].failed == 1 && status.jobs[0].succeeded == 11)
        let table = try await harness.result(id)
        #expect(table.rows.count == 12)
        for (index, input) in inputs.enumerated() where input != "boom" {
            #expect(table.rows[index][3] == "\(input.count)" && table.rows[index][4].isEmpty, "row \(index)")
        }
        let error = try #require(table.value(9, "test.crashy.error"))
        #expect(error.hasPrefix("gave up after 5 attempts"))
        #expect(error.contains("segmentation fault in featurizer"))
    }

    @Test func aRetryWhoseFailedRecordCrashesTheModelIsBisectedAndStillKeepsEveryGoodRow() async throws {
        let scripts = try TemporaryDirectory(prefix: "phased")
        defer { scripts.remove() }
        let phase = scripts.file("phase")
        try "first".write(to: phase, atomically: true, encoding: .utf8)
        // First run: records named bad-* fail. Retry: the program crashes whenever bad-crash is
        // among its records. Every answer names the phase it came from.
        let program = try scripts.write(
            """
            import json, sys
            phase = open(sys.argv[1]).read().strip()
            questions = [json.loads(line) for line in sys.stdin]
            if phase == "retry" and any(q["input"] == "bad-crash" for q in questions):
                sys.stderr.write("segmentation fault\\n")
                sys.exit(139)
            for q in questions:
                if phase == "first" and q["input"].startswith("bad"):
                    print(json.dumps({"row": q["row"], "error": "not yet"}))
                else:
                    print(json.dumps({"row": q["row"], "values": {"n": len(q["input"]), "phase": phase}}))
            """, to: "phased.py")
        var registry = ModelRegistry.builtIn
        try registry.register(
            ModelDescriptor(
                id: "test.phased", version: "1", input: .smiles,
                outputs: [OutputColumn(name: "n", type: .int), OutputColumn(name: "phase", type: .string)],
                runner: .command(["python3", program.path, phase.path])))
        let harness = try Harness(registry: registry)
        defer { harness.remove() }
        let inputs = (0..<12).map { $0 == 2 ? "bad-ok" : $0 == 5 ? "bad-crash" : String(repeating: "C", count: $0 + 1) }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.phased"]), chunkSize: 8), records: inputs.map { InputRecord(id: nil, input: $0) })
        try await harness.withWorker {
            #expect(try await harness.waitUntilTerminal(id).jobs[0].failed == 2)
            try "retry".write(to: phase, atomically: true, encoding: .utf8)
            #expect(try await harness.coordinator.retryFailed(id, owner: nil) == .accepted(tasks: 1, records: 2))
            let status = try await harness.waitUntilTerminal(id, timeout: .seconds(120))
            #expect(status.jobs[0].failed == 1 && status.jobs[0].succeeded == 11, "\(status.jobs)")
        }
        let table = try await harness.result(id)
        for index in inputs.indices where index != 2 && index != 5 {
            // Split or not, the retry runs failed records only: the others keep their first answer.
            #expect(table.value(index, "test.phased.phase") == "first", "row \(index)")
        }
        #expect(table.value(2, "test.phased.phase") == "retry")
        #expect(table.value(5, "test.phased.error")?.contains("segmentation fault") == true, "\(table.rows[5])")
    }

    @Test func cancellingARequestStopsItsModelProgramEvenIfItIgnoresSIGTERM() async throws {
        let scripts = try TemporaryDirectory(prefix: "stubborn")
        defer { scripts.remove() }
        let registry = try CommandModels.stubbornRegistry(in: scripts, killGrace: .milliseconds(300))
        let harness = try Harness(registry: registry)
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["test.stubborn"]), chunkSize: 5, maxParallel: 2),
            records: (0..<20).map { _ in InputRecord(id: nil, input: "C") })
        try await harness.withWorker(slots: 2) {
            let deadline = ContinuousClock.now + .seconds(30)
            while try CommandModels.stubbornPIDs(in: scripts).count < 2 {
                guard ContinuousClock.now < deadline else { throw HarnessError(message: "the programs never started") }
                try await Task.sleep(for: .milliseconds(20))
            }
            let started = ContinuousClock.now
            #expect(try await harness.coordinator.cancel(id, owner: nil, drain: .seconds(10)) == .accepted(.cancelled))
            #expect(ContinuousClock.now - started < .seconds(5))
        }
        let pids = try CommandModels.stubbornPIDs(in: scripts)
        #expect(pids.count == 2)
        for pid in pids {
            let status = try? String(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/status"), encoding: .utf8)
            #expect(status == nil || status?.contains("State:\tZ") == true, "program \(pid) is gone")
        }
        let final = try #require(try await harness.store.status(of: id, owner: nil))
        #expect(final.jobs[0].cancelled == 20)
    }

    @Test func tinyChunksOverAHugeInputAreRefusedNamingTheSmallestChunkSizeThatWorks() async throws {
        var limits = SubmissionLimits(globalParallelism: 2)
        limits.maxTasks = 50
        #expect(
            throws: SubmissionError(
                code: .invalidOption, field: "chunk_size",
                message: "chunk_size 1 makes 200 tasks for 100 records × 2 model(s); the limit is 50 tasks, so use chunk_size 4 or more")
        ) {
            try limits.checkTaskCount(records: 100, chunkSize: 1, models: 2)
        }
        #expect(throws: Never.self) { try limits.checkTaskCount(records: 100, chunkSize: 4, models: 2) }
    }

    @Test func requestsFinishedWhileNoWorkerRanAreMergedWhenOneStarts() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["chem.formula"]), chunkSize: 5),
            records: (0..<10).map { _ in InputRecord(id: nil, input: "C") })
        // Every task ends through the store, as if a worker died between its last task and the merge.
        while let task = try await harness.store.claim(workerID: "gone", lease: .seconds(30)) {
            _ = try await harness.store.finish(task, as: .failed(reason: "worker lost"))
        }
        #expect(try await harness.store.requestsAwaitingMerge() == [id])
        let status = try await harness.withWorker { try await harness.waitUntilTerminal(id) }
        #expect(status.state == .completedWithErrors)
        #expect(try await harness.result(id).rows.allSatisfy { $0.last == "worker lost" })
    }
}
