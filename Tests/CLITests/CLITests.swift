import Foundation
import Synchronization
import TestSupport
import Testing

/// The real executable, run as a subprocess.
@Suite(.serialized) struct CLITests {
    @Test func predictWritesOneRowPerChemblRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.file("out.csv")
        let result = try CommandRunner.run([
            "predict", SharedData.molecules("chembl_samples.csv").path, "--model", "chem.formula", "-o", output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote 2000 rows"))
        let table = try CSVTable(contentsOf: output)
        #expect(table.rows.count == 2_000)
        #expect(table.rows.enumerated().allSatisfy { $0.element[0] == "\($0.offset)" })
        #expect(table.header.last == "chem.formula.error")
    }

    @Test func predictWritesTheFormatAndLayoutItsOptionsNameFromPlainOrGzipInput() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plain = SharedData.molecules("chembl_samples.csv")
        let compressed = directory.file("chembl.csv.gz")
        #expect(FileManager.default.createFile(atPath: compressed.path, contents: nil))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", plain.path]
        gzip.standardOutput = try FileHandle(forWritingTo: compressed)
        try gzip.run()
        gzip.waitUntilExit()
        var files: [String: String] = [:]
        for (name, input, layout) in [
            ("wide.csv", plain, "wide"), ("wide.parquet", compressed, "wide"), ("long.csv", compressed, "long"),
            ("long.parquet", plain, "long"), ("wide.jsonl", compressed, "wide"),
        ] {
            let output = directory.file(name).path
            let result = try CommandRunner.run([
                "predict", input.path, "--model", "chem.formula", "--model", "chem.druglikeness", "--layout", layout, "-o", output,
            ])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            files[name] = output
        }
        let report = try await ReferencePython.json(
            "result_check.py",
            [
                "--wide-csv", files["wide.csv"]!, "--wide-parquet", files["wide.parquet"]!, "--long-csv", files["long.csv"]!,
                "--long-parquet", files["long.parquet"]!, "--wide-jsonl", files["wide.jsonl"]!,
            ])
        #expect((report["mismatches"] as? [String]) == [], "\(report["mismatches"] ?? "")")
        #expect((report["wide"] as? [String: Any])?["rows"] as? Int == 2_000)
        #expect((report["long"] as? [String: Any])?["rows"] as? Int == 4_000)
    }

