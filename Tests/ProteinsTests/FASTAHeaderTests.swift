import Foundation
import Proteins
import Testing

@Suite("FASTAHeader")
struct FASTAHeaderTests {
    typealias Annotation = FASTAHeader.Annotation

    @Test func uniProtSwissProt() {
        let header = FASTAHeader(
            parsing:
                "sp|P19841|LUXC_PHOPO Long-chain acyl-protein thioester reductase OS=Photobacterium phosphoreum OX=659 GN=luxC PE=1 SV=3"
        )
        #expect(header.format == .uniProt)
        #expect(header.identifier == "P19841")
        #expect(
            header.annotations == [
                Annotation(name: "database", value: "sp"),
                Annotation(name: "accession", value: "P19841"),
                Annotation(name: "entry_name", value: "LUXC_PHOPO"),
                Annotation(name: "protein_name", value: "Long-chain acyl-protein thioester reductase"),
                Annotation(name: "organism", value: "Photobacterium phosphoreum"),
                Annotation(name: "taxon_id", value: "659"),
                Annotation(name: "gene", value: "luxC"),
                Annotation(name: "existence_level", value: "1"),
                Annotation(name: "sequence_version", value: "3"),
            ])
    }

    @Test func uniProtTrEMBLWithParenthesesInTheOrganism() {
        let header = FASTAHeader(
            parsing:
                ">tr|Q5DZ03|Q5DZ03_ALIF1 Acyl-CoA reductase OS=Aliivibrio fischeri (strain ATCC 700601 / ES114) OX=312309 GN=luxC PE=3 SV=1"
        )
        #expect(header.format == .uniProt)
        #expect(header.identifier == "Q5DZ03")
        #expect(header["database"] == "tr")
        #expect(header["organism"] == "Aliivibrio fischeri (strain ATCC 700601 / ES114)")
        #expect(header["taxon_id"] == "312309")
        #expect(header["existence_level"] == "3")
    }

    @Test func uniProtWithoutGeneAndWithIsoform() {
        // Isoform entries carry the isoform number in the accession and have no PE or SV.
        let header = FASTAHeader(
            parsing: "sp|Q4R572-2|1433B_MACFA Isoform Short of 14-3-3 protein beta/alpha OS=Macaca fascicularis OX=9541 GN=YWHAB"
        )
        #expect(header.identifier == "Q4R572-2")
        #expect(header["protein_name"] == "Isoform Short of 14-3-3 protein beta/alpha")
        #expect(header["gene"] == "YWHAB")
        #expect(header["existence_level"] == nil)
        #expect(header["sequence_version"] == nil)
        let plainName = FASTAHeader(parsing: "sp|Q00001|TEST_HUMAN Kinase OS=Homo sapiens OX=9606 PE=2 SV=1")
        #expect(plainName["gene"] == nil)
        #expect(plainName["protein_name"] == "Kinase")
        #expect(plainName.dictionary["organism"] == "Homo sapiens")
        // An equals sign inside the protein name is not a field.
        let equals = FASTAHeader(parsing: "sp|Q00002|X_Y Ratio A=B protein OS=Mus musculus OX=10090 SV=1")
        #expect(equals["protein_name"] == "Ratio A=B protein")
        #expect(equals["organism"] == "Mus musculus")
        #expect(equals["existence_level"] == nil)
    }

    @Test func uniProtWithoutDescription() {
        let header = FASTAHeader(parsing: "sp|P00001|NAME_ONLY")
        #expect(header.format == .uniProt)
        #expect(header.annotations.map(\.name) == ["database", "accession", "entry_name"])
    }

    @Test func notQuiteUniProtIsPlain() {
        for text in ["xx|P00001|NAME desc", "sp|P00001 desc", "sp||NAME desc", "sp|A|B|C desc"] {
            let header = FASTAHeader(parsing: text)
            #expect(header.format == .plain, "\(text)")
            #expect(header.identifier == String(text.prefix { $0 != " " }))
            #expect(header["description"] == "desc")
        }
    }

    @Test func ncbiCodingSequence() {
        let header = FASTAHeader(
            parsing:
                "lcl|NZ_CP040672.1_cds_WP_003152102.1_27 [gene=yugI] [locus_tag=FGE23_RS00145] [protein=S1 domain-containing post-transcriptional regulator GSP13] [protein_id=WP_003152102.1] [location=complement(27721..28113)] [gbkey=CDS]"
        )
        #expect(header.format == .ncbi)
        #expect(header.identifier == "lcl|NZ_CP040672.1_cds_WP_003152102.1_27")
        #expect(
            header.annotations == [
                Annotation(name: "gene", value: "yugI"),
                Annotation(name: "locus_tag", value: "FGE23_RS00145"),
                Annotation(name: "protein", value: "S1 domain-containing post-transcriptional regulator GSP13"),
                Annotation(name: "protein_id", value: "WP_003152102.1"),
                Annotation(name: "location", value: "complement(27721..28113)"),
                Annotation(name: "gbkey", value: "CDS"),
            ])
    }

    @Test func ncbiNestedBracketsAndFreeText() {
        let header = FASTAHeader(
            parsing: "XP_1.1 putative enzyme [protein=dehydrogenase [NADP+]] partial [organism name] [gene=abc]")
        #expect(header.format == .ncbi)
        #expect(header.identifier == "XP_1.1")
        #expect(header["description"] == "putative enzyme partial [organism name]")
        #expect(header["protein"] == "dehydrogenase [NADP+]")
        #expect(header["gene"] == "abc")
        #expect(header.annotations.first?.name == "description")
        // An unclosed bracket is text, and without any pair the header is plain.
        let unclosed = FASTAHeader(parsing: "id1 some protein [protein=never closed")
        #expect(unclosed.format == .plain)
        #expect(unclosed["description"] == "some protein [protein=never closed")
    }

    @Test func plainHeaders() {
        let header = FASTAHeader(parsing: "  my_protein_1\tsome description  here ")
        #expect(header.format == .plain)
        #expect(header.identifier == "my_protein_1")
        #expect(header.annotations == [Annotation(name: "description", value: "some description  here")])
        let bare = FASTAHeader(parsing: "seq42")
        #expect(bare.identifier == "seq42")
        #expect(bare.annotations.isEmpty)
        let empty = FASTAHeader(parsing: "")
        #expect(empty.identifier == "")
        #expect(empty.annotations.isEmpty)
        let organismInBrackets = FASTAHeader(parsing: "WP_0001.1 hypothetical protein [Bacillus subtilis]")
        #expect(organismInBrackets.format == .plain)
        #expect(organismInBrackets["description"] == "hypothetical protein [Bacillus subtilis]")
    }

    @Test(arguments: ["LuxC.faa", "PKSI.faa"])
    func everyUniProtHeaderOfTheSharedFiles(file: String) throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared(file))
        #expect(!records.isEmpty)
        for record in records {
            let header = FASTAHeader(parsing: record.header)
            #expect(header.format == .uniProt)
            let parts = record.header.split(separator: "|")
            #expect(header.identifier == String(parts[1]))
            for name in ["database", "accession", "entry_name", "protein_name", "organism", "taxon_id", "gene"] {
                #expect(header[name]?.isEmpty == false, "\(name) of \(record.header)")
            }
            #expect(header["taxon_id"].flatMap { Int($0) } != nil)
            #expect(["1", "2", "3", "4", "5"].contains(header["existence_level"] ?? ""))
            #expect(header["sequence_version"].flatMap { Int($0) } != nil)
            #expect(header["organism"]?.contains("=") == false)
            #expect(header["protein_name"]?.hasSuffix(" ") == false)
        }
        let first = try #require(records.first.map { FASTAHeader(parsing: $0.header) })
        if file == "PKSI.faa" {
            #expect(first["protein_name"] == "Lovastatin nonaketide synthase, polyketide synthase component")
            #expect(first["organism"] == "Aspergillus terreus")
            #expect(first["gene"] == "lovB")
        }
    }

    @Test func everyNCBIHeaderOfTheSharedFile() throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared("CP040672.1.genes_100.fna"))
        #expect(records.count == 100)
        var withProteinID = 0
        for record in records {
            let header = FASTAHeader(parsing: record.header)
            #expect(header.format == .ncbi)
            #expect(header.identifier.hasPrefix("lcl|NZ_CP040672.1_cds_"))
            #expect(header["description"] == nil)
            #expect(header["protein"]?.isEmpty == false)
            #expect(header["locus_tag"]?.hasPrefix("FGE23_RS") == true)
            #expect(header["gbkey"] == "CDS")
            if header["protein_id"] != nil { withProteinID += 1 }
            // Every bracketed pair of the header became one annotation.
            #expect(header.annotations.count == record.header.components(separatedBy: " [").count - 1)
        }
        #expect(withProteinID == 99)
        let pseudo = try #require(
            records.map { FASTAHeader(parsing: $0.header) }.first { $0["pseudo"] != nil })
        #expect(pseudo["pseudo"] == "true")
        #expect(pseudo["partial"] == "5'")
        #expect(pseudo["location"] == "complement(66556..>66699)")
        #expect(pseudo["gene"] == "essA")
    }
}
