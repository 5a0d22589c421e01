import Chemistry
import Testing

@Suite("Formula, heavy atoms and weight")
struct FormulaTests {
    @Test(arguments: [
        ("CCO", "C2H6O"), ("O", "H2O"), ("N", "H3N"), ("Cl", "HCl"), ("[FeH9]", "H9Fe"),
        ("[Na+].[Cl-]", "ClNa"), ("CS(=O)(=O)[O-].[Na+]", "CH3NaO3S"), ("*C(Cl)N", "CH3*ClN"),
        ("[Na+].[Cl-].*", "*ClNa"), ("c1ccccc1Br", "C6H5Br"), ("[H][H]", "H2"), ("[2H][2H]", "H2"),
    ])
    func formulaUsesHillOrderWithHydrogenSecond(smiles: String, formula: String) throws {
        #expect(try parse(smiles).formula == formula)
    }

    @Test(arguments: [
        ("[NH4+]", "H4N+"), ("[O-]", "O-"), ("[Fe+2]", "Fe+2"), ("[O-2]", "O-2"),
        ("[Na+].[Na+].[O-]S(=O)(=O)[O-]", "Na2O4S"),
        ("[C+3]", "C+3"), ("C[N+](C)(C)C.[Cl-]", "C4H12ClN"),
    ])
    func formulaEndsWithTheNetCharge(smiles: String, formula: String) throws {
        #expect(try parse(smiles).formula == formula)
    }

    @Test func isotopesCountAsTheirElementInTheFormula() throws {
        #expect(try parse("[13CH4]").formula == "CH4")
        #expect(try parse("[2H]C").formula == "CH4")
    }

    @Test func heavyAtomsExcludeHydrogenAndWildcards() throws {
        #expect(try parse("CCO").heavyAtomCount == 3)
        #expect(try parse("[2H]C([H])").heavyAtomCount == 1)
        #expect(try parse("*C*").heavyAtomCount == 1)
        #expect(try parse("[Na+].[Cl-]").heavyAtomCount == 2)
    }

    @Test(arguments: [
        ("C", 16.043), ("CCO", 46.069), ("c1ccccc1", 78.114), ("[Na+].[Cl-]", 58.443), ("*", 0.0),
        ("CC(=O)Oc1ccccc1C(=O)O", 180.159), ("[Fe+2]", 55.845),
    ])
    func averageWeightMatchesRDKit(smiles: String, weight: Double) throws {
        #expect(abs(try parse(smiles).averageMolecularWeight - weight) < 1e-6)
    }

    @Test func isotopesWeighTheirExactMass() throws {
        #expect(abs(try parse("[13CH4]").averageMolecularWeight - (13.00335484 + 4 * 1.008)) < 1e-9)
        #expect(abs(try parse("[2H]C").averageMolecularWeight - (2.014101778 + 12.011 + 3 * 1.008)) < 1e-9)
        // RDKit weighs an isotope missing from its table by its mass number.
        #expect(try parse("[1000C]").averageMolecularWeight == 1000)
        #expect(try parse("[13*]").averageMolecularWeight == 0)
    }

    @Test func netChargeSumsFormalCharges() throws {
        #expect(try parse("[NH4+].[NH4+].[O-]S(=O)(=O)[O-]").netCharge == 0)
        #expect(try parse("[Fe+3]").netCharge == 3)
    }
}
