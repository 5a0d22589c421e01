/// Principal component analysis of a stream of rows in two passes, matching scikit-learn's
/// `PCA(n_components=k)`: pass 1 feeds every row to a ``CovarianceAccumulator``, then
/// ``init(_:componentCount:)`` finds the top components, and pass 2 calls ``project(_:)`` on
/// each row.
///
/// The components are the eigenvectors of the sample covariance matrix (divided by n − 1) with
/// the largest eigenvalues, found by ``SymmetricEigensystem`` (Householder + implicit QL).
///
/// **Sign convention**: scikit-learn's `svd_flip(u_based_decision=False)`: each component is
/// multiplied by the sign of its entry of largest magnitude (the first such entry on a tie), so
/// that entry is positive. Components, and therefore projections, then agree with scikit-learn's
/// in sign too, except where two entries tie in magnitude to rounding.
///
/// **Degenerate data**: with one row, or when every row is the same (zero total variance),
/// every explained variance and ratio is 0, the components are the first `k` coordinate axes,
/// and every projection is 0 (scikit-learn would give NaN ratios instead). With fewer distinct
/// directions than `k` (for example two rows), the extra components have variance 0 and are
/// some unit vectors orthogonal to the others, chosen deterministically by the algorithm.
/// Nothing is ever NaN.
public struct PrincipalComponents: Sendable, Hashable {
    /// Rows the components were computed from.
    public let sampleCount: Int
    /// Values per row.
    public let dimension: Int
    /// The mean row, subtracted before projecting (scikit-learn's `mean_`).
    public let mean: [Double]
    /// The components, largest variance first, each a unit vector of ``dimension`` values
    /// (scikit-learn's `components_`).
    public let components: [[Double]]
    /// The variance along each component: the covariance eigenvalues, negative rounding noise
    /// clipped to 0 (scikit-learn's `explained_variance_`).
    public let explainedVariance: [Double]
    /// Each component's share of the total variance, the sum of all eigenvalues (scikit-learn's
    /// `explained_variance_ratio_`); 0 when the total is 0.
    public let explainedVarianceRatio: [Double]

    /// Computes the top `componentCount` components of the rows added to `accumulator`.
    /// - Throws: ``PrincipalComponentsError`` when no row was added or `componentCount` is not
    ///   between 1 and the dimension.
    public init(_ accumulator: CovarianceAccumulator, componentCount: Int = 3) throws(PrincipalComponentsError) {
        let d = accumulator.dimension
        guard accumulator.count > 0 else {
            throw PrincipalComponentsError(code: .noRows, message: "no rows were added")
        }
        guard componentCount >= 1, componentCount <= d else {
            throw PrincipalComponentsError(
                code: .invalidComponentCount,
                message: "the number of components must be between 1 and \(d), not \(componentCount)")
        }
        sampleCount = accumulator.count
        dimension = d
        mean = accumulator.mean
        let system = SymmetricEigensystem(symmetric: accumulator.covariance, order: d)
        // scikit-learn clips negative eigenvalues (rounding noise of a semidefinite matrix) to 0
        // before forming the total.
        let clipped = system.values.map { max($0, 0) }
        let total = clipped.reduce(0, +)
        explainedVariance = Array(clipped.prefix(componentCount))
        explainedVarianceRatio = explainedVariance.map { total > 0 ? $0 / total : 0 }
        components = (0..<componentCount).map { Self.flipped(Array(system.vector($0))) }
    }

    /// `vector` times the sign of its entry of largest magnitude (the first, on a tie).
    static func flipped(_ vector: [Double]) -> [Double] {
        var largest = 0
        for index in vector.indices where abs(vector[index]) > abs(vector[largest]) { largest = index }
        return vector[largest] < 0 ? vector.map { -$0 } : vector
    }

    /// The coordinates of `row` along each component: (row − mean) · component.
    /// - Throws: ``PrincipalComponentsError`` with code `dimensionMismatch` when the row does
    ///   not have ``dimension`` values.
    public func project(_ row: [Double]) throws(PrincipalComponentsError) -> [Double] {
        try row.withUnsafeBufferPointer { row throws(PrincipalComponentsError) in try project(row) }
    }

    /// The coordinates of a row given as a buffer.
    /// - Throws: ``PrincipalComponentsError`` with code `dimensionMismatch` when the row does
    ///   not have ``dimension`` values.
    public func project(_ row: UnsafeBufferPointer<Double>) throws(PrincipalComponentsError) -> [Double] {
        guard row.count == dimension else {
            throw PrincipalComponentsError(
                code: .dimensionMismatch, message: "the row has \(row.count) values, expected \(dimension)")
        }
        return components.map { component in
            var sum = 0.0
            for index in 0..<dimension { sum += (row[index] - mean[index]) * component[index] }
            return sum
        }
    }
}
