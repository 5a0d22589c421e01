import BulkPredictCore
import Models
import Testing

@Suite struct DiagnosticPredictorTests {
    @Test func noopAnswersEveryRecordWithItsLength() async throws {
        let outcomes = try await NoopPredictor().predict(["CCO", "", "c1ccccc1"])
        #expect(outcomes == [.values([.int(3)]), .values([.int(0)]), .values([.int(8)])])
    }

    @Test func cpuBurnIsDeterministicAndDependsOnTheInput() async throws {
        let model = CPUBurnPredictor()
        let first = try await model.predict(["CCO", "CCN", "CCO"])
        let again = try await model.predict(["CCO"])
        #expect(first[0] == again[0])
        #expect(first[0] == first[2])
        #expect(first[0] != first[1])
    }

    @Test func bothAreBuiltInAndListed() throws {
        let registry = ModelRegistry.builtIn
        #expect(registry.catalog.model("diag.noop") != nil)
        #expect(registry.catalog.model("diag.cpu") != nil)
        _ = try registry.predictor(for: "diag.cpu")
    }
}
