@testable import Chemistry
import Testing

@Suite("SMARTS")
struct SMARTSTests {
    private func count(_ smarts: String, in smiles: String) throws -> Int {
        let pattern = try SMARTSPattern(smarts)
        return pattern.matchCount(in: PerceivedMolecule(try parse(smiles)))
    }

    @Test("malformed patterns are errors that name the position")
    func errors() {
        let cases: [(String, Int)] = [
            ("", 0), ("C(", 2), ("C)", 1), ("[C", 0), ("C1CC", 4), ("[#]", 1), ("[$(C]", 1), ("C-", 1), ("(C)", 0),
            ("C.", 2), ("[Xx]", 1), ("C%1", 1), ("[C;]", 3), ("C=(C)", 2),
        ]
        for (smarts, position) in cases {
            do {
                _ = try SMARTSPattern(smarts)
                Issue.record("'\(smarts)' compiled")
            } catch {
                #expect(error.position == position, "'\(smarts)': \(error.description)")
                #expect(error.description.contains("position \(error.position)"))
            }
        }
    }

    @Test("primitives follow RDKit's meanings")
    func primitives() throws {
        // Aromaticity is perceived, not taken as written: Kekulé benzene matches `c`.
        #expect(try count("c", in: "C1=CC=CC=C1") == 6)
        #expect(try count("C", in: "C1=CC=CC=C1") == 0)
        #expect(try count("[#6]", in: "c1ccccc1O") == 6)
        // H counts every hydrogen; D counts graph neighbours; X adds hydrogens.
        #expect(try count("[CH3]", in: "CC(C)O") == 2)
        #expect(try count("[CD1]", in: "CC(C)O") == 2)
        #expect(try count("[CX4]", in: "CC(C)O") == 3)
        #expect(try count("[OH]", in: "[H]OC") == 1)
        // Valence, charge, isotope.
        #expect(try count("[Nv4+]", in: "C[N+](C)(C)C") == 1)
        #expect(try count("[13C]", in: "[13CH3]C") == 1)
        // Ring membership, ring size and ring bonds, on RDKit's ring set.
        #expect(try count("[R2]", in: "c1ccc2ccccc2c1") == 2)
        #expect(try count("[r5]", in: "C1CCC2(C1)CCCCC2") == 5)
        #expect(try count("[x3]", in: "c1ccc2ccccc2c1") == 2)
        #expect(try count("[R0]", in: "CC1CC1") == 1)
        // Recursion, logic and precedence: `,` binds tighter than `;`.
        #expect(try count("[$(C=O);!$(C(=O)O)]", in: "CC(=O)CC(=O)O") == 1)
        #expect(try count("[N,O;H1]", in: "CNCO") == 2)
        #expect(try count("[!#6;!#1]", in: "OCCN") == 2)
        // Bonds: implicit is single or aromatic; `@` is a ring bond; `~` anything.
        #expect(try count("cc", in: "c1ccccc1") == 6)
        #expect(try count("C-!@C", in: "CC1CC1") == 1)
        #expect(try count("C~O", in: "C=O.CO") == 2)
        #expect(try count("C=,#C", in: "C=CC#C") == 2)
        // Ring closures in patterns and unique matches by atom set.
        #expect(try count("C1CC1", in: "C1CC1") == 1)
        #expect(try count("*~*", in: "CCC") == 2)
        // Dot-separated components may match different fragments.
        #expect(try count("[Na+].[Cl-]", in: "[Na+].[Cl-]") == 1)
    }

    @Test("rooted matching asks for the first pattern atom on a given atom")
    func rooted() throws {
        let molecule = PerceivedMolecule(try parse("OCC(=O)O"))
        let acid = try SMARTSPattern("[OX2H]C=O")
        #expect(acid.matches(in: molecule, rootedAt: 4))
        #expect(!acid.matches(in: molecule, rootedAt: 0))
    }

    @Test("every built-in pattern compiles")
    func builtInPatterns() {
        let total =
            DescriptorPatterns.crippenTypes.count + DescriptorPatterns.qedAlerts.count
            + DescriptorPatterns.qedAcceptors.count + DescriptorPatterns.pains.count + DescriptorPatterns.brenk.count
            + DescriptorPatterns.nih.count
        #expect(total == 110 + 116 + 11 + 480 + 105 + 180)
    }

    @Test("aromaticity follows RDKit's model on the classic cases")
    func aromaticity() throws {
        func aromaticRings(_ smiles: String) throws -> Int { PerceivedMolecule(try parse(smiles)).numAromaticRings }
        #expect(try aromaticRings("c1ccccc1") == 1)
        #expect(try aromaticRings("C1=CC=CC=C1") == 1)
        #expect(try aromaticRings("O=c1cccc[nH]1") == 1)  // 2-pyridone
        #expect(try aromaticRings("c1ccc2cccc-2cc1") == 0)  // azulene: only the union is aromatic
        #expect(try aromaticRings("C1=CC=CC=CC=C1") == 0)  // cyclooctatetraene
        #expect(try aromaticRings("O=C1C=CC(=O)C=C1") == 0)  // quinone
        #expect(try aromaticRings("C1=CC2=CC=CC=C2C1") == 1)  // indene
        #expect(try aromaticRings("O=S1(=O)C=CC=C1") == 0)  // thiophene dioxide
        let azulene = PerceivedMolecule(try parse("c1ccc2cccc-2cc1"))
        #expect(azulene.isAromaticAtom.allSatisfy { $0 })
    }
}
