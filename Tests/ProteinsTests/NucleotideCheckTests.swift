import Foundation
import Proteins
import Testing

@Suite("NucleotideCheck")
struct NucleotideCheckTests {
    @Test func nucleotideFileIsRejected() throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared("CP040672.1.genes_100.fna"))
        #expect(records.count == 100)
        let check = NucleotideCheck(records: records)
        #expect(check.recordsWithSequence == 100)
        #expect(check.looksLikeNucleotides)
        let rejection = try #require(check.rejection)
        #expect(rejection.code == .nucleotideInput)
        #expect(rejection.message.contains("looks like DNA/RNA"))
    }

    @Test(arguments: ["LuxC.faa", "PKSI.faa"])
    func proteinFilesPass(name: String) throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared(name))
        let check = NucleotideCheck(records: records)
        #expect(check.recordsWithSequence == records.count)
        #expect(check.nucleotideLikeRecords == 0)
        #expect(!check.looksLikeNucleotides)
        #expect(check.rejection == nil)
    }

    @Test func compositionRule() {
        // Short poly-A is below the 20-residue minimum.
        #expect(!FASTARecord(header: "polyA", sequence: String(repeating: "A", count: 15)).isNucleotideLike)
        // A-rich but a real peptide: 16 of 21 residues are A/C/G/T/U/N, about 76%.
        #expect(!FASTARecord(header: "pep", sequence: "MAAAKAAAEAAAGAAAKAAAL").isNucleotideLike)
        // The rule is composition only: 30 × A passes both thresholds.
        #expect(FASTARecord(header: "polyA", sequence: String(repeating: "A", count: 30)).isNucleotideLike)
        // Exactly 18 of 20 (90%) is nucleotide-like; 17 of 20 is not.
        #expect(FASTARecord(header: "dna", sequence: "ACGTUNACGTUNACGTUNMK").isNucleotideLike)
        #expect(!FASTARecord(header: "mix", sequence: "ACGTUNACGTUNACGTUMKL").isNucleotideLike)
        // Error records are never nucleotide-like.
        #expect(!FASTARecord(header: "e", sequence: String(repeating: "A", count: 30), error: "x").isNucleotideLike)
    }

    @Test func majorityDecides() {
        let dna = FASTARecord(header: "d", sequence: String(repeating: "ACGT", count: 10))
        let protein = FASTARecord(header: "p", sequence: "MKVLLAGDRSTEEQWYHPFI")
        let broken = FASTARecord(header: "b", sequence: "", error: "the sequence is empty")
        // Half is not more than half.
        #expect(!NucleotideCheck(records: [dna, protein]).looksLikeNucleotides)
        #expect(NucleotideCheck(records: [dna, dna, protein]).looksLikeNucleotides)
        // Error records do not count either way.
        #expect(NucleotideCheck(records: [dna, broken, broken, broken]).looksLikeNucleotides)
        #expect(!NucleotideCheck(records: [broken]).looksLikeNucleotides)
        #expect(!NucleotideCheck().looksLikeNucleotides)
    }
}
