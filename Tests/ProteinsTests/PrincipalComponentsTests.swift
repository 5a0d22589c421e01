import Foundation
import Proteins
import Testing

@Suite("PrincipalComponents")
struct PrincipalComponentsTests {
    /// scikit-learn's PCA(n_components=3) results for one data set of Fixtures/sklearn_pca.tsv.
    struct Reference {
        var ratio: [Double] = []
        var variance: [Double] = []
        var components: [[Double]] = []
        var coordinates: [[Double]] = []
    }

    static func reference(_ dataset: String) throws -> Reference {
        var reference = Reference()
        for row in try ReferenceFixtures.rows("sklearn_pca.tsv") where row.first == dataset {
            let values = row.dropFirst(3).compactMap(Double.init)
            switch row[1] {
            case "ratio": reference.ratio = values
            case "variance": reference.variance = values
            case "component": reference.components.append(values)
            case "coordinates": reference.coordinates.append(values)
            default: break
            }
        }
        return reference
    }

    static func fit(_ rows: [[Double]], components: Int = 3) throws -> PrincipalComponents {
        var accumulator = CovarianceAccumulator(dimension: rows.first?.count ?? 1)
        for row in rows { try accumulator.add(row) }
        return try PrincipalComponents(accumulator, componentCount: components)
    }

    /// Compares a fit with scikit-learn's: ratios and variances within 1e-6 relative, components
    /// and coordinates equal up to the sign of each component (and in fact with the same sign,
    /// since both follow svd_flip), to 1e-6 of each column's largest magnitude.
    static func expectAgreement(_ pca: PrincipalComponents, rows: [[Double]], reference: Reference) throws {
        try #require(reference.ratio.count == 3 && reference.coordinates.count == rows.count)
        for k in 0..<3 {
            #expect(ReferenceFixtures.close(pca.explainedVarianceRatio[k], reference.ratio[k], relative: 1e-6))
            #expect(ReferenceFixtures.close(pca.explainedVariance[k], reference.variance[k], relative: 1e-6))
            let component = pca.components[k]
            let theirs = reference.components[k]
            let dot = zip(component, theirs).map { $0 * $1 }.reduce(0, +)
            let sign: Double = dot < 0 ? -1 : 1
            #expect(sign == 1, "component \(k) has the opposite sign to scikit-learn's")
            #expect(zip(component, theirs).allSatisfy { abs(sign * $0 - $1) <= 1e-6 })
            let scale = reference.coordinates.map { abs($0[k]) }.max() ?? 1
            for (row, expected) in zip(rows, reference.coordinates) {
                let projected = try pca.project(row)
                #expect(abs(sign * projected[k] - expected[k]) <= 1e-6 * scale)
            }
        }
    }

    @Test func matchesScikitLearnOnRandomData() throws {
        let rows = try ReferenceFixtures.rows("pca_random_input.tsv").map { $0.compactMap(Double.init) }
        try #require(rows.count == 500 && rows.allSatisfy { $0.count == 20 })
        let pca = try Self.fit(rows)
        #expect(pca.sampleCount == 500)
        try Self.expectAgreement(pca, rows: rows, reference: try Self.reference("random"))
    }

    @Test func matchesScikitLearnOnCompositionEmbeddings() throws {
        let records =
            try ProteinFixtures.records(ProteinFixtures.shared("LuxC.faa"))
            + ProteinFixtures.records(ProteinFixtures.shared("PKSI.faa"))
        let rows = try records.map { try CompositionEmbedding(sequence: $0.sequence).values }
        let pca = try Self.fit(rows)
        #expect(pca.dimension == 420)
        try Self.expectAgreement(pca, rows: rows, reference: try Self.reference("embeddings"))
    }

