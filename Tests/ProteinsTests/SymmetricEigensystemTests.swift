import Foundation
import Testing

@testable import Proteins

@Suite("SymmetricEigensystem")
struct SymmetricEigensystemTests {
    /// A random symmetric matrix of the embedding's size, with entries uniform in [−1, 1).
    static func randomSymmetric(order: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var matrix = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for j in i..<order {
                let value = Double(generator.next() >> 11) / Double(1 << 52) - 1
                matrix[i * order + j] = value
                matrix[j * order + i] = value
            }
        }
        return matrix
    }

    @Test func order420IsAccurate() {
        let order = 420
        let matrix = Self.randomSymmetric(order: order, seed: 420)
        let system = SymmetricEigensystem(symmetric: matrix, order: order)
        #expect(system.values.count == order)
        #expect(zip(system.values, system.values.dropFirst()).allSatisfy { $0 >= $1 })
        // Residuals ‖A v − λ v‖ and orthonormality, relative to ‖A‖ (about 2√order here).
        var worstResidual = 0.0
        for index in [0, 1, 2, order / 2, order - 1] {
            let vector = Array(system.vector(index))
            for row in 0..<order {
                var product = 0.0
                for column in 0..<order { product += matrix[row * order + column] * vector[column] }
                worstResidual = max(worstResidual, abs(product - system.values[index] * vector[row]))
            }
        }
        #expect(worstResidual < 1e-10)
        var worstOrthogonality = 0.0
        for first in 0..<4 {
            for second in first..<4 {
                let dot = zip(system.vector(first), system.vector(second)).map { $0 * $1 }.reduce(0, +)
                worstOrthogonality = max(worstOrthogonality, abs(dot - (first == second ? 1 : 0)))
            }
        }
        #expect(worstOrthogonality < 1e-12)
        // The eigenvalues add up to the trace.
        let trace = (0..<order).map { matrix[$0 * order + $0] }.reduce(0, +)
        #expect(abs(system.values.reduce(0, +) - trace) < 1e-9)
    }

    @Test func knownSpectrum() {
        // A diagonal matrix rotated by a Householder reflection has the diagonal as its spectrum.
        let order = 6
        let diagonal: [Double] = [3, -1, 10, 0, 2, 2]
        let u: [Double] = [1, 2, 0, -1, 3, 1]
        let norm = u.map { $0 * $0 }.reduce(0, +)
        var matrix = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for j in 0..<order {
                var sum = 0.0
                for k in 0..<order {
                    let hik = (i == k ? 1 : 0) - 2 * u[i] * u[k] / norm
                    let hjk = (j == k ? 1 : 0) - 2 * u[j] * u[k] / norm
                    sum += hik * diagonal[k] * hjk
                }
                matrix[i * order + j] = sum
            }
        }
        let system = SymmetricEigensystem(symmetric: matrix, order: order)
        for (value, expected) in zip(system.values, diagonal.sorted(by: >)) {
            #expect(abs(value - expected) < 1e-13)
        }
    }

    @Test func smallCases() {
        let one = SymmetricEigensystem(symmetric: [5], order: 1)
        #expect(one.values == [5])
        #expect(one.vectors == [1])
        let zero = SymmetricEigensystem(symmetric: [Double](repeating: 0, count: 9), order: 3)
        #expect(zero.values == [0, 0, 0])
        #expect(zero.vectors == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let empty = SymmetricEigensystem(symmetric: [], order: 0)
        #expect(empty.values.isEmpty)
    }
}
