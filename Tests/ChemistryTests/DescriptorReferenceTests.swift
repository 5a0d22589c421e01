import Chemistry
import Foundation
import Testing

/// Compares every descriptor on every molecule of the shared sets with RDKit's values
/// (Fixtures/rdkit_descriptors.tsv, written by scripts/reference/descriptor_reference.py).
/// The agreement bar: at least 99.5% agreement per descriptor, counts exact, weights, TPSA and
/// Crippen values within 0.01, QED within 0.001.
@Suite("RDKit descriptor reference")
struct DescriptorReferenceTests {
    /// One fixture row: column name to text.
    typealias Row = [String: String]

    static let rows: [Row] = {
        guard let url = Bundle.module.url(forResource: "rdkit_descriptors", withExtension: "tsv", subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        var header: [String] = []
        var rows: [Row] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if header.isEmpty {
                header = fields
                continue
            }
            var row = Row()
            for (name, value) in zip(header, fields) {
                row[name] = name == "smiles" || name == "canonical_smiles" ? RDKitReferenceTests.unescape(Substring(value)) : value
            }
            rows.append(row)
        }
        return rows
    }()

    /// Our value of one descriptor next to RDKit's, as text for the report.
    struct Comparison: Sendable {
        var name: String
        var agree: @Sendable (Descriptors, Row) -> Bool
        var show: @Sendable (Descriptors) -> String
    }

    static func exact(_ name: String, _ value: @escaping @Sendable (Descriptors) -> Int) -> Comparison {
        Comparison(name: name, agree: { value($0) == Int($1[name] ?? "") }, show: { "\(value($0))" })
    }

    static func close(_ name: String, _ tolerance: Double, _ value: @escaping @Sendable (Descriptors) -> Double) -> Comparison {
        Comparison(
            name: name, agree: { abs(value($0) - (Double($1[name] ?? "") ?? .nan)) <= tolerance },
            show: { "\(value($0))" })
    }

    static let comparisons: [Comparison] = [
        close("MolWt", 0.01) { $0.molWt },
        close("ExactMolWt", 0.01) { $0.exactMolWt },
        exact("HeavyAtomCount") { $0.heavyAtomCount },
        exact("NumHDonors") { $0.numHDonors },
        exact("NumHAcceptors") { $0.numHAcceptors },
        exact("NumRotatableBonds") { $0.numRotatableBonds },
        exact("RingCount") { $0.ringCount },
        exact("NumAromaticRings") { $0.numAromaticRings },
        close("FractionCSP3", 1e-9) { $0.fractionCSP3 },
        close("TPSA", 0.01) { $0.tpsa },
        close("MolLogP", 0.01) { $0.molLogP },
        close("MolMR", 0.01) { $0.molMR },
        close("QED", 0.001) { $0.qed },
        exact("NumAtomStereoCenters") { $0.numAtomStereoCenters },
        exact("FormalCharge") { $0.formalCharge },
        exact("LipinskiViolations") { $0.lipinskiViolations },
        exact("PAINS") { $0.pains },
        exact("BRENK") { $0.brenk },
        exact("NIH") { $0.nih },
    ]

    @Test("every descriptor agrees with RDKit on at least 99.5% of the shared molecules")
    func agreement() throws {
        let rows = Self.rows
        try #require(rows.count > 3_800, "fixture missing or truncated")
        let parser = SMILESParser()
        var failures = [Int](repeating: 0, count: Self.comparisons.count)
        var examples = [[String]](repeating: [], count: Self.comparisons.count)
        for row in rows {
            let smiles = try #require(row["smiles"])
            guard let molecule = try? parser.parse(smiles) else {
                for index in failures.indices { failures[index] += 1 }
                examples[0].append("unparsed \(smiles)")
                continue
            }
            let descriptors = Descriptors(molecule)
            for (index, comparison) in Self.comparisons.enumerated() where !comparison.agree(descriptors, row) {
                failures[index] += 1
                if examples[index].count < 8 {
                    examples[index].append("\(smiles): ours \(comparison.show(descriptors)), RDKit \(row[comparison.name] ?? "")")
                }
            }
        }
        for (index, comparison) in Self.comparisons.enumerated() {
            print("\(comparison.name): \(failures[index]) of \(rows.count) differ", examples[index].prefix(3))
            let agreement = 1 - Double(failures[index]) / Double(rows.count)
            #expect(
                agreement >= 0.995,
                "\(comparison.name): \(failures[index]) of \(rows.count) differ\n\(examples[index].joined(separator: "\n"))")
        }
    }
}
