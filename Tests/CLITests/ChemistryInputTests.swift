import Foundation
import TestSupport
import Testing

/// `predict` with the chemistry models and the molecule input formats: CSV with chosen columns
/// and passthrough, SD files with their data items, `.smi`.
@Suite struct ChemistryInputTests {
    @Test func csvColumnsOtherThanSMILESAndIDComeBackUnchanged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.write(
            #"""
            compound,structure,assay,"note, with comma"
            A-1,CCO,0.5,"first ""quoted"""
            A-1,c1ccccc1O,,second
            B-7,not a smiles,1e-3,third
            """#, to: "in.csv")
        let output = directory.file("out.csv")
        let result = try CommandRunner.run([
            "predict", input.path, "--model", "chem.descriptors", "--smiles-column", "structure", "--id-column",
            "compound", "-o", output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try CSVTable(contentsOf: output)
        #expect(Array(table.header.prefix(5)) == ["row", "id", "assay", "note, with comma", "input"])
        #expect(table.rows.count == 3)
        #expect(table.rows.map { $0[1] } == ["A-1", "A-1", "B-7"])
        #expect(table.rows.map { $0[2] } == ["0.5", "", "1e-3"])
        #expect(table.rows.map { $0[3] } == ["first \"quoted\"", "second", "third"])
        #expect(table.value(0, "chem.descriptors.canonical_smiles") == "CCO")
        #expect(table.value(1, "chem.descriptors.NumAromaticRings") == "1")
        #expect(table.value(2, "chem.descriptors.error")?.hasPrefix("invalid SMILES") == true)
    }

    @Test func passthroughColumnsNamedLikeResultColumnsAreRenamedNotLost() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.write("smiles,input,row,chem.formula.formula\nCCO,a,b,c\n", to: "in.csv")
        let output = directory.file("out.csv")
        let result = try CommandRunner.run(["predict", input.path, "--model", "chem.formula", "-o", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try CSVTable(contentsOf: output)
        #expect(
            Array(table.header.prefix(6)) == ["row", "id", "input.input", "input.row", "input.chem.formula.formula", "input"])
        #expect(Array(table.rows[0].prefix(6)) == ["0", "", "a", "b", "c", "CCO"])
    }

    @Test func sdFilesBecomeCanonicalSMILESWithTheirDataItemsPassedThrough() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.file("out.csv")
        let result = try CommandRunner.run([
            "predict", SharedData.molecules("solubility.test.sdf").path, "--model", "chem.esol", "-o", output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try CSVTable(contentsOf: output)
        #expect(table.rows.count == 257)
        for name in ["ID", "NAME", "SOL", "SMILES", "SOL_classification"] {
            #expect(table.column(name) != nil, "missing passthrough column \(name): \(table.header)")
        }
        #expect(table.value(0, "id") == "3-methylpentane")
        #expect(table.value(0, "SOL") == "-3.68")
        // 3-methylpentane, as its canonical SMILES (not RDKit's spelling, CCC(C)CC).
        #expect(table.value(0, "input") == "CC(CC)CC")
        let errors = table.rows.indices.filter { !(table.value($0, "chem.esol.error") ?? "").isEmpty }
        #expect(errors.isEmpty, "\(errors.map { table.rows[$0] })")
    }

    @Test func everyChemistryModelRunsOnTheChemblSample() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.file("out.csv")
        let result = try CommandRunner.run([
            "predict", SharedData.molecules("chembl_samples.csv").path, "--model", "chem.descriptors", "--model",
            "chem.druglikeness", "--model", "chem.esol", "-o", output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try CSVTable(contentsOf: output)
        #expect(table.rows.count == 2_000)
        for model in ["chem.descriptors", "chem.druglikeness", "chem.esol"] {
            let failed = table.rows.indices.filter { !(table.value($0, "\(model).error") ?? "").isEmpty }
            #expect(failed.isEmpty, "\(model): \(failed.count) error rows")
        }
    }

    @Test func invalidAndHostileSMILESBecomeErrorRowsWithReasons() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The crash corpus of the reliability scenarios, and SMILES fields of the shared
        // solubility set that RDKit rejects too (written `n(H)`, or an aromatic N missing its H).
        let hostile = [
            "C(", "C%(99999)", "[999999999999C]", "[C+99999999999999999999]", String(repeating: "(", count: 3_000),
            "c1ccccc1C(=O)Nc1nc2ccccc2n(H)1", "c1cc2ccccc2n1", "[", "C1CC", "c1cccc1",
        ]
        var text = "smiles\n"
        for smiles in hostile { text += "\"\(smiles)\"\n" }
        text += "CCO\n"
        let input = try directory.write(text, to: "in.csv")
        let output = directory.file("out.csv")
        let result = try CommandRunner.run([
            "predict", input.path, "--model", "chem.descriptors", "--model", "chem.esol", "-o", output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try CSVTable(contentsOf: output)
        #expect(table.rows.count == hostile.count + 1)
        for row in 0..<hostile.count {
            for model in ["chem.descriptors", "chem.esol"] {
                let error = table.value(row, "\(model).error") ?? ""
                #expect(error.hasPrefix("invalid SMILES: "), "row \(row): '\(error)'")
                #expect(error.contains("position"), "row \(row): '\(error)'")
            }
        }
        #expect(table.value(hostile.count, "chem.descriptors.canonical_smiles") == "CCO")
    }
}
