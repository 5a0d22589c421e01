import Foundation
import Proteins
import Testing

@Suite("CompositionEmbedding")
struct CompositionEmbeddingTests {
    @Test func namesAndDimension() {
        let names = CompositionEmbedding.names
        #expect(CompositionEmbedding.dimension == 420)
        #expect(names.count == 420)
        #expect(Set(names).count == 420)
        #expect(names.prefix(3) == ["aa_A", "aa_C", "aa_D"])
        #expect(names[19] == "aa_Y")
        #expect(names[20] == "dp_AA")
        #expect(names[21] == "dp_AC")
        #expect(names[40] == "dp_CA")
        #expect(names[419] == "dp_YY")
    }

    @Test func spotValues() throws {
        // M K K A: residues A 1/4, K 2/4, M 1/4; pairs MK, KK, KA, each 1/3.
        let values = try CompositionEmbedding(sequence: "MKKA").values
        let names = CompositionEmbedding.names
        func value(_ name: String) -> Double { names.firstIndex(of: name).map { values[$0] } ?? .nan }
        #expect(value("aa_A") == 0.25)
        #expect(value("aa_K") == 0.5)
        #expect(value("aa_M") == 0.25)
        #expect(value("dp_MK") == 1.0 / 3.0)
        #expect(value("dp_KK") == 1.0 / 3.0)
        #expect(value("dp_KA") == 1.0 / 3.0)
        #expect(value("dp_AK") == 0)
        #expect(values.filter { $0 != 0 }.count == 6)
    }

    @Test func singleResidueHasNoDipeptides() throws {
        let values = try CompositionEmbedding(sequence: "W").values
        #expect(values[18] == 1)
        #expect(values.reduce(0, +) == 1)
    }

    @Test func standardSequencesSumToOne() throws {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array(CompositionEmbedding.alphabet.utf8)
        for length in [2, 3, 10, 99, 1000] {
            let sequence = (0..<length).map { _ in alphabet[Int(generator.next() % 20)] }
            let values = try sequence.withUnsafeBufferPointer { try CompositionEmbedding(residues: $0).values }
            #expect(abs(values[..<20].reduce(0, +) - 1) < 1e-12)
            #expect(abs(values[20...].reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func extendedLettersAreNotCountedButStayInTheLength() throws {
        // M X K: residues M 1/3, K 1/3 (X not counted); pairs MX and XK not counted, over 2.
        let values = try CompositionEmbedding(sequence: "MXK").values
        let names = CompositionEmbedding.names
        #expect(values[names.firstIndex(of: "aa_M") ?? 0] == 1.0 / 3.0)
        #expect(values[names.firstIndex(of: "aa_K") ?? 0] == 1.0 / 3.0)
        #expect(values[20...].allSatisfy { $0 == 0 })
        // M K X: the pair MK still counts, over 2 pairs.
        let second = try CompositionEmbedding(sequence: "mkx").values
        #expect(second[names.firstIndex(of: "dp_MK") ?? 0] == 0.5)
    }

    @Test func rejectsWhatPropertiesReject() {
        #expect(throws: ProteinSequenceError.self) { try CompositionEmbedding(sequence: "") }
        #expect(throws: ProteinSequenceError.self) { try CompositionEmbedding(sequence: "MK-") }
    }

    @Test func writesIntoAReusedBuffer() throws {
        var buffer = [Double](repeating: .nan, count: CompositionEmbedding.dimension + 5)
        let sequence = Array("MKKA".utf8)
        try buffer.withUnsafeMutableBufferPointer { output in
            try sequence.withUnsafeBufferPointer { try CompositionEmbedding.write(residues: $0, into: output) }
        }
        #expect(Array(buffer.prefix(420)) == (try CompositionEmbedding(sequence: "MKKA").values))
        #expect(buffer[420...].allSatisfy { $0.isNaN })
    }

    /// The embeddings of the LuxC and PKSI records against an independent Python implementation
    /// of the definition (Fixtures/composition_reference.tsv).
    @Test func sharedRecordsMatchTheReference() throws {
        let rows = try ReferenceFixtures.rows("composition_reference.tsv")
        let header = try #require(rows.first)
        #expect(Array(header.dropFirst()) == CompositionEmbedding.names)
        let records =
            try ProteinFixtures.records(ProteinFixtures.shared("LuxC.faa"))
            + ProteinFixtures.records(ProteinFixtures.shared("PKSI.faa"))
        let expected = rows.dropFirst()
        try #require(records.count == expected.count)
        for (record, row) in zip(records, expected) {
            #expect(record.header == row.first)
            let values = try CompositionEmbedding(sequence: record.sequence).values
            let reference = row.dropFirst().compactMap(Double.init)
            try #require(reference.count == 420)
            #expect(zip(values, reference).allSatisfy { abs($0 - $1) <= 1e-15 })
            #expect(abs(values[..<20].reduce(0, +) - 1) < 1e-12)
        }
    }
}
