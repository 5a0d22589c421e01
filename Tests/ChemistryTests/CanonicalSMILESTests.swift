import Chemistry
import Foundation
import Testing

/// Canonical SMILES: one string per molecule however it is written, stereo kept, and the
/// string reads back as the same molecule. Expected equalities and differences of stereo were
/// checked with RDKit 2026.09.1 (same canonical SMILES and InChI there).
@Suite("Canonical SMILES")
struct CanonicalSMILESTests {
    /// One fixture row: RDKit's canonical SMILES and ten randomised ones.
    struct Row: Sendable {
        var index: Int
        var smiles: [String]
    }

    /// What one row gave: our canonical SMILES of each of its SMILES, and of the first one
    /// read back.
    struct Outcome: Sendable {
        var row: Row
        var canonical: [String]
        var again: String
        var formulaKept: Bool
    }

    // Outputs can be longer than the inputs (parentheses), beyond the default limit.
    static let parser = SMILESParser(maximumLength: 1 << 20)

    static func loadRows() throws -> [Row] {
        let url = try #require(
            Bundle.module.url(forResource: "rdkit_random_smiles", withExtension: "tsv", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [Row] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") || line.hasPrefix("index\t") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 12, "malformed fixture line: \(line)")
            let index = try #require(Int(fields[0]))
            rows.append(Row(index: index, smiles: fields[1...].map(RDKitReferenceTests.unescape)))
        }
        return rows
    }

    /// Our canonical SMILES, or a marker naming the error.
    static func canonical(_ smiles: String) -> String {
        do throws(SMILESError) {
            return try parser.parse(smiles).canonicalSMILES
        } catch {
            return "error: \(error)"
        }
    }

    static func outcome(of row: Row) -> Outcome {
        let canonical = row.smiles.map(canonical)
        var again = ""
        var formulaKept = false
        if let first = try? parser.parse(row.smiles[0]), let written = try? parser.parse(canonical[0]) {
            again = written.canonicalSMILES
            formulaKept = written.formula == first.formula
        }
        return Outcome(row: row, canonical: canonical, again: again, formulaKept: formulaKept)
    }

