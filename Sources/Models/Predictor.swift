import BulkPredictCore

/// A model that can run: a batch of records in, one outcome per record out.
///
/// Implementations must return exactly one outcome per input, in input order, and should check
/// for cancellation (`Task.checkCancellation()`) every few records, so that cancelling a request
/// really stops the work.
public protocol Predictor: Sendable {
    /// What the model is and what it outputs.
    var descriptor: ModelDescriptor { get }

    /// Predicts a batch.
    /// - Returns: one outcome per input, in order; values follow `descriptor.outputs`.
    /// - Throws: `CancellationError` when cancelled; any other error fails the whole batch.
    func predict(_ inputs: [String]) async throws -> [RecordOutcome]
}
