import Chemistry
import Foundation
import Testing

@Suite("Molfile reader")
struct MolfileTests {
    static let molecules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/molecules")

    /// The records of an SD file as line arrays, with their data items.
    static func records(_ name: String) throws -> [(lines: [Substring], items: [String: String])] {
        // One of the files has CRLF line ends, and "\r\n" is one Character in Swift.
        let text = try String(contentsOf: molecules.appendingPathComponent(name), encoding: .utf8)
            .replacing("\r\n", with: "\n")
        var result: [(lines: [Substring], items: [String: String])] = []
        for block in text.components(separatedBy: "$$$$\n") where !block.allSatisfy(\.isWhitespace) {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map { Substring($0) }
            var items: [String: String] = [:]
            for (index, line) in lines.enumerated() where line.hasPrefix(">") && index + 1 < lines.count {
                guard let open = line.firstIndex(of: "<"), let close = line[open...].firstIndex(of: ">") else { continue }
                items[String(line[line.index(after: open)..<close])] = String(lines[index + 1])
            }
            result.append((lines, items))
        }
        return result
    }

    @Test("solubility records read from their molblocks match their SMILES field")
    func solubility() throws {
        var compared = 0
        var rejected: [String] = []
        var differing: [String] = []
        for name in ["solubility.train.sdf", "solubility.test.sdf"] {
            for record in try Self.records(name) {
                let molecule = try MolfileParser().parse(lines: record.lines)
                let smiles = try #require(record.items["SMILES"] ?? record.items["smiles"])
                // Eighteen SMILES fields are invalid (`n(H)`, aromatic N missing its H), and RDKit
                // rejects the same ones (scripts/reference/descriptor_reference.py counts them);
                // the molblocks still read.
                let fromSMILES: Molecule
                do {
                    fromSMILES = try SMILESParser().parse(smiles)
                } catch {
                    #expect(!error.description.isEmpty)
                    rejected.append(smiles)
                    continue
                }
                compared += 1
                if molecule.canonicalSMILES != fromSMILES.canonicalSMILES || molecule.formula != fromSMILES.formula {
                    differing.append("\(smiles): \(molecule.canonicalSMILES)")
                }
            }
        }
        #expect(compared + rejected.count == 1_282)
        #expect(rejected.count == 18, "\(rejected)")
        #expect(differing.isEmpty, "\(differing.prefix(10))")
    }

    @Test("3D records with explicit hydrogens and charges fold the hydrogens back")
    func cdk2() throws {
        let records = try Self.records("cdk2.sdf")
        #expect(records.count == 47)
        for record in records {
            let molecule = try MolfileParser().parse(lines: record.lines)
            #expect(!molecule.atoms.contains { $0.element == .hydrogen })
            #expect(molecule.heavyAtomCount > 10)
        }
        // ZINC03814457: C13H16N6O2... the first record's formula from its heavy atoms and folded H.
        let first = try MolfileParser().parse(lines: records[0].lines)
        #expect(first.hydrogenTotal > 0)
    }

    @Test("broken records are errors naming the line")
    func errors() {
        let header: [Substring] = ["title", "program", ""]
        let cases: [[Substring]] = [
            header + [" 1  0  0  0  0  0            999 V2000"],
            header + [" x  0  0  0  0  0            999 V2000", "M  END"],
            header + [" 1  0  0  0  0  0            999 V2000", "    0.0000    0.0000    0.0000 Xq  0  0", "M  END"],
            header + [
                " 2  1  0  0  0  0            999 V2000", "    0.0000    0.0000    0.0000 C   0  0",
                "    0.0000    0.0000    0.0000 C   0  0", "  1  3  1  0", "M  END",
            ],
            header + [
                " 2  1  0  0  0  0            999 V2000", "    0.0000    0.0000    0.0000 C   0  0",
                "    0.0000    0.0000    0.0000 C   0  0", "  1  2  8  0", "M  END",
            ],
            header + [" 1  0  0  0  0  0            999 V2000", "    0.0000    0.0000    0.0000 C   0  0", "M  CHG  1   2   1", "M  END"],
        ]
        for lines in cases {
            #expect(throws: MolfileError.self) { try MolfileParser().parse(lines: lines) }
        }
    }

    @Test("V3000 atom and bond blocks")
    func v3000() throws {
        let lines: [Substring] = [
            "ethanoate", "  program", "", "  0  0  0     0  0            999 V3000", "M  V30 BEGIN CTAB",
            "M  V30 COUNTS 4 3 0 0 0", "M  V30 BEGIN ATOM", "M  V30 1 C 0 0 0 0", "M  V30 2 C 0 0 0 0",
            "M  V30 3 O 0 0 0 0", "M  V30 4 O 0 0 0 0 -", "M  V30 CHG=-1", "M  V30 END ATOM", "M  V30 BEGIN BOND",
            "M  V30 1 1 1 2", "M  V30 2 2 2 3", "M  V30 3 1 2 4", "M  V30 END BOND", "M  V30 END CTAB", "M  END",
        ]
        let molecule = try MolfileParser().parse(lines: lines)
        #expect(molecule.canonicalSMILES == (try SMILESParser().parse("CC(=O)[O-]")).canonicalSMILES)
    }
}

extension Molecule {
    fileprivate var hydrogenTotal: Int { atoms.reduce(0) { $0 + $1.hydrogenCount } }
}
