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
            try #require(fields.count == 5, "malformed fixture line: \(line)")
            rows.append(
                Row(
                    smiles: unescape(fields[0]), accepted: fields[1] == "1", formula: String(fields[2]),
                    heavyAtoms: Int(fields[3]) ?? -1, weight: Double(fields[4]) ?? .nan))
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

    @Test func everySMILESRDKitRejectsIsRejected() throws {
        let rows = try Self.loadRows()
        let rejected = rows.filter { !$0.accepted }
        #expect(rejected.count > 1000)
        let parser = SMILESParser()
        let acceptedByUs = rejected.filter { (try? parser.parse($0.smiles)) != nil }.map(\.smiles)
        #expect(acceptedByUs.isEmpty, "\(acceptedByUs.count) accepted, first: \(acceptedByUs.prefix(10))")
    }
}
