import Chemistry
import Foundation
import Testing

/// Compares every molecule of the RDKit fixture (scripts/reference/chemistry_reference.py):
/// ChEMBL and FreeSolv samples, hand-written edge cases and corrupted SMILES.
@Suite("RDKit reference")
struct RDKitReferenceTests {
    struct Row {
        var smiles: String
        var accepted: Bool
        var formula: String
        var heavyAtoms: Int
        var weight: Double
        var rings: Int
        var donors: Int
        var fractionCSP3: Double
        var charge: Int
        var exactWeight: Double
    }

    static func loadRows() throws -> [Row] {
        let url = try #require(
            Bundle.module.url(forResource: "rdkit_reference", withExtension: "tsv", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [Row] = []
        var inHeader = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if inHeader {
                inHeader = !line.hasPrefix("smiles\t")
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 10, "malformed fixture line: \(line)")
            rows.append(
                Row(
                    smiles: unescape(fields[0]), accepted: fields[1] == "1", formula: String(fields[2]),
                    heavyAtoms: Int(fields[3]) ?? -1, weight: Double(fields[4]) ?? .nan,
                    rings: Int(fields[5]) ?? -1, donors: Int(fields[6]) ?? -1,
                    fractionCSP3: Double(fields[7]) ?? .nan, charge: Int(fields[8]) ?? .min,
                    exactWeight: Double(fields[9]) ?? .nan))
        }
        return rows
    }

    // The fixture escapes backslash and tab inside SMILES as \\ and \t.
    static func unescape(_ field: Substring) -> String {
        var result = ""
        var escaping = false
        for character in field {
            if escaping {
                result.append(character == "t" ? "\t" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    @Test func everyMoleculeMatchesRDKitsFormulaHeavyAtomsAndWeight() throws {
        let rows = try Self.loadRows()
        #expect(rows.count > 5000)
        let parser = SMILESParser()
        var disagreements: [String] = []
        var accepted = 0
        for row in rows where row.accepted {
            accepted += 1
            do throws(SMILESError) {
                let molecule = try parser.parse(row.smiles)
                if molecule.formula != row.formula || molecule.heavyAtomCount != row.heavyAtoms
                    || abs(molecule.averageMolecularWeight - row.weight) > 1e-3
                {
                    disagreements.append(
                        "\(row.smiles): \(molecule.formula) \(molecule.heavyAtomCount) \(molecule.averageMolecularWeight), RDKit \(row.formula) \(row.heavyAtoms) \(row.weight)"
                    )
                }
            } catch {
                disagreements.append("\(row.smiles): rejected (\(error)), RDKit accepts")
            }
        }
        #expect(accepted > 2600)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(10))")
    }

    // Ring count, donors, FractionCSP3, formal charge and exact weight; each descriptor's
    // disagreements are reported separately.
    @Test func everyMoleculeMatchesRDKitsDescriptors() throws {
        let rows = try Self.loadRows()
        let parser = SMILESParser()
        var checked = 0
        let accepted = rows.filter(\.accepted).count
        var disagreements: [String: [String]] = [:]
        func record(_ name: String, _ smiles: String, _ ours: Any, _ theirs: Any) {
            disagreements[name, default: []].append("\(smiles): \(ours), RDKit \(theirs)")
        }
        for row in rows where row.accepted {
            guard let molecule = try? parser.parse(row.smiles) else { continue }
            checked += 1
            if molecule.ringCount != row.rings { record("ringCount", row.smiles, molecule.ringCount, row.rings) }
            if molecule.numHDonors != row.donors { record("numHDonors", row.smiles, molecule.numHDonors, row.donors) }
            if abs(molecule.fractionCSP3 - row.fractionCSP3) > 1e-6 {
                record("fractionCSP3", row.smiles, molecule.fractionCSP3, row.fractionCSP3)
            }
            if molecule.formalCharge != row.charge {
                record("formalCharge", row.smiles, molecule.formalCharge, row.charge)
            }
            if abs(molecule.exactMolecularWeight - row.exactWeight) > 1e-4 {
                record("exactMolecularWeight", row.smiles, molecule.exactMolecularWeight, row.exactWeight)
            }
        }
        #expect(accepted > 2600)
        #expect(checked == accepted, "every molecule RDKit accepts must parse")
        for (name, list) in disagreements.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(name): \(list.count) disagreements, first: \(list.prefix(10))")
        }
    }

    @Test func everySMILESRDKitRejectsIsRejected() throws {
        let rows = try Self.loadRows()
        let rejected = rows.filter { !$0.accepted }
        #expect(rejected.count > 1000)
        let parser = SMILESParser()
        let acceptedByUs = rejected.filter { (try? parser.parse($0.smiles)) != nil }.map(\.smiles)
        #expect(acceptedByUs.isEmpty, "\(acceptedByUs.count) accepted, first: \(acceptedByUs.prefix(10))")
    }
}
