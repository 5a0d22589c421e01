import Chemistry
import Testing

// Expected values are RDKit 2026.09.1's (Descriptors.RingCount, NumHDonors, ExactMolWt,
// rdMolDescriptors.CalcFractionCSP3, Chem.GetFormalCharge).
@Suite("Ring count, donors, FractionCSP3, charge and exact weight")
struct DescriptorTests {
    @Test(arguments: [
        ("CCO", 0), ("c1ccccc1", 1), ("CC.C1CC1", 1), ("c1ccc2ccccc2c1", 2), ("C1CCC11CCCC1", 2),
        ("C1CC2CCC1C2", 2), ("OCC1OC(O)C(O)C(O)C1O", 1),
    ])
    func ringCountIsTheCyclomaticNumberWithoutCages(smiles: String, rings: Int) throws {
        #expect(try parse(smiles).ringCount == rings)
    }

    // A bare SSSR keeps 2, 3 and 5 rings here; RDKit's symmetrised set keeps every
    // equally small alternative.
    @Test(arguments: [
        ("C1CN2CCC1CC2", 3), ("C12CC3CC(C1)CC(C2)C3", 4), ("C12C3C4C1C5C2C3C45", 6),
    ])
    func ringCountKeepsSymmetricAlternativesInCages(smiles: String, rings: Int) throws {
        #expect(try parse(smiles).ringCount == rings)
    }

    @Test func dativeBondsCloseNoRing() throws {
        #expect(try parse("C->1CC1").ringCount == 0)
    }

    @Test(arguments: [
        ("CCO", 1), ("[NH4+]", 1), ("CC(=O)[O-]", 0), ("C[C@H](N)C(=O)O", 2), ("OCC1OC(O)C(O)C(O)C1O", 5),
        ("c1cc[nH]c1", 1), ("c1ccncc1", 0), ("CN(C)C", 0), ("[H]OC", 1),
    ])
    func donorsFollowTheLipinskiPatterns(smiles: String, donors: Int) throws {
        #expect(try parse(smiles).numHDonors == donors)
    }

    @Test(arguments: [
        ("CCO", 1.0), ("c1ccccc1", 0.0), ("CC(=O)[O-]", 0.5), ("C[C@H](N)C(=O)O", 2.0 / 3.0), ("[NH4+]", 0.0),
        // RDKit asks for four neighbours, so a carbanion or radical is not sp3.
        ("[CH3-]", 0.0), ("[CH3]C", 1.0), ("[CH2]C", 0.5),
    ])
    func fractionCSP3CountsFourConnectedCarbons(smiles: String, fraction: Double) throws {
        #expect(abs(try parse(smiles).fractionCSP3 - fraction) < 1e-9)
    }

    @Test func formalChargeSumsTheCharges() throws {
        #expect(try parse("CC(=O)[O-]").formalCharge == -1)
        #expect(try parse("[NH4+]").formalCharge == 1)
        #expect(try parse("[Na+].[Cl-]").formalCharge == 0)
        #expect(try parse("[Fe+3]").formalCharge == 3)
    }

    @Test(arguments: [
        ("CCO", 46.041865), ("c1ccccc1", 78.04695), ("[13CH4]", 17.034655), ("[NH4+]", 18.033826),
        ("CC(=O)[O-]", 59.013853), ("OCC1OC(O)C(O)C(O)C1O", 180.063388), ("*", 0.0),
    ])
    func exactWeightUsesMostCommonIsotopesAndElectrons(smiles: String, weight: Double) throws {
        #expect(abs(try parse(smiles).exactMolecularWeight - weight) < 1e-5)
    }

    @Test func mostCommonIsotopeMassesAreRDKits() {
        #expect(Element.carbon.mostCommonIsotopeMass == 12.0)
        #expect(Element.hydrogen.mostCommonIsotopeMass == 1.007825032)
        #expect(Element.chlorine.mostCommonIsotopeMass == 34.96885268)
        #expect(Element.wildcard.mostCommonIsotopeMass == 0)
    }
}
