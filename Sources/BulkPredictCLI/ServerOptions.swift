import ArgumentParser
import Foundation

/// Where the server is: `--server`, else `$BULKPREDICT_SERVER`, else the local default.
struct ServerOptions: ParsableArguments {
    @Option(help: "Server URL (default: $BULKPREDICT_SERVER or http://127.0.0.1:8080).") var server: String?

    var client: APIClient {
        APIClient(server: server ?? ProcessInfo.processInfo.environment["BULKPREDICT_SERVER"] ?? "http://127.0.0.1:8080")
    }
}