    /// Every row's outcome, computed on two tasks: the fixture holds 43,000 SMILES.
    static func outcomes(of rows: [Row]) async -> [Outcome] {
        let chunks = stride(from: 0, to: rows.count, by: 500).map { Array(rows[$0..<min($0 + 500, rows.count)]) }
        return await withTaskGroup(of: (Int, [Outcome]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask { (index, chunk.map(outcome)) }
            }
            var results: [(Int, [Outcome])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// The canonical SMILES of every SMILES in `group` must be one string.
    static func expectSame(_ group: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let strings = Set(group.map(canonical))
        #expect(strings.count == 1, "\(group) gave \(strings.sorted())", sourceLocation: sourceLocation)
    }

    // MARK: - The shared molecule set

    // For each molecule, RDKit's canonical SMILES and ten randomised SMILES (11 writings)
    // must give one canonical string for at least 99.9% of molecules; and for every molecule
    // that string must read back to itself with the same formula.
    @Test func randomisedSMILESOfTheFixtureGiveOneStringThatReadsBackToItself() async throws {
        let rows = try Self.loadRows()
        #expect(rows.count == 3906)
        let outcomes = await Self.outcomes(of: rows)
        let disagreeing = outcomes.filter { Set($0.canonical).count != 1 }
        let agreeing = outcomes.count - disagreeing.count
        #expect(
            agreeing * 1000 >= outcomes.count * 999,
            "\(agreeing) of \(outcomes.count) agree; first failures: \(disagreeing.prefix(5).map(\.row.index))")
        for outcome in disagreeing.prefix(10) {
            Issue.record("row \(outcome.row.index): \(Set(outcome.canonical).sorted())")
        }
        let notIdempotent = outcomes.filter { $0.again != $0.canonical[0] || !$0.formulaKept }
        let examples = notIdempotent.prefix(5).map { ($0.row.index, $0.canonical[0], $0.again) }
        #expect(notIdempotent.isEmpty, "\(notIdempotent.count) rows do not read back: \(examples)")
    }

    // MARK: - Stereo

    @Test func tetrahedralStereoIsKeptAndDistinguished() {
        #expect(Self.canonical("C[C@H](N)O") != Self.canonical("C[C@@H](N)O"))
        // L-alanine, then D-alanine, each written several ways (RDKit agrees).
        let lAlanine = ["N[C@@H](C)C(=O)O", "C[C@H](N)C(=O)O", "OC(=O)[C@@H](N)C"]
        let dAlanine = ["[C@@H](N)(C)C(=O)O", "[C@H](C)(N)C(=O)O", "C[C@@H](N)C(=O)O"]
        Self.expectSame(lAlanine)
        Self.expectSame(dAlanine)
        #expect(Self.canonical(lAlanine[0]) != Self.canonical(dAlanine[0]))
        #expect(Self.canonical(lAlanine[0]).contains("@"))
    }

    // An implicit hydrogen follows the preceding atom, or comes first on the first atom.
    @Test func bracketHydrogenTakesItsWrittenPlace() {
        Self.expectSame(["F[C@H](Cl)Br", "[C@@H](F)(Cl)Br", "Cl[C@@H](F)Br", "Br[C@@H](Cl)F"])
        #expect(Self.canonical("F[C@H](Cl)Br") != Self.canonical("F[C@@H](Cl)Br"))
    }

    // A ring bond counts where its digit is written, not where the ring closes.
    @Test func ringBondDigitsOrderNeighbours() {
        Self.expectSame(["C[C@@H]1CCCO1", "O1CCC[C@H]1C", "C1C[C@@H](C)OC1"])
        #expect(Self.canonical("C[C@@H]1CCCO1") != Self.canonical("[C@@H]1(C)OCCC1"))
        // Swapping the order of two digits on a centre swaps two neighbours.
        Self.expectSame(["C[C@]21CCC[C@H]2CCC1", "C[C@]12CCC[C@H]1CCC2"])
        #expect(Self.canonical("C[C@]21CCC[C@H]2CCC1") != Self.canonical("C[C@@]12CCC[C@H]1CCC2"))
    }

    // Lone pairs on three-connected centres, including RDKit's reading of one ring digit.
    @Test func threeConnectedCentres() {
        Self.expectSame(["C[S@](=O)CC", "[S@](C)(=O)CC"])
        Self.expectSame(["CC[S@@](C)=O", "O=[S@](C)CC"])
        #expect(Self.canonical("C[S@](=O)CC") != Self.canonical("C[S@@](=O)CC"))
        Self.expectSame(["O[C@@H]1CC[P@](C)C1", "C1C[P@](C)C[C@@H]1O", "C[P@@]1CC[C@@H](O)C1"])
    }

    @Test func doubleBondStereoIsKeptAndDistinguished() {
        let trans = ["F/C=C/F", "F\\C=C\\F", "C(\\F)=C/F", "F/C=C/1.F1"]
        let cis = ["F/C=C\\F", "C(/F)=C/F", "C/1=C/F.F1"]
        Self.expectSame(trans)
        Self.expectSame(cis)
        #expect(Self.canonical("F/C=C/F") != Self.canonical("F/C=C\\F"))
        // A mark at the closing digit reads from the closing atom (RDKit: cis).
        #expect(Self.canonical("F/C=C1.F/1") == Self.canonical("F/C=C\\F"))
        // Conjugated: one single bond carries the mark for both double bonds.
        Self.expectSame(["C\\C=C/C=C\\C", "C(=C\\C)\\C=C/C"])
        #expect(Self.canonical("C/C=C/C=C\\C") != Self.canonical("C\\C=C/C=C\\C"))
        let diene = Self.canonical("C/C=C/C=C/C")
        #expect(Self.canonical(diene) == diene)
    }

    // cis- and trans-1,4-dimethylcyclohexane and decalin: centres whose ring neighbours are
    // alike, meaningful only together.
    @Test func ringStereoOfSymmetricRings() {
        let cis = ["C[C@H]1CC[C@@H](C)CC1", "C[C@@H]1CC[C@H](C)CC1", "C1C[C@@H](C)CC[C@H]1C"]
        let trans = ["C[C@H]1CC[C@H](C)CC1", "C[C@@H]1CC[C@@H](C)CC1", "C1C[C@H](C)CC[C@H]1C"]
        Self.expectSame(cis)
        Self.expectSame(trans)
        #expect(Self.canonical(cis[0]) != Self.canonical(trans[0]))
        #expect(Self.canonical(cis[0]).contains("@"))
        Self.expectSame(["C1CC[C@H]2CCCC[C@@H]2C1", "[C@@H]12CCCC[C@H]1CCCC2"])
        Self.expectSame(["C1CC[C@H]2CCCC[C@H]2C1", "[C@H]12CCCC[C@H]1CCCC2"])
        #expect(Self.canonical("C1CC[C@H]2CCCC[C@@H]2C1") != Self.canonical("C1CC[C@H]2CCCC[C@H]2C1"))
    }

    // Marks that cannot mean anything are dropped, as RDKit drops them.
    @Test func meaninglessMarksAreDropped() {
        #expect(Self.canonical("C[C@H](C)F") == Self.canonical("CC(C)F"))
        #expect(Self.canonical("C[C@H]1CCCCC1") == Self.canonical("CC1CCCCC1"))
        #expect(Self.canonical("C/C(/C)=C/F") == Self.canonical("CC(C)=CF"))
        // A double bond in a ring of fewer than eight atoms.
        #expect(Self.canonical("C1/C=C\\CCC1") == Self.canonical("C1C=CCCC1"))
    }

    // MARK: - Atoms, bonds and fragments

    @Test func chargesIsotopesHydrogensAndClasses() {
        #expect(Self.canonical("[13CH3]O") != Self.canonical("CO"))
        #expect(Self.canonical("[13CH3]O").contains("[13CH3]"))
        #expect(Self.canonical("C[N+](C)(C)C") == "C[N+](C)(C)C")
        #expect(Self.canonical("[NH4+]") == "[NH4+]")
        #expect(Self.canonical("CC(=O)[O-]") != Self.canonical("CC(=O)O"))
        #expect(Self.canonical("[CH3:2][OH:3]") == "[CH3:2][OH:3]")
        #expect(Self.canonical("[2H]C([2H])([2H])O") == "[2H]C([2H])([2H])O")
        Self.expectSame(["CN(=O)=O", "C[N+]([O-])=O", "[O-][N+](C)=O"])
        #expect(Self.canonical("[CH2]C") == "[CH2]C")
    }

    @Test func aromaticAtomsAreLowercase() {
        Self.expectSame(["C1=CC=CC=C1", "c1ccccc1"])
        #expect(Self.canonical("C1=CC=CC=C1") == "c1ccccc1")
        #expect(Self.canonical("c1cc[nH]c1").contains("[nH]"))
        // A single bond between aromatic atoms is written.
        #expect(Self.canonical("c1ccccc1c1ccccc1").contains("-c"))
        // Not aromatic in RDKit's model: written as Kekulé.
        #expect(Self.canonical("c1ccc1") == Self.canonical("C1=CC=C1"))
        #expect(!Self.canonical("c1ccc1").contains("c"))
    }

    @Test func dativeBondsAndWildcards() {
        Self.expectSame(["N->[Pt]", "[Pt]<-N"])
        #expect(Self.canonical("[Pt]<-N").contains("->"))
        Self.expectSame(["*CC", "CC*", "C(*)C"])
        Self.expectSame(["[*:1]c1ccccc1", "c1ccc([*:1])cc1"])
    }

    @Test func fragmentsAreOrderedCanonically() {
        Self.expectSame(["[Na+].[Cl-]", "[Cl-].[Na+]"])
        Self.expectSame(["CCO.O.[Na+]", "[Na+].O.OCC", "O.[Na+].C(O)C"])
        #expect(Self.canonical("[Na+].[Cl-]").split(separator: ".").count == 2)
    }

    // MARK: - Ring numbers and size

    @Test func ringNumbersAboveNine() throws {
        // A hub bonded to every atom of a ring keeps twenty ring bonds open at once.
        let ring = (0..<20).map { "C%\($0 + 10)" }.joined()
        let hub = "[U]" + (0..<20).map { "%\($0 + 10)" }.joined()
        let smiles = "C9" + ring.dropFirst(1) + "C9." + hub
        let written = Self.canonical(String(smiles))
        #expect(written.contains("%1"))
        #expect(Self.canonical(written) == written)
        let molecule = try Self.parser.parse(written)
        #expect(molecule.atoms.count == 22)
        #expect(molecule.bonds.count == 41)
    }

    // Long chains must not recurse: 2000 atoms, and 600 stereocentres.
    @Test func largeMoleculesNeedNoRecursion() throws {
        let chain = String(repeating: "C", count: 2000)
        #expect(Self.canonical(chain) == chain)
        let branched = String(repeating: "CC(C)", count: 667)
        let written = Self.canonical(branched)
        #expect(try Self.parser.parse(written).atoms.count == 2001)
        #expect(Self.canonical(written) == written)
        let peptide = "OC(=O)" + String(repeating: "[C@@H](C)N", count: 600)
        let writtenPeptide = Self.canonical(peptide)
        #expect(writtenPeptide.filter { $0 == "@" }.count >= 600)
        #expect(Self.canonical(writtenPeptide) == writtenPeptide)
        let ring = "C1" + String(repeating: "C", count: 298) + "C1"
        #expect(Self.canonical(ring) == ring)
    }

    @Test func perceivedAndPlainMoleculesAgree() throws {
        let molecule = try Self.parser.parse("OC(=O)[C@@H](N)Cc1ccccc1")
        #expect(PerceivedMolecule(molecule).canonicalSMILES == molecule.canonicalSMILES)
    }
}
