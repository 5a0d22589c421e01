import Foundation
import Proteins
import Testing

@Suite("ProteinProperties")
struct ProteinPropertiesTests {
    // Expected values from Biopython 1.88's ProteinAnalysis (the doctest sequence of
    // Bio.SeqUtils.ProtParam and its printed values).
    static let doctestSequence =
        "MAEGEITTFTALTEKFNLPPGNYKKPKLLYCSNGGHFLRILPDGTVDGTRDRSDQHIQLQLSAESVGEVYIKSTETGQYLAMDTSGLLYGSQTPSEEC"
        + "LFLERLEENHYNTYTSKKHAEKNWFVGLKKNGSCKRGPRTHYGQKAILFLPLPV"

    @Test func biopythonDoctestValues() throws {
        let properties = try ProteinProperties(sequence: Self.doctestSequence)
        #expect(properties.length == 152)
        #expect(String(format: "%.2f", properties.molecularWeight ?? 0) == "17103.16")
        #expect(String(format: "%.2f", properties.aromaticity) == "0.10")
        #expect(String(format: "%.2f", properties.instabilityIndex ?? 0) == "41.98")
        #expect(String(format: "%.2f", properties.isoelectricPoint) == "7.72")
        #expect(properties.extinctionReduced == 17420)
        #expect(properties.extinctionOxidized == 17545)
        #expect(properties.missingValues.isEmpty)
    }

    @Test func isoelectricPointDoctests() throws {
        // IsoelectricPoint's doctests: INGAR has pI 9.75 and charge 0.76 at pH 7; PETER 4.53.
        let ingar = try IsoelectricPoint(sequence: "INGAR")
        #expect(String(format: "%.2f", ingar.isoelectricPoint) == "9.75")
        #expect(String(format: "%.2f", ingar.charge(atPH: 7.0)) == "0.76")
        let peter = try IsoelectricPoint(sequence: "PETER")
        #expect(String(format: "%.2f", peter.isoelectricPoint) == "4.53")
        #expect(abs(peter.charge(atPH: peter.isoelectricPoint)) < 1e-3)
        #expect(peter.nTerminalPK == 8.36)
        #expect(peter.cTerminalPK == 3.55)
    }

    @Test func lowerCaseIsTheSameResidue() throws {
        #expect(try ProteinProperties(sequence: "mkvlaagd") == ProteinProperties(sequence: "MKVLAAGD"))
    }

    @Test func unknownResidueMakesOnlyItsValuesMissing() throws {
        let properties = try ProteinProperties(sequence: "MKWXCCY")
        #expect(properties.length == 7)
        #expect(properties.molecularWeight == nil)
        #expect(properties.gravy == nil)
        #expect(properties.instabilityIndex == nil)
        #expect(properties.extinctionReduced == 5500 + 1490)
        #expect(properties.extinctionOxidized == 5500 + 1490 + 125)
        #expect(abs(properties.aromaticity - 2.0 / 7.0) < 1e-15)
        #expect(properties.missingValues.map(\.property) == [.molecularWeight, .gravy, .instabilityIndex])
        #expect(properties.missingValues.allSatisfy { $0.residue == "X" && $0.position == 4 })
        #expect(
            properties.missingValues.first?.description
                == "molecular_weight: residue 'X' at position 4 has no average mass")
    }

    @Test func selenocysteineAndPyrrolysineAreWeighed() throws {
        let properties = try ProteinProperties(sequence: "MUO")
        // 149.2113 + 168.0532 + 255.3134 − 2 × 18.0153 (Biopython gives 536.5473).
        #expect(abs((properties.molecularWeight ?? 0) - 536.5473) < 1e-9)
        #expect(properties.gravy == nil)
        #expect(properties.missingValues.first { $0.property == .gravy }?.residue == "U")
        #expect(properties.missingValues.first { $0.property == .gravy }?.position == 2)
    }

    @Test func singleUnknownResidueHasInstabilityZero() throws {
        // Biopython's instability index looks up dipeptides only: a single X has none to fail on.
        let properties = try ProteinProperties(sequence: "X")
        #expect(properties.instabilityIndex == 0)
        #expect(properties.molecularWeight == nil)
        #expect(properties.gravy == nil)
        #expect(properties.missingValues.map(\.property) == [.molecularWeight, .gravy])
    }

    @Test func emptySequenceIsAnError() {
        #expect(throws: ProteinSequenceError(code: .emptySequence, message: "the sequence is empty")) {
            try ProteinProperties(sequence: "")
        }
    }

    @Test(arguments: [
        ("MK1V", 3, "invalid character '1' at position 3 of the sequence"),
        ("MK*", 3, "invalid character '*' at position 3 of the sequence"),
        ("M K", 2, "invalid character U+0020 at position 2 of the sequence"),
        ("MKé-", 3, "invalid character 'é' at position 3 of the sequence"),
    ])
    func invalidCharacterIsAnError(sequence: String, position: Int, message: String) {
        #expect(throws: ProteinSequenceError(code: .invalidCharacter, position: position, message: message)) {
            try ProteinProperties(sequence: sequence)
        }
    }

    @Test func valuesByName() throws {
        let properties = try ProteinProperties(sequence: "WC")
        #expect(
            ProteinProperty.allCases.map(\.name) == [
                "length", "molecular_weight", "isoelectric_point", "gravy", "instability_index", "aromaticity",
                "extinction_reduced", "extinction_oxidized", "charge_at_ph7",
            ])
        #expect(properties.value(.length) == 2)
        #expect(properties.value(.extinctionReduced) == 5500)
        #expect(properties.value(.chargeAtPH7) == properties.chargeAtPH7)
    }

    @Test func substringInput() throws {
        let text = ">MKVLAAGD<"
        let inner = text.dropFirst().dropLast()
        #expect(try ProteinProperties(sequence: inner) == ProteinProperties(sequence: "MKVLAAGD"))
    }
}