    @Test func accumulationMatchesTheTwoPassFormulaWhateverTheBatching() throws {
        // 101 rows (three full batches and a partial one) far from the origin, where the naive
        // sum-of-squares formula would lose most digits.
        var generator = SplitMix64(seed: 99)
        func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
        let rows = (0..<101).map { _ in (0..<5).map { 1e6 + Double($0) + uniform() } }
        var accumulator = CovarianceAccumulator(dimension: 5)
        for row in rows { try accumulator.add(row) }
        #expect(accumulator.count == 101)
        let n = Double(rows.count)
        let mean = (0..<5).map { i in rows.map { $0[i] }.reduce(0, +) / n }
        let covariance = accumulator.covariance
        for i in 0..<5 {
            #expect(abs(accumulator.mean[i] - mean[i]) <= 1e-9)
            for j in 0..<5 {
                let expected = rows.map { ($0[i] - mean[i]) * ($0[j] - mean[j]) }.reduce(0, +) / (n - 1)
                #expect(abs(covariance[i * 5 + j] - expected) <= 1e-12)
            }
        }
    }

    @Test func oneRowGivesZerosNotNaN() throws {
        let pca = try Self.fit([[1, 2, 3, 4]])
        #expect(pca.explainedVariance == [0, 0, 0])
        #expect(pca.explainedVarianceRatio == [0, 0, 0])
        #expect(pca.components == [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
        #expect(try pca.project([1, 2, 3, 4]) == [0, 0, 0])
        #expect(pca.mean == [1, 2, 3, 4])
    }

    @Test func constantDataGivesZerosNotNaN() throws {
        let pca = try Self.fit(Array(repeating: [0.5, -2, 7], count: 70))
        #expect(pca.explainedVarianceRatio == [0, 0, 0])
        #expect(pca.components == [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        #expect(try pca.project([0.5, -2, 7]) == [0, 0, 0])
        #expect(try pca.project([1.5, -2, 7]) == [1, 0, 0])
    }

    @Test func twoRowsHaveOneComponent() throws {
        let pca = try Self.fit([[0, 0, 0], [3, -4, 0]])
        #expect(abs(pca.explainedVarianceRatio[0] - 1) < 1e-15)
        #expect(pca.explainedVarianceRatio[1...].allSatisfy { abs($0) < 1e-15 })
        // Variance of the difference vector of length 5 over n - 1 = 1: 25 / 2.
        #expect(abs(pca.explainedVariance[0] - 12.5) < 1e-12)
        // Largest magnitude entry (−0.8) made positive.
        #expect(zip(pca.components[0], [-0.6, 0.8, 0]).allSatisfy { abs($0 - $1) < 1e-15 })
        let projected = try pca.project([3, -4, 0])
        #expect(abs(projected[0] + 2.5) < 1e-12)
        #expect(projected.allSatisfy { $0.isFinite })
        for component in pca.components {
            #expect(abs(component.map { $0 * $0 }.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func errors() throws {
        var accumulator = CovarianceAccumulator(dimension: 3)
        #expect(throws: PrincipalComponentsError.self) { try PrincipalComponents(accumulator) }
        #expect {
            try accumulator.add([1, 2])
        } throws: { ($0 as? PrincipalComponentsError)?.code == .dimensionMismatch }
        #expect {
            try accumulator.add([1, .nan, 2])
        } throws: { ($0 as? PrincipalComponentsError)?.code == .nonFiniteValue }
        #expect(accumulator.count == 0)
        try accumulator.add([1, 2, 3])
        #expect {
            try PrincipalComponents(accumulator, componentCount: 4)
        } throws: { ($0 as? PrincipalComponentsError)?.code == .invalidComponentCount }
        #expect {
            try PrincipalComponents(accumulator, componentCount: 0)
        } throws: { ($0 as? PrincipalComponentsError)?.code == .invalidComponentCount }
        let pca = try PrincipalComponents(accumulator, componentCount: 3)
        #expect {
            try pca.project([1])
        } throws: { ($0 as? PrincipalComponentsError)?.code == .dimensionMismatch }
    }
}
