import BulkPredictCore
@testable import Engine
import Formats
import Foundation
import JobQueue
import TestSupport
import Testing

/// Rows written ahead while tasks run must make exactly the bytes a merge at the end would, and
/// must be thrown away whenever the plan disagrees with what they were built from.
@Suite struct RollingMergeTests {
    /// Records with ids, a bad SMILES and a duplicate, for two models in chunks of 7.
    private static let records: [InputRecord] = (0..<60).map { index in
        switch index {
        case 11: InputRecord(id: "bad", input: "C1CC")
        case 12: InputRecord(id: "m3", input: "CCN")
        default: InputRecord(id: "m\(index)", input: index.isMultiple(of: 3) ? "c1ccccc1O" : "CC(=O)O")
        }
    }

    /// Submits the records and runs every task once, in claim order, without merging; returns
    /// the request and each task with where its output went.
    private func runTasks(_ harness: Harness) async throws -> (RequestID, [(task: ClaimedTask, outputKey: String)]) {
        let id = try await harness.coordinator.submit(
            Submission(routing: RoutingSpec(models: ["chem.formula", "chem.descriptors"]), chunkSize: 7, maxParallel: 4),
            records: Self.records)
        let runner = TaskRunner(coordinator: harness.coordinator, slots: ComputeSlots(count: 1))
        var done: [(task: ClaimedTask, outputKey: String)] = []
        while let task = try await harness.store.claim(workerID: "test", lease: .seconds(30)) {
            let finished = try #require(await runner.run(task))
            #expect(finished.receipt.accepted)
            done.append((task, try #require(finished.outputKey)))
        }
        #expect(done.count == 18)
        return (id, done)
    }

    private func merge(_ harness: Harness, _ id: RequestID, rolling: RollingMerges) async throws -> Data {
        await Finalizer(coordinator: harness.coordinator, rolling: rolling).mergeIfReady(id)
        let location = try #require(try await harness.store.resultLocation(of: id))
        return try Data(contentsOf: try harness.coordinator.blobs.fileURL(for: location.csvKey))
    }

    private func leftovers(_ harness: Harness, _ id: RequestID) throws -> [String] {
        let folder = try harness.coordinator.blobs.fileURL(for: "results/\(id.rawValue)")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
    }

    /// The inode of the rows being written ahead (a temporary file), then of the result: the same
    /// inode means the merge kept the file written ahead rather than writing its own.
    private func inode(_ harness: Harness, _ id: RequestID, _ name: String? = nil) throws -> UInt64 {
        let folder = try harness.coordinator.blobs.fileURL(for: "results/\(id.rawValue)")
        let file = try name ?? #require(try leftovers(harness, id).first)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(file).path)
        return try #require(attributes[.systemFileNumber] as? UInt64)
    }

    /// Keeps the rows written ahead open, so that their inode cannot be reused by another file
    /// after the merge deletes them.
    private func holdOpen(_ harness: Harness, _ id: RequestID) throws -> FileHandle {
        let folder = try harness.coordinator.blobs.fileURL(for: "results/\(id.rawValue)")
        return try FileHandle(forReadingFrom: folder.appendingPathComponent(try #require(try leftovers(harness, id).first)))
    }

    @Test func rowsWrittenAheadOutOfOrderAreAdoptedAndMatchAMergeAtTheEnd() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let (ahead, aheadTasks) = try await runTasks(harness)
        let (plain, _) = try await runTasks(harness)
        let rolling = RollingMerges(coordinator: harness.coordinator)
        // Chunks end in any order; rows are written only up to the first gap in either model.
        let held = aheadTasks.first { $0.task.modelID == "chem.descriptors" && $0.task.startRow == 21 }!
        var shuffled = aheadTasks.filter { $0.task.taskID != held.task.taskID }
        shuffled.shuffle()
        for (task, key) in shuffled { await rolling.chunkSucceeded(task, outputKey: key) }
        let merge = try #require(rolling.current(ahead))
        #expect(await merge.rowsWritten == 21)
        await rolling.chunkSucceeded(held.task, outputKey: held.outputKey)
        #expect(await merge.rowsWritten == 60)
        let aheadFile = try inode(harness, ahead)

        let adopted = try await self.merge(harness, ahead, rolling: rolling)
        #expect(try inode(harness, ahead, "result.csv") == aheadFile, "the merge kept the rows written ahead")
        let written = try await self.merge(harness, plain, rolling: RollingMerges(coordinator: harness.coordinator))
        #expect(adopted == written)
        #expect(rolling.current(ahead) == nil)
        #expect(try leftovers(harness, ahead).isEmpty)
        let table = try await harness.result(ahead)
        #expect(table.rows.count == 60)
        #expect(table.value(11, "chem.formula.error")?.isEmpty == false)
        #expect(table.value(12, "id") == "m3")
        // A chunk reported after its request was merged starts no new rolling merge.
        await rolling.chunkSucceeded(held.task, outputKey: held.outputKey)
        #expect(rolling.current(ahead) == nil)
    }

    @Test func rowsFromAChunkThePlanDoesNotNameAreThrownAway() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let (ahead, aheadTasks) = try await runTasks(harness)
        let (plain, plainTasks) = try await runTasks(harness)
        let rolling = RollingMerges(coordinator: harness.coordinator)
        // The first chunk is reported with another block of output of the same length (as a
        // superseded attempt's would be): the plan names a different block, so nothing written
        // ahead may be kept, or rows 0-6 would hold the values of rows 7-13.
        for (index, (task, key)) in aheadTasks.enumerated() {
            let reported = index == 0 ? plainTasks.first { $0.task.startRow == 7 && $0.task.modelID == task.modelID }!.outputKey : key
            await rolling.chunkSucceeded(task, outputKey: reported)
        }
        #expect(await rolling.current(ahead)?.rowsWritten == 60)
        let aheadFile = try inode(harness, ahead)
        let held = try holdOpen(harness, ahead)
        defer { try? held.close() }
        let merged = try await merge(harness, ahead, rolling: rolling)
        #expect(try inode(harness, ahead, "result.csv") != aheadFile)
        let written = try await merge(harness, plain, rolling: RollingMerges(coordinator: harness.coordinator))
        #expect(merged == written)
        #expect(try leftovers(harness, ahead).isEmpty)
    }
}
