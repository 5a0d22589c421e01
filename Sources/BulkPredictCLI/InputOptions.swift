import ArgumentParser
import BulkPredictCore

/// Routing and chunking options shared by `predict` and `submit`.
struct RoutingOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: "A model id; repeat for several models.") var models: [String] = []
    @Option(help: "Route by target through the recommendations table instead of naming models.") var target: String?
    @Option(help: "A series within the target.") var series: String?
    @Option(help: "Records per task (default 1000).") var chunkSize: Int?
    @Option(help: "Most tasks of this request held at once, across all workers (default: the server's, 4; for predict, 2 × --concurrency).") var maxParallel: Int?
    @Option(help: "Name of the SMILES column in CSV/TSV input.") var smilesColumn = "smiles"
    @Option(help: "Name of the id column in CSV/TSV input, or of the SD data item that holds the id (default: a CSV/TSV column named 'id', if any; an SD record's title line).") var idColumn: String?

    var routing: RoutingSpec { RoutingSpec(models: models, target: target, series: series) }
}
