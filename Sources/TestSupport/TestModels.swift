import BulkPredictCore
import Models
import Synchronization

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

    /// Fails each batch with a retryable error until it has seen that batch `failures` times.
    public final class Flaky: Predictor {
        public let descriptor: ModelDescriptor
        let failures: Int
        let seen = Mutex<[String: Int]>([:])

        init(descriptor: ModelDescriptor, failures: Int) {
            self.descriptor = descriptor
            self.failures = failures
        }

        public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
            let key = inputs.first ?? ""
            let count = seen.withLock { table -> Int in
                table[key, default: 0] += 1
                return table[key] ?? 0
            }
            if count <= failures { throw PredictorError("model server busy (try \(count))", retryable: true) }
            return inputs.map { .values([.int(Int64($0.utf8.count))]) }
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

    /// The built-in registry plus `test.slow` (delay per record), `test.exploding`, `test.short`, `test.wrongtype`,
    /// `test.flaky` (two retryable failures per chunk) and `test.hopeless` (as many failures as attempts),
    /// with target `testing` recommending `test.slow`.
    public static func registry(slowDelay: Duration = .milliseconds(20)) -> ModelRegistry {
        var registry = ModelRegistry.builtIn
        registry.addBuiltIn(descriptor("test.slow")) { Slow(descriptor: $0, delay: slowDelay) }
        registry.addBuiltIn(descriptor("test.exploding")) { Exploding(descriptor: $0) }
        registry.addBuiltIn(descriptor("test.short")) { Short(descriptor: $0) }
        registry.addBuiltIn(descriptor("test.wrongtype")) { WrongType(descriptor: $0) }
        // One instance each, so that they remember earlier attempts across tasks. Flaky fails twice
        // per chunk, then succeeds: within the default five attempts.
        let flaky = Flaky(descriptor: descriptor("test.flaky"), failures: 2)
        registry.addBuiltIn(flaky.descriptor) { _ in flaky }
        // Fails exactly as often as its three attempts allow: the run gives up, a retry succeeds.
        var hopelessDescriptor = descriptor("test.hopeless")
        hopelessDescriptor.maxAttempts = 3
        let hopeless = Flaky(descriptor: hopelessDescriptor, failures: 3)
        registry.addBuiltIn(hopelessDescriptor) { _ in hopeless }
        try? registry.recommend(Recommendation(target: "testing", model: "test.slow"))
        return registry
    }
}
