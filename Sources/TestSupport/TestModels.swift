import BulkPredictCore
import Models

/// Models with controlled behaviour, registered as built-ins for engine and API tests.
public enum TestModels {
    /// Sleeps `delay` per record and honours cancellation; outputs the SMILES length.
    public struct Slow: Predictor {
        public let descriptor: ModelDescriptor
        let delay: Duration

        public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
            var outcomes: [RecordOutcome] = []
            for input in inputs {
                try await Task.sleep(for: delay)
                outcomes.append(.values([.int(Int64(input.utf8.count))]))
            }
            return outcomes
        }
    }

    /// Throws for any batch that contains the input `boom`; otherwise outputs the SMILES length.
    public struct Exploding: Predictor {
        public let descriptor: ModelDescriptor

        public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
            if inputs.contains("boom") { throw EngineTestError.boom }
            return inputs.map { .values([.int(Int64($0.utf8.count))]) }
        }
    }

    /// Breaks the predictor contract: always returns one outcome too few.
    public struct Short: Predictor {
        public let descriptor: ModelDescriptor

        public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
            inputs.dropLast().map { .values([.int(Int64($0.utf8.count))]) }
        }
    }

    /// Breaks the predictor contract: returns a string where an integer is declared.
    public struct WrongType: Predictor {
        public let descriptor: ModelDescriptor

        public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
            inputs.map { .values([.string($0)]) }
        }
    }

    /// The error `Exploding` throws.
    public enum EngineTestError: Error, CustomStringConvertible {
        case boom
        public var description: String { "boom record" }
    }

    static func descriptor(_ id: String) -> ModelDescriptor {
        ModelDescriptor(
            id: id, version: "0.1", input: .smiles, outputs: [OutputColumn(name: "length", type: .int)],
            targets: ["testing"], runner: .builtin(id))
    }

    /// The built-in registry plus `test.slow` (delay per record), `test.exploding`, `test.short` and `test.wrongtype`,
    /// with target `testing` recommending `test.slow`.
    public static func registry(slowDelay: Duration = .milliseconds(20)) -> ModelRegistry {
        var registry = ModelRegistry.builtIn
        registry.addBuiltIn(descriptor("test.slow")) { Slow(descriptor: $0, delay: slowDelay) }
        registry.addBuiltIn(descriptor("test.exploding")) { Exploding(descriptor: $0) }
        registry.addBuiltIn(descriptor("test.short")) { Short(descriptor: $0) }
        registry.addBuiltIn(descriptor("test.wrongtype")) { WrongType(descriptor: $0) }
        try? registry.recommend(Recommendation(target: "testing", model: "test.slow"))
        return registry
    }
}
