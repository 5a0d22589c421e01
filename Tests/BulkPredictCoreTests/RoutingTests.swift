import BulkPredictCore
import Testing

@Suite struct RoutingTests {
    static func model(_ id: String, _ input: InputKind = .smiles) -> ModelDescriptor {
        ModelDescriptor(id: id, version: "1", input: input, outputs: [], runner: .builtin(id))
    }

    static let catalog = ModelCatalog(
        models: [model("a"), model("b"), model("c"), model("p", .protein)],
        recommendations: [
            Recommendation(target: "solubility", model: "a"),
            Recommendation(target: "solubility", series: "fast", model: "b"),
            Recommendation(target: "solubility", series: "slow", model: "c"),
            Recommendation(target: "ghost", model: "missing"),
            Recommendation(target: "mixed", model: "a"),
            Recommendation(target: "mixed", model: "p"),
        ])

    @Test func explicitModelsResolveInTheOrderGivenWithoutDuplicates() throws {
        let models = try Self.catalog.resolve(RoutingSpec(models: ["c", "a", "c"]))
        #expect(models.map(\.id) == ["c", "a"])
    }

    @Test func unknownModelListsTheKnownOnes() {
        #expect(throws: RoutingError(code: .unknownModel, names: ["zz"], validChoices: ["a", "b", "c", "p"])) {
            try Self.catalog.resolve(RoutingSpec(models: ["a", "zz"]))
        }
    }

    @Test func targetWithoutSeriesTakesEveryRecommendedModel() throws {
        #expect(try Self.catalog.resolve(RoutingSpec(target: "solubility")).map(\.id) == ["a", "b", "c"])
    }

    @Test func seriesNarrowsTheTargetButKeepsRowsWithoutSeries() throws {
        #expect(try Self.catalog.resolve(RoutingSpec(target: "solubility", series: "fast")).map(\.id) == ["a", "b"])
    }

    @Test func unknownTargetAndSeriesListTheChoices() {
        #expect(throws: RoutingError(code: .unknownTarget, names: ["nope"], validChoices: ["ghost", "mixed", "solubility"])) {
            try Self.catalog.resolve(RoutingSpec(target: "nope"))
        }
        #expect(throws: RoutingError(code: .unknownSeries, names: ["medium"], validChoices: ["fast", "slow"])) {
            try Self.catalog.resolve(RoutingSpec(target: "solubility", series: "medium"))
        }
    }

    @Test func routingThatResolvesToNoModelFailsFast() {
        #expect(throws: RoutingError(code: .noModels, names: ["ghost"], validChoices: ["mixed", "solubility"])) {
            try Self.catalog.resolve(RoutingSpec(target: "ghost"))
        }
    }

    @Test func emptyRoutingAndContradictionsAreRefused() {
        #expect(throws: RoutingError.self) { try Self.catalog.resolve(RoutingSpec()) }
        #expect(throws: RoutingError(code: .modelsAndTarget)) { try Self.catalog.resolve(RoutingSpec(models: ["a"], target: "solubility")) }
        #expect(throws: RoutingError.self) { try Self.catalog.resolve(RoutingSpec(series: "fast")) }
    }

    @Test func modelsOfDifferentInputKindsCannotShareARequest() {
        #expect(throws: RoutingError(code: .mixedInputKinds, names: ["a", "p"])) {
            try Self.catalog.resolve(RoutingSpec(target: "mixed"))
        }
    }

    @Test func errorMessagesNameTheProblemAndTheChoices() {
        let error = RoutingError(code: .unknownModel, names: ["zz"], validChoices: ["a", "b"])
        #expect(error.description == "unknown model 'zz'; known models: a, b")
    }

    @Test func limitsGiveDefaultsAndRefuseOutOfRangeValues() throws {
        let limits = SubmissionLimits(globalParallelism: 2)
        #expect(try limits.maxParallel(for: nil) == 2)
        #expect(try limits.chunkSize(for: nil) == 1_000)
        #expect(throws: SubmissionError.self) { try limits.maxParallel(for: 3) }
        #expect(throws: SubmissionError.self) { try limits.chunkSize(for: 0) }
        #expect(SubmissionLimits(globalParallelism: 8).defaultMaxParallel == 4)
    }
}
