import ArgumentParser
import AsyncHTTPClient
import BulkPredictCore
import Formats
import Foundation

/// `bulkpredict submit`: uploads a file to a server.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit a file of molecules to a BulkPredict server.")

    @Argument(help: "Input file: .csv/.tsv with a SMILES column, .smi/.txt with one SMILES per line, .sdf, or FASTA for protein models; any of them may be gzipped (.gz).") var input: String
    @OptionGroup var routingOptions: RoutingOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Wait for the request to finish, showing progress.") var wait = false
    @Option(name: .shortAndLong, help: "With --wait: write the result here (.parquet, .csv, .jsonl or .parquetbundle).") var output: String?
    @Option(
        help: ArgumentHelp(
            "Makes the submission safe to repeat: submitting the same file again with the same key (after a timeout or a dropped connection) answers with the first request instead of starting another.",
            valueName: "key"))
    var idempotencyKey: String?

    func run() async throws {
        let url = URL(fileURLWithPath: input)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
            FileManager.default.isReadableFile(atPath: url.path)
        else { throw CLIError("cannot read input file '\(input)'") }
        if output != nil, !wait { throw CLIError("-o/--output needs --wait") }
        var query: [(String, String)] = routingOptions.models.map { ("model", $0) }
        if let target = routingOptions.target { query.append(("target", target)) }
        if let series = routingOptions.series { query.append(("series", series)) }
        if let chunk = routingOptions.chunkSize { query.append(("chunk_size", "\(chunk)")) }
        if let parallel = routingOptions.maxParallel { query.append(("max_parallel", "\(parallel)")) }
        if routingOptions.smilesColumn != "smiles" { query.append(("smiles_column", routingOptions.smilesColumn)) }
        if let idColumn = routingOptions.idColumn { query.append(("id_column", idColumn)) }
        query.append(("filename", url.lastPathComponent))
        let path = "/api/v1/requests?" + query.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
        let client = serverOptions.client
        let status = try await client.json(
            RequestStatus.self, path, method: .POST,
            headers: [("Content-Type", Self.mediaType(url))] + (idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []),
            body: .stream(FileChunks(url: url), length: .known(size.int64Value)), accepting: [202],
            // The answer comes after the whole file is uploaded and read, which can take long.
            timeout: .hours(24))
        print(status.id)
        guard wait else { return }
        var bar = ProgressBar()
        let final = try await client.follow(status.id.rawValue) { bar.update($0) }
        bar.finish()
        FileHandle.standardError.write(Data((StatusText.summary(final) + "\n").utf8))
        guard final.state.hasResult else { throw ExitCode.failure }
        if let output {
            let bytes = try await client.download(status.id.rawValue, to: output)
            FileHandle.standardError.write(Data("wrote \(bytes) bytes to \(output)\n".utf8))
        }
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func mediaType(_ url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "csv": "text/csv"
        case "tsv", "tab": "text/tab-separated-values"
        default: "text/plain"
        }
    }
}

/// `bulkpredict status ID`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the state and counts of a request.")
    @Argument(help: "Request id.") var id: String
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        print(StatusText.summary(try await serverOptions.client.json(RequestStatus.self, "/api/v1/requests/\(id)")))
    }
}

/// `bulkpredict watch ID`: a progress bar from the event stream.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Follow a request's progress until it ends.")
    @Argument(help: "Request id.") var id: String
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        var bar = ProgressBar()
        let final = try await serverOptions.client.follow(id) { bar.update($0) }
        bar.finish()
        print(StatusText.summary(final))
        if !final.state.hasResult { throw ExitCode.failure }
    }
}

/// `bulkpredict cancel ID`.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a request and show what stopped.")
    @Argument(help: "Request id.") var id: String
    @Option(help: "Seconds to wait for running work to stop.") var drain = 30
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        let status = try await serverOptions.client.json(RequestStatus.self, "/api/v1/requests/\(id)?drain=\(drain)", method: .DELETE)
        print(StatusText.summary(status))
        let stopped = status.jobs.reduce(0) { $0 + $1.cancelled }
        let done = status.jobs.reduce(0) { $0 + $1.succeeded + $1.failed }
        print("stopped: \(stopped) record runs did not happen; \(done) had finished before the cancel")
    }
}

/// `bulkpredict retry ID`: re-runs the failed records of a request.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Run the failed records of a request again; every other row stays as it is.")
    @Argument(help: "Request id.") var id: String
    @Flag(help: "Wait for the retry to finish, showing progress.") var wait = false
    @Option(name: .shortAndLong, help: "With --wait: write the rebuilt result here (.parquet, .csv or .jsonl).") var output: String?
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        if output != nil, !wait { throw CLIError("-o/--output needs --wait") }
        let client = serverOptions.client
        let status = try await client.json(RequestStatus.self, "/api/v1/requests/\(id)/retry", method: .POST, accepting: [202])
        print("retrying the failed records of request \(status.id)")
        guard wait else { return }
        var bar = ProgressBar()
        let final = try await client.follow(id) { bar.update($0) }
        bar.finish()
        print(StatusText.summary(final))
        if let output {
            print("wrote \(try await client.download(id, to: output)) bytes to \(output)")
        }
    }
}

/// `bulkpredict download ID -o FILE`.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "download", abstract: "Download the result of a finished request.")
    @Argument(help: "Request id.") var id: String
    @Option(name: .shortAndLong, help: "Result file; its extension chooses the format: .parquet, .csv, .jsonl, or .parquetbundle (a ProtSpace bundle).") var output: String
    @Option(help: "wide (one row per record), long (one row per record and model), or embeddings (vectors as float columns; Parquet only).") var layout: ResultLayout = .wide
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        let bytes = try await serverOptions.client.download(id, to: output, layout: layout)
        print("wrote \(bytes) bytes to \(output)")
    }
}

/// `bulkpredict models`.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "List the models a server can run.")
    @OptionGroup var serverOptions: ServerOptions

    struct Listing: Decodable {
        let models: [ModelDescriptor]
        let recommendations: [Recommendation]
    }

    func run() async throws {
        let listing = try await serverOptions.client.json(Listing.self, "/api/v1/models")
        for model in listing.models {
            print("\(model.id) \(model.version) (\(model.input.rawValue)): \(model.description ?? "")")
            print("  outputs: \(model.outputs.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", "))")
        }
        for row in listing.recommendations {
            print("target \(row.target)\(row.series.map { "/\($0)" } ?? "") → \(row.model)")
        }
    }
}
