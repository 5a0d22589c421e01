import BulkPredictCore
import Hummingbird
import HummingbirdCore

/// The query string of a file upload: routing, options, and how to read the file.
struct UploadQuery {
    static let known: Set<Substring> = [
        "model", "models", "target", "series", "chunk_size", "max_parallel", "filename", "smiles_column", "id_column",
    ]

    let parameters: FlatDictionary<Substring, Substring>

    init(_ parameters: FlatDictionary<Substring, Substring>) {
        self.parameters = parameters
    }

    /// Unknown parameters are refused rather than ignored: a typo must not silently change a run.
    func rejectUnknown() throws {
        let unknown = Set(parameters.map { $0.key }).subtracting(Self.known).sorted()
        guard unknown.isEmpty else {
            throw ProblemDetails(
                .badRequest, type: "submission/unknown_field", detail: "unknown query parameter(s): \(unknown.joined(separator: ", "))",
                field: String(unknown[0]), validChoices: Self.known.map(String.init).sorted())
        }
    }

    /// `model=a&model=b` or `models=a,b`, or `target` and `series`.
    func routing() throws -> RoutingSpec {
        let models = (parameters[values: "model"] + parameters[values: "models"])
            .flatMap { $0.split(separator: ",") }
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return RoutingSpec(models: models, target: parameters["target"].map(String.init), series: parameters["series"].map(String.init))
    }

    func integer(_ name: Substring) throws -> Int? {
        try APIServer.integer(parameters[name], name: String(name), range: Int.min...Int.max)
    }

    var fileName: String? { parameters["filename"].map(String.init) }
    var smilesColumn: String? { parameters["smiles_column"].map(String.init) }
    var idColumn: String? { parameters["id_column"].map(String.init) }
}
