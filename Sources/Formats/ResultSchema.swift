import BulkPredictCore
import Foundation

/// What the columns of a merged result mean: written beside the result by the merge, so every
/// other format can be derived from the CSV with the right types, even after the model registry
/// has changed.
public struct ResultSchema: Sendable, Codable, Equatable {
    /// The part a column plays in the result.
    public enum Role: String, Sendable, Codable {
        /// The record's 0-based input position.
        case row
        /// The record's identifier, as given.
        case id
        /// A column of the input file passed through unchanged.
        case passthrough
        /// The record as submitted (a SMILES, a sequence).
        case input
        /// The molecule's canonical SMILES, copied from the first model that computes it.
        case canonicalSMILES = "canonical_smiles"
        /// One declared output of one model.
        case value
        /// The reason one model has no values for the record.
        case error
    }

    /// One column of the wide CSV, in order.
    public struct Column: Sendable, Codable, Equatable {
        /// The column name in the wide layout.
        public var name: String
        /// Its value type.
        public var type: ValueType
        /// What it holds.
        public var role: Role
        /// The model it belongs to, for ``Role/value`` and ``Role/error`` columns.
        public var model: String?
        /// The output name without the model prefix, for ``Role/value`` columns.
        public var output: String?

        /// Creates a column.
        public init(name: String, type: ValueType, role: Role, model: String? = nil, output: String? = nil) {
            self.name = name
            self.type = type
            self.role = role
            self.model = model
            self.output = output
        }
    }

    /// One model of the request, in routing order.
    public struct Model: Sendable, Codable, Equatable {
        /// The model id.
        public var id: String
        /// The version that ran.
        public var version: String
        /// Its declared outputs.
        public var outputs: [OutputColumn]

        /// Creates a model entry.
        public init(id: String, version: String, outputs: [OutputColumn]) {
            self.id = id
            self.version = version
            self.outputs = outputs
        }
    }

    /// The request the result belongs to.
    public var requestID: String
    /// The models, in routing order.
    public var models: [Model]
    /// The wide columns, in file order.
    public var columns: [Column]

    /// Creates a schema.
    public init(requestID: String, models: [Model], columns: [Column]) {
        self.requestID = requestID
        self.models = models
        self.columns = columns
    }

    /// The output every model that computes a canonical SMILES declares.
    public static let canonicalSMILESOutput = "canonical_smiles"

    /// The wide schema for `models` and the input's passthrough columns: `row`, `id`, the
    /// passthrough columns, `input`, `canonical_smiles` when a model computes it, then each
    /// model's outputs and error. A passthrough column whose name is taken by another column is
    /// called `input.<name>`, so nothing is lost.
    public static func wide(requestID: String, models: [Model], passthrough: [String]) -> ResultSchema {
        let canonical = canonicalSource(models)
        var taken: Set<String> = ["row", "id", "input"]
        if canonical != nil { taken.insert(canonicalSMILESOutput) }
        for model in models {
            for output in model.outputs { taken.insert("\(model.id).\(output.name)") }
            taken.insert("\(model.id).error")
        }
        var columns = [Column(name: "row", type: .int, role: .row), Column(name: "id", type: .string, role: .id)]
        for name in passthrough {
            var unique = taken.contains(name) ? "input.\(name)" : name
            // A second clash (the input had both `x` and `input.x`) gets a counter rather than
            // overwriting either.
            var counter = 2
            while taken.contains(unique) {
                unique = "input.\(name).\(counter)"
                counter += 1
            }
            taken.insert(unique)
            columns.append(Column(name: unique, type: .string, role: .passthrough))
        }
        columns.append(Column(name: "input", type: .string, role: .input))
        if let canonical {
            columns.append(Column(name: canonicalSMILESOutput, type: .string, role: .canonicalSMILES, model: models[canonical.model].id))
        }
        for model in models {
            // Vectors are not table cells: they are kept in their own files (see ``vectors``).
            for output in model.outputs where output.type != .vector {
                columns.append(Column(name: "\(model.id).\(output.name)", type: output.type, role: .value, model: model.id, output: output.name))
            }
            columns.append(Column(name: "\(model.id).error", type: .string, role: .error, model: model.id))
        }
        return ResultSchema(requestID: requestID, models: models, columns: columns)
    }

    /// The first model with a string output named `canonical_smiles`: its index, and the position
    /// of that output among all model cells of a row (each model's outputs then its error).
    public static func canonicalSource(_ models: [Model]) -> (model: Int, cell: Int)? {
        var cell = 0
        for (index, model) in models.enumerated() {
            let cells = model.outputs.filter { $0.type != .vector }
            if let output = cells.firstIndex(where: { $0.name == canonicalSMILESOutput && $0.type == .string }) {
                return (index, cell + output)
            }
            cell += cells.count + 1
        }
        return nil
    }

    /// The vector outputs of the models, in order: each is merged into its own file.
    public var vectors: [(model: String, output: OutputColumn)] {
        models.flatMap { model in model.outputs.filter { $0.type == .vector }.map { (model.id, $0) } }
    }

    /// The number of passthrough columns.
    public var passthroughCount: Int { columns.count(where: { $0.role == .passthrough }) }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case models, columns
    }
}
