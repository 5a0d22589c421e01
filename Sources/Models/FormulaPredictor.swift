import BulkPredictCore
import Chemistry

/// The built-in `chem.formula` model: molecular formula in Hill order, heavy-atom count and
/// average molecular weight, from the SMILES parser in `Chemistry`.
public struct FormulaPredictor: Predictor {
    /// The implementation name under which this model is registered as a built-in.
    public static let implementation = "chem.formula"

    /// The default descriptor.
    public static let defaultDescriptor = ModelDescriptor(
        id: "chem.formula", version: "1.0.0", input: .smiles,
        outputs: [
            OutputColumn(name: "formula", type: .string, description: "molecular formula in Hill order, with charge"),
            OutputColumn(name: "heavy_atoms", type: .int, description: "number of non-hydrogen atoms"),
            OutputColumn(name: "mol_weight", type: .double, description: "average molecular weight (g/mol)"),
        ],
        targets: ["physchem"], series: ["basic"], runner: .builtin(implementation),
        description: "Molecular formula, heavy-atom count and average molecular weight")

    public var descriptor: ModelDescriptor { model.descriptor }
    private let model: MoleculePredictor

    /// Creates the model under `descriptor` (which a configuration file may rename or re-version).
    public init(descriptor: ModelDescriptor = Self.defaultDescriptor, maximumSMILESLength: Int = 4_096) {
        model = MoleculePredictor(descriptor: descriptor, maximumSMILESLength: maximumSMILESLength) { molecule in
            [.string(molecule.formula), .int(Int64(molecule.heavyAtomCount)), .double(molecule.averageMolecularWeight)]
        }
    }

    public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
        try await model.predict(inputs)
    }

    /// The outcome for one SMILES; synchronous so that benchmarks can time the bare model.
    public func outcome(for smiles: String) -> RecordOutcome {
        model.outcome(for: smiles)
    }
}