    @Test func predictWritesAProtSpaceBundleFromFASTAAndEnforcesTheSequenceLimits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = SharedData.proteins("PKSI.faa").path
        let bundle = directory.file("pksi.parquetbundle").path
        let result = try CommandRunner.run(["predict", input, "--model", "protein.composition", "--model", "protein.properties", "-o", bundle])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try await ReferencePython.json("protspace_check.py", [bundle, "--compact"])
        #expect((report["problems"] as? [String]) == [], "\(report["problems"] ?? "")")
        #expect((report["protspace_reader"] as? [String: Any])?["num_proteins"] as? Int == 10)
        let short = try CommandRunner.run([
            "predict", input, "--model", "protein.properties", "--max-sequence-length", "50", "-o", directory.file("x.csv").path,
        ])
        #expect(short.status != 0)
        #expect(short.stderr.contains("more than the limit of 50"), "\(short.stderr)")
        let few = try CommandRunner.run([
            "predict", input, "--model", "protein.properties", "--min-sequences", "11", "-o", directory.file("y.csv").path,
        ])
        #expect(few.status != 0)
        #expect(few.stderr.contains("the input has 10 sequences; at least 11 are needed"), "\(few.stderr)")
    }

    @Test func errorsAreOneClearLineAndANonZeroExit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.write("smiles\nCCO\n", to: "in.csv")
        let cases: [([String], String)] = [
            (
                ["predict", input.path, "--model", "chem.nope", "-o", directory.file("o.csv").path],
                "unknown model 'chem.nope'; known models: chem.formula, diag.noop, diag.cpu, chem.descriptors"
            ),
            (
                ["predict", directory.file("missing.csv").path, "--model", "chem.formula", "-o", directory.file("o.csv").path],
                "cannot read input file"
            ),
            (
                ["predict", input.path, "--model", "chem.formula", "-o", directory.file("o.xlsx").path],
                "the result format is chosen by the file's extension: .parquet, .csv, .jsonl"
            ),
            (["status", "0b7e1c9e-4c37-4f7a-9a4b-1d2a3c4d5e6f", "--server", "http://127.0.0.1:9"], "cannot reach the BulkPredict server"),
        ]
        for (arguments, message) in cases {
            let result = try CommandRunner.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test func aSecondServerOnTheSamePortSaysSoInOneLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await Self.serve(["serve", "--port", "0", "--data-dir", directory.file("a").path, "--log-level", "error"])
        defer { first.stop() }
        let url = first.url
        let port = try #require(url.split(separator: ":").last.map(String.init))
        let second = try CommandRunner.run(["serve", "--port", port, "--data-dir", directory.file("b").path, "--log-level", "critical"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(port): the address is already in use"), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")
    }

    @Test func predictAndSubmitWaitProduceIdenticalResults() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = SharedData.molecules("chembl_samples.csv").path
        let local = directory.file("local.csv")
        let predicted = try CommandRunner.run(["predict", input, "--model", "chem.formula", "--chunk-size", "300", "-o", local.path])
        #expect(predicted.status == 0, "\(predicted.stderr)")

        let server = try await Self.serve(["serve", "--port", "0", "--data-dir", directory.file("data").path, "--log-level", "error"])
        defer { server.stop() }
        let url = server.url
        let remote = directory.file("remote.csv")
        let submitted = try CommandRunner.run([
            "submit", input, "--model", "chem.formula", "--chunk-size", "700", "--server", url, "--wait", "-o", remote.path,
        ])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Data(contentsOf: local) == Data(contentsOf: remote))

        let status = try CommandRunner.run(["status", id, "--server", url])
        #expect(status.stdout.contains("completed, 2000 records"), "\(status.stdout)")
        let again = directory.file("again.csv")
        #expect(try CommandRunner.run(["download", id, "-o", again.path, "--server", url]).status == 0)
        #expect(try Data(contentsOf: again) == Data(contentsOf: remote), "downloads are repeatable")
        let parquet = directory.file("again.parquet")
        #expect(try CommandRunner.run(["download", id, "-o", parquet.path, "--server", url]).status == 0)
        let magic = Array(try Data(contentsOf: parquet))
        #expect(magic.prefix(4).elementsEqual("PAR1".utf8) && magic.suffix(4).elementsEqual("PAR1".utf8), "a Parquet file, by its extension")
        let cancel = try CommandRunner.run(["cancel", id, "--server", url])
        #expect(cancel.status != 0 && cancel.stderr.contains("already finished as completed"), "\(cancel.stderr)")
        let models = try CommandRunner.run(["models", "--server", url])
        #expect(models.stdout.contains("chem.formula 1.0.0"))
    }

    @Test func separateWorkerProcessesDrainTheQueueAndExitWhenIdle() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data").path
        let server = try await Self.serve(["serve", "--no-workers", "--port", "0", "--data-dir", data, "--log-level", "error"])
        defer { server.stop() }
        let url = server.url
        let input = try directory.write((0..<3_000).map { $0 % 100 == 0 ? "C1CC" : "CCO" }.joined(separator: "\n"), to: "in.smi")
        let submitted = try CommandRunner.run(["submit", input.path, "--model", "chem.formula", "--chunk-size", "250", "--server", url])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try CommandRunner.run(["status", id, "--server", url]).stdout.contains("queued"), "nothing runs without workers")
        // Two worker processes share the data directory; each exits once nothing is left.
        let workers = try (0..<2).map { _ in
            try CommandRunner.start(["worker", "--data-dir", data, "--exit-when-idle", "--concurrency", "2"])
        }
        for worker in workers {
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0)
        }
        let status = try CommandRunner.run(["status", id, "--server", url])
        #expect(status.stdout.contains("completed_with_errors, 3000 records"), "\(status.stdout)")
        #expect(status.stdout.contains("2970 succeeded, 30 failed"), "\(status.stdout)")
        let result = directory.file("r.csv")
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        #expect(try CSVTable(contentsOf: result).rows.count == 3_000)
    }

    @Test func aWorkerStoppedWithSIGTERMGivesItsTasksBackAndAnotherFinishesThem() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data").path
        // A model slow enough that the worker is mid-chunk when it is told to stop.
        let config = try CommandModels.slow(in: directory, delay: 0.05)
        let inputs = (0..<120).map { String(repeating: "C", count: $0 % 7 + 1) }
        let input = try directory.write(inputs.joined(separator: "\n"), to: "in.smi")
        let server = try await Self.serve(["serve", "--no-workers", "--port", "0", "--data-dir", data, "--models-config", config.path, "--log-level", "error"])
        defer { server.stop() }
        let url = server.url
        let submitted = try CommandRunner.run(["submit", input.path, "--model", "test.slowcmd", "--chunk-size", "20", "--server", url])
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = try CommandRunner.start(["worker", "--data-dir", data, "--models-config", config.path, "--concurrency", "2"])
        // Wait until it has finished some work and is in the middle of more.
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let text = try CommandRunner.run(["status", id, "--server", url]).stdout
            let done = text.split(separator: "\n").last.flatMap { line in
                line.range(of: "running, ").map { Int(line[$0.upperBound...].prefix { $0.isNumber }) ?? 0 }
            }
            if let done, done >= 20, done < 100 { break }
            guard ContinuousClock.now < deadline else { throw HarnessError(message: "the worker never got going: \(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let stopping = ContinuousClock.now
        first.terminate()
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(ContinuousClock.now - stopping < .seconds(10))
        let second = try CommandRunner.run(["worker", "--data-dir", data, "--models-config", config.path, "--exit-when-idle"])
        #expect(second.status == 0, "\(second.stderr)")
        let status = try CommandRunner.run(["status", id, "--server", url])
        #expect(status.stdout.contains("completed, 120 records"), "\(status.stdout)")
        #expect(status.stdout.contains("120 succeeded, 0 failed"), "given back, not failed: \(status.stdout)")
        let result = directory.file("r.csv")
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        let accounting = RowAccounting(table: try CSVTable(contentsOf: result), inputs: inputs)
        #expect(accounting.isClean, "\(accounting)")
    }

    @Test func theEmbeddedServerKilledMidRunCompletesTheRequestAfterARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data").path
        let config = try CommandModels.slow(in: directory, delay: 0.01)
        let inputs = (0..<400).map { $0 % 53 == 7 ? "C1CC" : String(repeating: "C", count: $0 % 9 + 1) }
        let input = try directory.write(inputs.joined(separator: "\n"), to: "in.smi")
        let serve = ["serve", "--port", "0", "--data-dir", data, "--models-config", config.path, "--lease-seconds", "2", "--log-level", "error"]

        let first = try await Self.serve(serve)
        let firstURL = first.url
        let submitted = try CommandRunner.run(["submit", input.path, "--model", "test.slowcmd", "--model", "chem.formula", "--chunk-size", "25", "--server", firstURL])
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let deadline = ContinuousClock.now + .seconds(60)
        while !(try CommandRunner.run(["status", id, "--server", firstURL]).stdout.contains("test.slowcmd 1: running, 50")) {
            guard ContinuousClock.now < deadline else { throw HarnessError(message: "the request never got going") }
            try await Task.sleep(for: .milliseconds(20))
        }
        first.kill()

        let second = try await Self.serve(serve)
        defer { second.stop() }
        let url = second.url
        let early = try CommandRunner.run(["download", id, "-o", directory.file("early.csv").path, "--server", url])
        #expect(early.status != 0 && !FileManager.default.fileExists(atPath: directory.file("early.csv").path), "never a partial file")
        let watched = try CommandRunner.run(["watch", id, "--server", url])
        #expect(watched.stdout.contains("completed_with_errors, 400 records"), "\(watched.stdout) \(watched.stderr)")
        #expect(watched.stdout.contains("test.slowcmd 1: completed, 400 succeeded, 0 failed"), "\(watched.stdout)")
        let result = directory.file("r.csv")
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        let accounting = RowAccounting(table: try CSVTable(contentsOf: result), inputs: inputs)
        #expect(accounting.isClean, "\(accounting)")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        check.arguments = ["\(data)/bulkpredict.sqlite", "PRAGMA integrity_check"]
        let output = Pipe()
        check.standardOutput = output
        try check.run()
        check.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "ok\n")
    }

    @Test func aPausedWorkerThatLostItsLeaseChangesNothingWhenItResumes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data").path
        let config = try CommandModels.slow(in: directory, delay: 0.02)
        let inputs = (0..<200).map { String(repeating: "C", count: $0 % 11 + 1) }
        let input = try directory.write(inputs.joined(separator: "\n"), to: "in.smi")
        let reference = directory.file("reference.csv")
        let fresh = try CommandRunner.run(["predict", input.path, "--model", "test.slowcmd", "--models-config", config.path, "--chunk-size", "20", "-o", reference.path])
        #expect(fresh.status == 0, "\(fresh.stderr)")

        let server = try await Self.serve(["serve", "--no-workers", "--port", "0", "--data-dir", data, "--models-config", config.path, "--log-level", "error"])
        defer { server.stop() }
        let url = server.url
        let worker = ["worker", "--data-dir", data, "--models-config", config.path, "--lease-seconds", "1", "--concurrency", "1"]
        let id = try CommandRunner.run(["submit", input.path, "--model", "test.slowcmd", "--chunk-size", "20", "--server", url])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let paused = try CommandRunner.start(worker)
        let deadline = ContinuousClock.now + .seconds(60)
        while !(try CommandRunner.run(["status", id, "--server", url]).stdout.contains("running, 20 succeeded")) {
            guard ContinuousClock.now < deadline else { throw HarnessError(message: "the first worker never got going") }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Frozen mid-chunk for more than two leases: its task is rescued and run by another worker.
        kill(paused.processIdentifier, SIGSTOP)
        let other = try CommandRunner.run(worker + ["--exit-when-idle"])
        #expect(other.status == 0, "\(other.stderr)")
        let before = try CommandRunner.run(["status", id, "--server", url]).stdout
        #expect(before.contains("completed, 200 records"), "\(before)")
        let result = directory.file("r.csv")
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        let first = try Data(contentsOf: result)

        // Woken up, the old worker's writes are refused: nothing about the request changes.
        kill(paused.processIdentifier, SIGCONT)
        try await Task.sleep(for: .seconds(3))
        paused.terminate()
        paused.waitUntilExit()
        #expect(try CommandRunner.run(["status", id, "--server", url]).stdout == before)
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        #expect(try Data(contentsOf: result) == first)
        #expect(first == (try Data(contentsOf: reference)), "identical to a fault-free run")
    }

    @Test func threeWorkersOneKilledTwiceStillGiveExactlyOneRowPerRecordPerModel() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data").path
        let config = try CommandModels.slow(in: directory, delay: 0.0005)
        let pool = try CSVTable(contentsOf: SharedData.molecules("chembl_samples.csv")).rows.map { $0[0] }
        let inputs = (0..<20_000).map { pool[$0 % pool.count] }
        let input = try directory.write("smiles\n" + inputs.joined(separator: "\n") + "\n", to: "in.csv")
        let server = try await Self.serve(["serve", "--no-workers", "--port", "0", "--data-dir", data, "--models-config", config.path, "--log-level", "error"])
        defer { server.stop() }
        let url = server.url
        let worker = ["worker", "--data-dir", data, "--models-config", config.path, "--lease-seconds", "2", "--concurrency", "1", "--log-level", "error"]
        let submitted = try CommandRunner.run(
            ["submit", input.path, "--model", "test.slowcmd", "--model", "chem.formula", "--chunk-size", "500", "--max-parallel", "2", "--server", url])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var workers = try (0..<3).map { _ in try CommandRunner.start(worker) }
        defer { for process in workers where process.isRunning { process.terminate() } }
        for _ in 0..<2 {
            try await Task.sleep(for: .milliseconds(1_500))
            kill(workers[0].processIdentifier, SIGKILL)
            workers[0].waitUntilExit()
            workers[0] = try CommandRunner.start(worker)
        }
        let watched = try CommandRunner.run(["watch", id, "--server", url])
        #expect(watched.stdout.contains("completed_with_errors, 20000 records × 2 model(s)") || watched.stdout.contains("completed, 20000 records × 2 model(s)"), "\(watched.stdout)")
        let result = directory.file("r.csv")
        #expect(try CommandRunner.run(["download", id, "-o", result.path, "--server", url]).status == 0)
        let table = try CSVTable(contentsOf: result)
        let accounting = RowAccounting(table: table, inputs: inputs)
        #expect(accounting.isClean, "\(accounting)")
        let slowErrors = table.rows.filter { !$0[4].isEmpty }.count
        #expect(slowErrors == 0, "every record of the command model has values")
    }

    @Test func watchRidesOutAServerRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data").path
        let config = try CommandModels.slow(in: directory, delay: 0.01)
        let inputs = (0..<300).map { String(repeating: "C", count: $0 % 5 + 1) }
        let input = try directory.write(inputs.joined(separator: "\n"), to: "in.smi")
        func serve(_ port: String) -> [String] {
            ["serve", "--port", port, "--data-dir", data, "--models-config", config.path, "--lease-seconds", "2", "--log-level", "error"]
        }
        let first = try await Self.serve(serve("0"))
        let url = first.url
        let port = try #require(url.split(separator: ":").last.map(String.init))
        let id = try CommandRunner.run(["submit", input.path, "--model", "test.slowcmd", "--chunk-size", "30", "--server", url])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let watchOut = Pipe()
        let watch = try CommandRunner.start(["watch", id, "--server", url], stdout: watchOut)
        try await Task.sleep(for: .milliseconds(800))
        first.kill()
        try await Task.sleep(for: .milliseconds(500))
        let second = try await Self.serve(serve(port))
        defer { second.stop() }
        watch.waitUntilExit()
        let printed = String(decoding: watchOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(watch.terminationStatus == 0, "\(printed)")
        #expect(printed.contains("completed, 300 records"), "\(printed)")
    }

    /// A `bulkpredict serve` process and the address it reported.
    struct Server {
        let process: Process
        let url: String

        /// Stops it gracefully and waits for it.
        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        /// Kills it as a crash would.
        func kill() {
            _ = Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Starts `bulkpredict` with `arguments` (a `serve` command) and waits for its address.
    static func serve(_ arguments: [String], environment: [String: String] = [:]) async throws -> Server {
        let out = Pipe()
        let process = try CommandRunner.start(arguments, stdout: out, environment: environment)
        return Server(process: process, url: try await listeningURL(out))
    }

    /// Reads the server's "listening on URL" line without blocking past the deadline.
    static func listeningURL(_ pipe: Pipe) async throws -> String {
        let text = Mutex("")
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        defer { pipe.fileHandleForReading.readabilityHandler = nil }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let seen = text.withLock { $0 }
            if let range = seen.range(of: "listening on "), let end = seen[range.upperBound...].firstIndex(of: "\n") {
                return String(seen[range.upperBound..<end])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError(message: "the server did not report its address: \(text.withLock { $0 })")
    }
}
