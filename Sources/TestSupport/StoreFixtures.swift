import BulkPredictCore
import Foundation
import JobQueue

/// The job stores the conformance suite runs against.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// A fresh, empty store and a function that disposes of it.
    /// - Parameter maxRunningTasks: the store's global cap on running tasks.
    /// - Throws: ``TestPostgres/Unavailable`` for `postgres` when the test command did not start a
    ///   server: the suite fails rather than silently covering one store only.
    public func make(maxRunningTasks: Int? = nil) async throws -> (store: any JobStore, dispose: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory(prefix: "store")
            let store = try SQLiteJobStore(url: directory.file("bulkpredict.sqlite"), maxRunningTasks: maxRunningTasks)
            return (store, { directory.remove() })
        case .postgres:
            let database = try await TestPostgres.createDatabase()
            let store = try await PostgresJobStore(url: database.url, maxRunningTasks: maxRunningTasks)
            return (
                store,
                {
                    store.close()
                    await database.drop()
                }
            )
        }
    }
}

extension StoreKind {
    /// Runs `body` with a fresh store of this kind and disposes of it afterwards, also on failure.
    public func withFreshStore(maxRunningTasks: Int? = nil, _ body: (any JobStore) async throws -> Void) async throws {
        let (store, dispose) = try await make(maxRunningTasks: maxRunningTasks)
        do {
            try await body(store)
        } catch {
            await dispose()
            throw error
        }
        await dispose()
    }
}

/// Builders for store-level tests, where no files are needed.
public enum StoreFixtures {
    /// A model descriptor with one integer output.
    public static func model(_ id: String, maxAttempts: Int = ModelDescriptor.defaultMaxAttempts) -> ModelDescriptor {
        ModelDescriptor(
            id: id, version: "1.0", input: .smiles, outputs: [OutputColumn(name: "n", type: .int)], runner: .builtin(id),
            maxAttempts: maxAttempts)
    }

    /// A request of `records` records in chunks of `chunkSize` for the given models.
    public static func request(
        records: Int, chunkSize: Int = 10, models: [String] = ["m1"], maxParallel: Int = 4, owner: String = "local",
        maxAttempts: Int = ModelDescriptor.defaultMaxAttempts
    ) -> NewRequest {
        let chunks = (records + chunkSize - 1) / chunkSize
        return NewRequest(
            id: RequestID(), owner: owner, inputKind: .smiles, inputName: "input.csv", inputKey: "inputs/x/records.tsv",
            recordCount: records, chunkSize: chunkSize, maxParallel: maxParallel, models: models.map { model($0, maxAttempts: maxAttempts) },
            chunkOffsets: (0..<chunks).map { UInt64($0 * 100) })
    }
}
