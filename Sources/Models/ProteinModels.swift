import BulkPredictCore
import Proteins

/// The built-in protein models: ProtParam properties (as Biopython computes them) and the
/// amino-acid and dipeptide composition embedding.
public enum ProteinModels {
    private static func column(_ name: String, _ type: ValueType, _ description: String) -> OutputColumn {
        OutputColumn(name: name, type: type, description: description)
    }

    /// `protein.properties`: Biopython `ProteinAnalysis` values under Biopython's names.
    public static let properties = ModelDescriptor(
        id: "protein.properties", version: "1.0.0", input: .protein,
        outputs: [
            column("length", .int, "number of residues"),
            column("molecular_weight", .double, "average molecular weight (Da); null when an ambiguous residue (X, B, Z, J) has no mass"),
            column("isoelectric_point", .double, "isoelectric point (Bjellqvist pK values, bisection as Biopython)"),
            column("gravy", .double, "grand average of hydropathy (Kyte–Doolittle); null with a non-standard residue"),
            column("instability_index", .double, "Guruprasad instability index; null with a non-standard residue"),
            column("aromaticity", .double, "fraction of F, W and Y"),
            column("extinction_reduced", .int, "molar extinction coefficient at 280 nm, cysteines reduced"),
            column("extinction_oxidized", .int, "molar extinction coefficient at 280 nm, cystines formed"),
            column("charge_at_ph7", .double, "net charge at pH 7"),
            column("notes", .string, "which values are null and why (the residue and its position)"),
        ],
        targets: ["protein_properties"], series: [], runner: .builtin("protein.properties"),
        description: "Protein sequence properties agreeing with Biopython's ProtParam")

    /// `protein.composition`: the 420-value composition embedding.
    public static let composition = ModelDescriptor(
        id: "protein.composition", version: "1.0.0", input: .protein,
        outputs: [
            OutputColumn(
                name: "embedding", type: .vector,
                description: "20 amino-acid fractions then 400 dipeptide fractions (ACDEFGHIKLMNPQRSTVWY order)",
                dimension: CompositionEmbedding.dimension),
            column("standard_fraction", .double, "share of residues that are one of the 20 standard amino acids"),
        ],
        targets: ["protein_embedding"], series: [], runner: .builtin("protein.composition"),
        description: "Amino-acid and dipeptide composition embedding (420 dimensions), projected by PCA at finalize")

    /// Registers both models.
    static func register(in registry: inout ModelRegistry) {
        registry.addBuiltIn(properties) { SequencePredictor(descriptor: $0, compute: computeProperties) }
        registry.addBuiltIn(composition) { SequencePredictor(descriptor: $0, compute: computeComposition) }
    }

    /// One target per model.
    static let recommendations = [
        Recommendation(target: "protein_properties", model: properties.id),
        Recommendation(target: "protein_embedding", model: composition.id),
    ]

    @Sendable static func computeProperties(_ sequence: String) throws(ProteinSequenceError) -> [OutputValue] {
        let values = try ProteinProperties(sequence: sequence)
        let notes = values.missingValues.map(\.description).joined(separator: "; ")
        return [
            .int(Int64(values.length)), values.molecularWeight.map(OutputValue.double) ?? .null, .double(values.isoelectricPoint),
            values.gravy.map(OutputValue.double) ?? .null, values.instabilityIndex.map(OutputValue.double) ?? .null,
            .double(values.aromaticity), .int(Int64(values.extinctionReduced)), .int(Int64(values.extinctionOxidized)),
            .double(values.chargeAtPH7), notes.isEmpty ? .null : .string(notes),
        ]
    }

    @Sendable static func computeComposition(_ sequence: String) throws(ProteinSequenceError) -> [OutputValue] {
        let embedding = try CompositionEmbedding(sequence: sequence)
        let standard = embedding.values.prefix(20).reduce(0, +)
        return [.vector(embedding.values.map { Float($0) }), .double(standard)]
    }
}

/// A built-in model that reads each record as a protein sequence; a sequence the computation
/// refuses becomes an error row naming the residue and position.
public struct SequencePredictor: Predictor {
    /// Computes the output values, in ``ModelDescriptor/outputs`` order, for one sequence.
    public typealias Compute = @Sendable (String) throws(ProteinSequenceError) -> [OutputValue]

    public let descriptor: ModelDescriptor
    private let compute: Compute

    /// Creates the model.
    public init(descriptor: ModelDescriptor, compute: @escaping Compute) {
        self.descriptor = descriptor
        self.compute = compute
    }

    public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(inputs.count)
        for (index, sequence) in inputs.enumerated() {
            if index & 31 == 0 { try Task.checkCancellation() }
            do {
                outcomes.append(.values(try compute(sequence)))
            } catch {
                outcomes.append(.error(error.message))
            }
        }
        return outcomes
    }
}
