import ArgumentParser
import Foundation

/// Where durable state lives, for the processes that share it (`serve` and `worker`).
struct StoreOptions: ParsableArguments {
    @Option(help: "Directory for the embedded database, the files and uploads.") var dataDir = "./bulkpredict-data"
    @Option(
        help: ArgumentHelp(
            "The job database: postgres://user:password@host:port/database to share work between processes and machines (default: SQLite in --data-dir).",
            valueName: "url"))
    var database: String?
    @Option(help: ArgumentHelp("Directory for inputs, chunk outputs and results; shared by every process of a deployment (default: DATA_DIR/blobs).", valueName: "dir"))
    var blobDir: String?
    @Option(help: "At most this many tasks run at once across every process sharing the database (default: no cap beyond each process's --concurrency).")
    var maxRunningTasks: Int?

    func validate() throws {
        if let database, !database.hasPrefix("postgres://"), !database.hasPrefix("postgresql://") {
            throw ValidationError("--database must be a postgres:// URL (leave it out for the embedded SQLite database)")
        }
        if let maxRunningTasks, maxRunningTasks < 1 { throw ValidationError("--max-running-tasks must be at least 1") }
    }

    var dataDirectory: URL { URL(fileURLWithPath: dataDir) }
}
