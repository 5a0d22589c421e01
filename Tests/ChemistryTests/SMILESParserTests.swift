import Chemistry
import Testing

@Suite("SMILES reading")
struct SMILESParserTests {
    @Test func organicSubsetAtomsGetImplicitHydrogensFromDefaultValences() throws {
        #expect(try hydrogenCounts("CCO") == [3, 2, 1])
        #expect(try hydrogenCounts("B") == [3])
        #expect(try hydrogenCounts("ClCBr") == [0, 2, 0])
        #expect(try hydrogenCounts("CS(C)(=O)=O") == [3, 0, 3, 0, 0])
        #expect(try hydrogenCounts("CP(C)(C)(C)C") == [3, 0, 3, 3, 3, 3])
        #expect(try hydrogenCounts("C=C") == [2, 2])
        #expect(try hydrogenCounts("C#N") == [1, 0])
    }

    @Test func twoLetterOrganicSymbolsAreReadGreedily() throws {
        let molecule = try parse("ClCBr")
        #expect(molecule.atoms.map(\.element) == [.chlorine, .carbon, .bromine])
    }

    @Test func bracketAtomsKeepIsotopeChargeHydrogensAndClass() throws {
        let atom = try parse("[13CH3+:7]").atoms[0]
        #expect(atom.element == .carbon)
        #expect(atom.isotope == 13)
        #expect(atom.charge == 1)
        #expect(atom.explicitHydrogenCount == 3)
        #expect(atom.implicitHydrogenCount == 0)
        #expect(atom.atomClass == 7)
        #expect(atom.isBracketAtom)
    }

    @Test func bracketAtomsHaveOnlyTheHydrogensWritten() throws {
        #expect(try hydrogenCounts("[C]") == [0])
        #expect(try hydrogenCounts("[13C]C") == [0, 3])
        #expect(try hydrogenCounts("[NH4+]") == [4])
        #expect(try hydrogenCounts("[OH-]") == [1])
    }

    @Test(arguments: [
        ("[O-]", -1), ("[O--]", -2), ("[O-2]", -2), ("[Fe+2]", 2), ("[Fe++]", 2),
        ("[N+]", 1), ("[C-3]", -3), ("[C+0]", 0), ("[C+15]", 15),
    ])
    func chargesAreReadInEveryNotation(smiles: String, charge: Int) throws {
        #expect(try parse(smiles).atoms[0].charge == charge)
    }

    @Test func anyElementCanBeWrittenInBrackets() throws {
        let symbols = try parse("[Fe].[Se].[se]1cccc1.[as]1ccccc1.[U].[Og].[Uuo]").atoms.map(\.element.symbol)
        #expect(symbols.first == "Fe")
        #expect(symbols.contains("Se"))
        #expect(symbols.contains("As"))
        #expect(Array(symbols.suffix(3)) == ["U", "Og", "Og"])
    }

    @Test func chiralityMarksAreKeptAsWritten() throws {
        let atoms = try parse("N[C@@H](C)C(=O)O.F[C@](Cl)(Br)I.[C@TH2](F)(Cl)Br.[Fe@OH12]").atoms
        #expect(atoms[1].chirality == .clockwise)
        #expect(atoms[7].chirality == .anticlockwise)
        #expect(atoms[11].chirality == .tetrahedral(2))
        #expect(atoms[15].chirality == .octahedral(12))
        #expect(atoms[0].chirality == .none)
    }

    @Test func bondSymbolsGiveTheirOrders() throws {
        let bonds = try parse("C-C.C=C.C#C.[C]$[C].C:C.C/C.C\\C.C->[Fe]").bonds
        #expect(bonds.map(\.order) == [.single, .double, .triple, .quadruple, .aromatic, .single, .single, .dative])
        #expect(bonds[5].direction == .up)
        #expect(bonds[6].direction == .down)
    }

    @Test func dativeBondsPointFromTheDonor() throws {
        let forward = try parse("C->C")
        #expect(forward.bonds[0].begin == 0)
        #expect(forward.atoms.map(\.hydrogenCount) == [4, 3])
        let backward = try parse("C<-C")
        #expect(backward.bonds[0].begin == 1)
        #expect(backward.atoms.map(\.hydrogenCount) == [3, 4])
    }

    @Test func branchesAttachToTheAtomBeforeThem() throws {
        let molecule = try parse("CC(C)(O)C")
        #expect(molecule.degree(of: 1) == 4)
        #expect(molecule.neighbors(of: 1).map(\.atom) == [0, 2, 3, 4])
    }

    @Test func deeplyNestedBranchesDoNotRecurse() throws {
        let depth = 2000
        let smiles = String(repeating: "C(", count: depth) + "C" + String(repeating: ")", count: depth)
        let molecule = try SMILESParser(maximumLength: 10_000).parse(smiles)
        #expect(molecule.atoms.count == depth + 1)
    }

