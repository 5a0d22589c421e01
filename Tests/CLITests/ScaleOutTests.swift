import Foundation
import TestSupport
import Testing

/// Many processes sharing PostgreSQL, as on many machines: one API process and several workers.
extension CLITests {
    @Test func fourWorkersOnPostgresOneKilledEveryTwoSecondsStillGiveExactlyOneRowPerRecordPerModel() async throws {
        let database = try await TestPostgres.createDatabase()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blobs = directory.file("blobs").path
        let config = try CommandModels.slow(in: directory, delay: 0.0005)
        let pool = try CSVTable(contentsOf: SharedData.molecules("chembl_samples.csv")).rows.map { $0[0] }
        let inputs = (0..<20_000).map { pool[$0 % pool.count] }
        let input = try directory.write("smiles\n" + inputs.joined(separator: "\n") + "\n", to: "in.csv")
        let shared = ["--database", database.url, "--blob-dir", blobs, "--models-config", config.path, "--log-level", "error"]
        let server = try await Self.serve(["serve", "--no-workers", "--port", "0", "--data-dir", directory.file("api").path] + shared)
        defer { server.stop() }
        let url = server.url
        func worker(_ n: Int) throws -> Process {
            try CommandRunner.start(
                ["worker", "--data-dir", directory.file("w\(n)").path, "--lease-seconds", "2", "--concurrency", "1"] + shared)
        }
        let submitted = try CommandRunner.run(
            ["submit", input.path, "--model", "test.slowcmd", "--model", "chem.formula", "--chunk-size", "500", "--max-parallel", "4", "--server", url])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var workers = try (0..<4).map(worker)
        defer { for process in workers where process.isRunning { process.terminate() } }
        // A random worker is killed every two seconds and started again, until the request ends.
        var kills = 0
        while kills < 10 {
            try await Task.sleep(for: .seconds(2))
            let status = try CommandRunner.run(["status", id, "--server", url]).stdout
            if status.contains("completed") { break }
            let victim = Int.random(in: 0..<workers.count)
            kill(workers[victim].processIdentifier, SIGKILL)
            workers[victim].waitUntilExit()
            workers[victim] = try worker(victim)
            kills += 1
        }
        #expect(kills >= 2, "the run outlasted at least two kills")
        let watched = try CommandRunner.run(["watch", id, "--server", url])
        #expect(watched.stdout.contains("completed, 20000 records × 2 model(s)"), "\(watched.stdout)")
        let result = directory.file("r.csv")
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        let table = try CSVTable(contentsOf: result)
        let accounting = RowAccounting(table: table, inputs: inputs)
        #expect(accounting.isClean, "\(accounting)")
        #expect(table.rows.filter { !$0[4].isEmpty }.count == 0, "every record of the command model has values")
        for process in workers { process.terminate() }
        // The workers get their drain to exit before their database goes; one still there after
        // it is killed rather than left behind.
        let deadline = ContinuousClock.now + .seconds(20)
        while workers.contains(where: \.isRunning), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        for process in workers where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await database.drop()
    }
}

extension CLITests {
    @Test func anAPIKilledRightAfterCommittingASubmissionLosesNothingAndTheRetryGetsTheSameRequest() async throws {
        let database = try await TestPostgres.createDatabase()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.write((0..<400).map { String(repeating: "C", count: $0 % 9 + 1) }.joined(separator: "\n"), to: "in.smi")
        let shared = ["--database", database.url, "--blob-dir", directory.file("blobs").path, "--log-level", "error"]
        // The first API process dies the moment its submission commits, before it can answer.
        let doomed = try await Self.serve(
            ["serve", "--no-workers", "--port", "0", "--data-dir", directory.file("api1").path] + shared,
            environment: ["BULKPREDICT_FAULT": "after-submit-commit"])
        let submit = ["submit", input.path, "--model", "chem.formula", "--chunk-size", "50", "--idempotency-key", "nightly-2026-11-23"]
        let lost = try CommandRunner.run(submit + ["--server", doomed.url])
        doomed.process.waitUntilExit()
        #expect(lost.status != 0, "the client saw the connection drop")
        #expect(doomed.process.terminationReason == .uncaughtSignal)
        // A second API process and a worker: the client's retry gets the request that committed.
        let server = try await Self.serve(["serve", "--port", "0", "--data-dir", directory.file("api2").path] + shared)
        defer { server.stop() }
        let retried = try CommandRunner.run(submit + ["--server", server.url])
        #expect(retried.status == 0, "\(retried.stderr)")
        let id = retried.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try CommandRunner.run(["status", id, "--server", server.url])
        #expect(list.status == 0, "\(list.stderr)")
        let watched = try CommandRunner.run(["watch", id, "--server", server.url])
        #expect(watched.stdout.contains("completed, 400 records"), "\(watched.stdout)")
        // Exactly one request exists: neither retry created another.
        let again = try CommandRunner.run(submit + ["--server", server.url])
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == id)
        #expect(try await TestPostgres.integer("SELECT COUNT(*) FROM requests", on: database.url) == 1)
        await database.drop()
    }
}

extension CLITests {
    @Test func aWorkerAskedToStopWhileTheDatabaseHangsExitsWithinItsDrainInsteadOfWaitingForEver() async throws {
        let postgres = try await PrivatePostgres.start()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = directory.file("worker.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let worker = try CommandRunner.start(
            ["worker", "--database", postgres.url, "--blob-dir", directory.file("blobs").path, "--data-dir", directory.file("w").path,
             "--drain", "1", "--log-level", "error"], stderr: handle)
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        // Once it listens for work it is past its start and polling: then hang the database under it.
        let ready = ContinuousClock.now + .seconds(60)
        while try await TestPostgres.integer("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'", on: postgres.url) == 0 {
            guard ContinuousClock.now < ready, worker.isRunning else {
                await postgres.stop()
                throw HarnessError(message: "the worker never started: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let took: Duration
        do {
            try await postgres.freeze()
            try await Task.sleep(for: .seconds(1))
            let asked = ContinuousClock.now
            worker.terminate()
            // The drain (1 s), then 10 s for cancelled work, then the process ends whatever it awaits.
            while worker.isRunning, ContinuousClock.now - asked < .seconds(40) { try await Task.sleep(for: .milliseconds(100)) }
            took = ContinuousClock.now - asked
        } catch {
            try? await postgres.thaw()
            await postgres.stop()
            throw error
        }
        try await postgres.thaw()
        await postgres.stop()
        #expect(!worker.isRunning, "still running \(took) after SIGTERM")
        #expect(took < .seconds(25), "took \(took)")
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        if worker.terminationStatus != 0 {
            // It only exits 1 when the database kept it from stopping in time, and then says why.
            #expect(worker.terminationStatus == 1)
            #expect(said.contains("exiting now"), "\(said)")
        }
    }
}
