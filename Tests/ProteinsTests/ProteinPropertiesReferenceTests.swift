import Foundation
import Proteins
import Testing

/// Compares ``ProteinProperties`` with Biopython's `ProteinAnalysis` on every sequence of
/// Fixtures/biopython_properties.tsv (written by scripts/reference/protein_reference.py):
/// the LuxC and PKSI records, one random sequence of every length 1–5,000, and sequences with
/// the extended letters. Values must agree within 1e-6 relative (1e-9 absolute near zero),
/// integers exactly, and every value Biopython raises for must be `nil` here.
@Suite("Biopython property reference")
struct ProteinPropertiesReferenceTests {
    typealias Row = [String: String]

    static let rows: [Row] = (try? ReferenceFixtures.table("biopython_properties.tsv")) ?? []

    static func rows(of set: String) -> [Row] { rows.filter { $0["set"] == set } }

    /// Every disagreement between `properties` of `sequence` and the fixture row, as text.
    static func mismatches(_ properties: ProteinProperties, sequence: [UInt8], row: Row) -> [String] {
        var problems: [String] = []
        let label = "\(row["set"] ?? "?") \(row["name"] ?? "?")"
        if row["fnv1a64"] != ReferenceFixtures.fnv1a64(sequence.map { $0 & 0xDF }) {
            problems.append("\(label): the sequence is not the one the fixture was made from")
        }
        for property in ProteinProperty.allCases {
            guard let expected = row[property.name] else {
                problems.append("\(label): no column \(property.name)")
                continue
            }
            let value = properties.value(property)
            if expected.hasPrefix("error:") {
                let note = properties.missingValues.first { $0.property == property }
                if value != nil || note == nil {
                    problems.append("\(label) \(property.name): Biopython raises, got \(String(describing: value))")
                } else if let note, !pointsAtFirstUnsupported(note, sequence: sequence) {
                    problems.append("\(label) \(property.name): the note \(note) names the wrong residue")
                }
                continue
            }
            guard let reference = Double(expected), let value else {
                problems.append("\(label) \(property.name): expected \(expected), got \(String(describing: value))")
                continue
            }
            if !ReferenceFixtures.close(value, reference) {
                problems.append("\(label) \(property.name): expected \(expected), got \(value)")
            }
        }
        return problems
    }

    /// Whether a missing-value note names the first residue that Biopython's computation of that
    /// value fails on: the first X, B, Z or J for the weight, the first non-standard letter for
    /// the hydropathy and instability index.
    static func pointsAtFirstUnsupported(_ note: ProteinProperties.MissingValue, sequence: [UInt8]) -> Bool {
        let unsupported: Set<UInt8> =
            note.property == .molecularWeight ? Set("XBZJ".utf8) : Set("XBZJUO".utf8)
        guard let offset = sequence.firstIndex(where: { unsupported.contains($0 & 0xDF) }) else { return false }
        return note.position == offset + 1 && note.residue == Character(Unicode.Scalar(sequence[offset] & 0xDF))
    }

    @Test func fixtureHasEverySet() {
        #expect(Self.rows(of: "luxc").count == 12)
        #expect(Self.rows(of: "pksi").count == 10)
        #expect(Self.rows(of: "random").count == ReferenceFixtures.randomMaximumLength)
        #expect(Self.rows(of: "ambiguous").count >= 400)
    }

    @Test(arguments: [("luxc", "LuxC.faa"), ("pksi", "PKSI.faa")])
    func sharedRecordsAgree(set: String, file: String) throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared(file))
        let rows = Self.rows(of: set)
        try #require(records.count == rows.count)
        var problems: [String] = []
        for (record, row) in zip(records, rows) {
            #expect(record.header == row["name"])
            let properties = try ProteinProperties(sequence: record.sequence)
            #expect(properties.missingValues.isEmpty)
            problems += Self.mismatches(properties, sequence: Array(record.sequence.utf8), row: row)
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches: \(problems.prefix(10))")
    }

    @Test func everyLengthFromOneTo5000Agrees() throws {
        let rows = Self.rows(of: "random")
        let sequences = ReferenceFixtures.randomSequences()
        try #require(rows.count == sequences.count)
        var problems: [String] = []
        for (sequence, row) in zip(sequences, rows) {
            let properties = try sequence.withUnsafeBufferPointer { try ProteinProperties(residues: $0) }
            #expect(properties.length == sequence.count)
            problems += Self.mismatches(properties, sequence: sequence, row: row)
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches: \(problems.prefix(10))")
    }

    @Test func extendedLettersAsBiopythonTreatsThem() throws {
        let rows = Self.rows(of: "ambiguous")
        var problems: [String] = []
        var missing = 0
        for row in rows {
            let sequence = try #require(row["sequence"])
            let properties = try ProteinProperties(sequence: sequence)
            missing += properties.missingValues.count
            problems += Self.mismatches(properties, sequence: Array(sequence.utf8), row: row)
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches: \(problems.prefix(10))")
        // The set does exercise the errors: most of its sequences have an extended letter.
        #expect(missing > 500)
    }
}
