import BulkPredictCore
import Chemistry

/// A built-in model that reads each record as SMILES and computes its outputs from the
/// molecule; an unreadable SMILES becomes an error row that names the position and reason.
///
/// The chemistry models (`chem.descriptors`, `chem.druglikeness`, `chem.esol`) are instances
/// with different output functions.
public struct MoleculePredictor: Predictor {
    /// Computes the output values, in ``ModelDescriptor/outputs`` order, for one molecule.
    public typealias Compute = @Sendable (Molecule) -> [OutputValue]

    public let descriptor: ModelDescriptor
    private let parser: SMILESParser
    private let compute: Compute

    /// Creates the model.
    public init(descriptor: ModelDescriptor, maximumSMILESLength: Int = 4_096, compute: @escaping Compute) {
        self.descriptor = descriptor
        parser = SMILESParser(maximumLength: maximumSMILESLength)
        self.compute = compute
    }

    public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(inputs.count)
        for (index, smiles) in inputs.enumerated() {
            // A descriptor set costs about a millisecond: check often enough that a cancel
            // stops a chunk within a few milliseconds.
            if index & 7 == 0 { try Task.checkCancellation() }
            outcomes.append(outcome(for: smiles))
        }
        return outcomes
    }

    /// The outcome for one SMILES; synchronous so that benchmarks can time the bare model.
    public func outcome(for smiles: String) -> RecordOutcome {
        do {
            return .values(compute(try parser.parse(smiles)))
        } catch {
            return .error("invalid SMILES: \(error.description)")
        }
    }
}