    @Test func ringBondsCloseRingsWithAnyNumberNotation() throws {
        for smiles in ["C1CCCCC1", "C%10CCCCC%10", "C%(123)CCCCC%(123)", "C%10CCCCC%(10)", "C0CCCCC0"] {
            let molecule = try parse(smiles)
            #expect(molecule.bonds.count == 6, "\(smiles)")
            #expect(molecule.formula == "C6H12", "\(smiles)")
        }
    }

    @Test func ringBondNumbersCanBeReused() throws {
        #expect(try parse("C1CC1C1CC1").bonds.count == 7)
    }

    @Test func aBondSymbolOnEitherSideOfARingBondSetsItsOrder() throws {
        #expect(try parse("C=1CCCC1").formula == "C5H8")
        #expect(try parse("C1CCCC=1").formula == "C5H8")
        // As in RDKit, the opening side wins when both sides disagree.
        #expect(try parse("C#1CC=1").formula == "C3H2")
    }

    @Test func ringBondsMayFollowABranch() throws {
        #expect(try parse("C(C)1CC1").formula == "C4H8")
    }

    @Test func dotsSeparateFragmentsAndRingBondsMayCrossThem() throws {
        let salt = try parse("[Na+].[Cl-]")
        #expect(salt.bonds.isEmpty)
        #expect(salt.formula == "ClNa")
        #expect(try parse("C1.C1").bonds.count == 1)
        #expect(try parse("C(C.C)C").atoms.count == 4)
    }

    @Test func wildcardAtomsHaveNoHydrogensAndNoMass() throws {
        let molecule = try parse("*C")
        #expect(molecule.atoms[0].element == .wildcard)
        #expect(molecule.atoms[0].hydrogenCount == 0)
        #expect(molecule.formula == "CH3*")
        #expect(molecule.heavyAtomCount == 1)
    }

    @Test(arguments: [
        ("c1ccccc1", "C6H6"), ("c1ccncc1", "C5H5N"), ("c1cc[nH]c1", "C4H5N"), ("o1cccc1", "C4H4O"),
        ("c1ccsc1", "C4H4S"), ("c1ccc2ccccc2c1", "C10H8"), ("Cn1cccc1", "C5H7N"), ("c1cnc[nH]1", "C3H4N2"),
        ("O=c1cccc[nH]1", "C5H5NO"), ("c1cc[cH-]c1", "C5H5-"), ("c1cc[o+]cc1", "C5H5O+"),
        ("c1ccc2c(c1)[nH]c1ccccc12", "C12H9N"), ("[se]1ccnc1", "C3H3NSe"), ("c1ccn2cncc2c1", "C7H6N2"),
    ])
    func aromaticAtomsGetRDKitsHydrogenCounts(smiles: String, formula: String) throws {
        #expect(try parse(smiles).formula == formula)
    }

    @Test func aromaticRingsReceiveAKekuleStructure() throws {
        let benzene = try parse("c1ccccc1")
        #expect(benzene.bonds.allSatisfy { $0.order == .aromatic })
        #expect(benzene.bonds.filter { $0.kekuleOrder == .double }.count == 3)
        for atom in benzene.atoms.indices {
            let doubles = benzene.neighbors(of: atom).filter { benzene.bonds[$0.bond].kekuleOrder == .double }
            #expect(doubles.count == 1)
        }
    }

    @Test func nitroGroupsAreStoredChargeSeparatedAsInRDKit() throws {
        let molecule = try parse("CN(=O)=O")
        #expect(molecule.atoms.map(\.charge) == [0, 1, -1, 0])
        #expect(molecule.formula == "CH3NO2")
    }

    @Test func overbondedLigandsBondToMetalsDatively() throws {
        let molecule = try parse("CN(C)(C)[Fe]")
        #expect(molecule.bonds[3].order == .dative)
        #expect(molecule.formula == "C3H9FeN")
    }

    @Test func leadingWhitespaceIsSkippedAndATitleIsIgnored() throws {
        #expect(try parse("  CCO").formula == "C2H6O")
        #expect(try parse("CCO ethanol").formula == "C2H6O")
        #expect(try parse("CCO\tethanol\r\n").formula == "C2H6O")
    }

    @Test func bytesAndStringsGiveTheSameMolecule() throws {
        let smiles = "CC(=O)Oc1ccccc1C(=O)O"
        let fromString = try parse(smiles)
        let fromBytes = try Array(smiles.utf8).withUnsafeBufferPointer { buffer in
            try SMILESParser().parse(utf8: buffer)
        }
        #expect(fromString == fromBytes)
        #expect(try SMILESParser().parse(smiles.dropFirst(0)) == fromString)
    }
}
