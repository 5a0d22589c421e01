import BulkPredictCore

/// `diag.noop`: the input's length in bytes and nothing else. It costs almost nothing, so a run
/// with it measures what the queue and the engine cost per task (load tests, smoke tests of a new
/// deployment).
public struct NoopPredictor: Predictor {
    /// The implementation name under which this model is registered as a built-in.
    public static let implementation = "diag.noop"

    /// The default descriptor.
    public static let defaultDescriptor = ModelDescriptor(
        id: "diag.noop", version: "1.0.0", input: .smiles,
        outputs: [OutputColumn(name: "length", type: .int, description: "length of the input in bytes")],
        runner: .builtin(implementation),
        description: "Diagnostic: the input's length; measures the cost of the queue and engine alone")

    public let descriptor: ModelDescriptor

    /// Creates the model under `descriptor`.
    public init(descriptor: ModelDescriptor = Self.defaultDescriptor) {
        self.descriptor = descriptor
    }

    public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
        try Task.checkCancellation()
        return inputs.map { .values([.int(Int64($0.utf8.count))]) }
    }
}

/// `diag.cpu`: a fixed amount of arithmetic per record (about 0.1 ms on a current core) and a
/// checksum of the input, so that load tests can measure how throughput scales with cores and
/// workers for a CPU-bound model whose cost does not depend on the input.
public struct CPUBurnPredictor: Predictor {
    /// The implementation name under which this model is registered as a built-in.
    public static let implementation = "diag.cpu"

    /// Rounds of the mixing loop per record.
    static let rounds = 100_000

    /// The default descriptor.
    public static let defaultDescriptor = ModelDescriptor(
        id: "diag.cpu", version: "1.0.0", input: .smiles,
        outputs: [OutputColumn(name: "checksum", type: .int, description: "a hash of the input, mixed a fixed number of rounds")],
        runner: .builtin(implementation),
        description: "Diagnostic: a fixed amount of CPU work per record, for load tests")

    public let descriptor: ModelDescriptor

    /// Creates the model under `descriptor`.
    public init(descriptor: ModelDescriptor = Self.defaultDescriptor) {
        self.descriptor = descriptor
    }

    public func predict(_ inputs: [String]) async throws -> [RecordOutcome] {
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(inputs.count)
        for (index, input) in inputs.enumerated() {
            if index & 15 == 0 { try Task.checkCancellation() }
            outcomes.append(.values([.int(Self.checksum(input))]))
        }
        return outcomes
    }

    /// FNV-1a over the bytes, then `rounds` rounds of xorshift: serial, so it cannot be skipped.
    static func checksum(_ input: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in input.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for _ in 0..<rounds {
            hash ^= hash << 13
            hash ^= hash >> 7
            hash ^= hash << 17
        }
        return Int64(bitPattern: hash)
    }
}
