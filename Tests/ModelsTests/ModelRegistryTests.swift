import BulkPredictCore
import Foundation
import Models
import TestSupport
import Testing

@Suite struct ModelRegistryTests {
    func load(_ json: String) throws -> ModelRegistry {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try ModelRegistry.loading(configuration: try directory.write(json, to: "models.json"))
    }

    func loadError(_ json: String) -> String {
        do {
            _ = try load(json)
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test func builtInRegistryRoutesPhyschemToTheFormulaModel() throws {
        let registry = ModelRegistry.builtIn
        #expect(try registry.catalog.resolve(RoutingSpec(target: "physchem")).map(\.id) == ["chem.formula"])
        #expect(try registry.predictor(for: "chem.formula").descriptor.outputs.map(\.name) == ["formula", "heavy_atoms", "mol_weight"])
    }

    @Test func configurationAddsModelsAndRecommendations() async throws {
        let registry = try load(
            """
            {"models": [{"id": "acme.formula", "version": "2.0.0", "input": "smiles", "max_attempts": 2,
                         "runner": {"kind": "builtin", "implementation": "chem.formula"}, "series": ["acme"]}],
             "recommendations": [{"target": "physchem", "series": "acme", "model": "acme.formula"},
                                 {"target": "elements", "model": "acme.formula"}]}
            """)
        #expect(
            registry.catalog.models.map(\.id) == [
                "chem.formula", "diag.noop", "diag.cpu", "chem.descriptors", "chem.druglikeness", "chem.esol", "protein.properties",
                "protein.composition", "acme.formula",
            ])
        #expect(
            try registry.catalog.resolve(RoutingSpec(target: "physchem", series: "acme")).map(\.id) == ["chem.formula", "acme.formula"])
        #expect(try registry.catalog.resolve(RoutingSpec(target: "elements")).map(\.id) == ["acme.formula"])
        let predictor = try registry.predictor(for: "acme.formula")
        #expect(predictor.descriptor.version == "2.0.0")
        #expect(predictor.descriptor.maxAttempts == 2)
        #expect(predictor.descriptor.outputs.map(\.name) == ["formula", "heavy_atoms", "mol_weight"])
        #expect(try await predictor.predict(["CCO"]) == [.values([.string("C2H6O"), .int(3), .double(46.069)])])
    }

    @Test func badConfigurationsAreRefusedWithAMessageNamingTheProblem() {
        #expect(
            loadError("{\"models\": [{\"id\": \"x\", \"version\": \"1\", \"input\": \"smiles\", \"runner\": {\"kind\": \"grpc\"}}]}")
                .contains("model 'x': unknown runner kind 'grpc'; supported: builtin, command"))
        #expect(loadError("{\"models\": [{\"id\": \"x\", \"version\": \"1\", \"input\": \"smiles\", \"runner\": {\"kind\": \"command\", \"command\": [\"python3\"]}}]}")
            .contains("a command model must declare its 'outputs'"))
        #expect(loadError("{\"models\": [{\"id\": \"x\", \"version\": \"1\", \"input\": \"smiles\", \"outputs\": [{\"name\": \"n\", \"type\": \"int\"}], \"runner\": {\"kind\": \"command\", \"command\": []}}]}")
            .contains("a command runner needs a non-empty 'command' list"))
        #expect(
            loadError(
                "{\"models\": [{\"id\": \"x\", \"version\": \"1\", \"input\": \"smiles\", \"runner\": {\"kind\": \"builtin\", \"implementation\": \"magic\"}}]}"
            )
            .contains("unknown built-in implementation 'magic'; available: chem.descriptors, chem.druglikeness, chem.esol, chem.formula"))
        #expect(
            loadError("{\"recommendations\": [{\"target\": \"t\", \"model\": \"ghost\"}]}")
                .contains("names unknown model 'ghost'"))
        #expect(
            loadError("{\"models\": [{\"id\": \"x\", \"input\": \"smiles\", \"runner\": {\"kind\": \"builtin\"}}]}")
                .contains("missing field 'version' at .models[0]"))
        #expect(
            loadError(
                "{\"models\": [{\"id\": \"a b\", \"version\": \"1\", \"input\": \"smiles\", \"runner\": {\"kind\": \"builtin\", \"implementation\": \"chem.formula\"}}]}"
            )
            .contains("model id 'a b' may use only"))
        #expect(
            loadError(
                "{\"models\": [{\"id\": \"x\", \"version\": \"1\", \"input\": \"smiles\", \"runner\": {\"kind\": \"builtin\", \"implementation\": \"chem.formula\"}, \"outputs\": [{\"name\": \"mass\", \"type\": \"double\"}]}]}"
            )
            .contains("declared outputs differ"))
        #expect(loadError("not json").contains("model configuration"))
        #expect(loadError("{\"models\": [{\"id\": \"x\", \"version\": \"1\", \"input\": \"smiles\", \"max_attempts\": 0, \"runner\": {\"kind\": \"builtin\", \"implementation\": \"chem.formula\"}}]}")
            .contains("max_attempts must be at least 1"))
    }

    @Test func formulaModelGivesAnErrorRowForInvalidSmilesAndStopsWhenCancelled() async throws {
        let model = FormulaPredictor()
        let outcomes = try await model.predict(["C1CC", "[Na+].[Cl-]"])
        guard case .error(let message) = outcomes[0] else {
            Issue.record("expected an error row")
            return
        }
        #expect(message.hasPrefix("invalid SMILES: "))
        #expect(outcomes[1] == .values([.string("ClNa"), .int(2), .double(58.443)]))
        let task = Task { try await model.predict(Array(repeating: "c1ccccc1", count: 1_000_000)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

@Suite struct VectorOutputDeclarationTests {
    func loadError(_ json: String) -> String {
        do {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            _ = try ModelRegistry.loading(configuration: try directory.write(json, to: "models.json"))
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test func vectorOutputsNeedABoundedDimensionAndOnlyThey() {
        let command = #"{"kind": "command", "command": ["python3", "x.py"]}"#
        func model(_ outputs: String, runner: String) -> String {
            #"{"models": [{"id": "acme.embed", "version": "1", "input": "protein", "runner": \#(runner), "outputs": [\#(outputs)]}]}"#
        }
        #expect(loadError(model(#"{"name": "e", "type": "vector"}"#, runner: command)).contains("needs a 'dimension' from 1 to 4096"))
        #expect(loadError(model(#"{"name": "e", "type": "vector", "dimension": 100000}"#, runner: command)).contains("from 1 to 4096"))
        #expect(loadError(model(#"{"name": "n", "type": "int", "dimension": 3}"#, runner: command)).contains("only vector outputs have a 'dimension'"))
        #expect(loadError(model(#"{"name": "e", "type": "vector", "dimension": 8}"#, runner: command)) == "loaded")
        // A built-in's outputs, dimension included, cannot be redeclared differently.
        let builtin = #"{"kind": "builtin", "implementation": "protein.composition"}"#
        let changed = model(
            #"{"name": "embedding", "type": "vector", "dimension": 20}, {"name": "standard_fraction", "type": "double"}"#, runner: builtin)
        #expect(loadError(changed).contains("declared outputs differ"))
    }
}
