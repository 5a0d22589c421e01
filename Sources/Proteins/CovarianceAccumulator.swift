/// Pass 1 of ``PrincipalComponents``: the row count, mean and scatter matrix of a stream of rows,
/// accepted one at a time in memory that depends only on the dimension (d × d doubles plus a
/// small batch), never on the number of rows.
///
/// Every row is first shifted by the first row seen (the shifted-data method of Chan, Golub &
/// LeVeque 1983), so that the running mean is kept as a small offset from that origin and its
/// rounding error stays relative to the spread of the data rather than to its distance from
/// zero: data far from the origin, such as 10⁶ ± 1, keeps its digits. Rows are buffered in
/// batches of ``batchSize``; each full batch is centred on the running mean, its own mean and
/// scatter are formed, and it is merged into the totals with the pairwise update of Chan, Golub
/// & LeVeque (1979). This is as stable as Welford's one-row update and, because a batch reuses
/// every matrix element ``batchSize`` times while it is in cache, several times faster.
public struct CovarianceAccumulator: Sendable {
    /// Rows buffered before they are merged.
    public static let batchSize = 32

    /// Values per row.
    public let dimension: Int
    /// Rows merged so far, not counting the batch being filled.
    private var mergedCount = 0
    /// The first row: every row is shifted by it.
    private var origin: [Double]
    /// Mean of the merged rows, less `origin`.
    private var mergedMean: [Double]
    /// Scatter (sum of outer products of centred rows) of the merged rows; only the upper
    /// triangle, `scatter[i * dimension + j]` with `j >= i`, is kept up to date.
    private var scatter: [Double]
    /// The rows of the batch being filled, less `origin` and `centre`: value `i` of batch row `r`
    /// is `batch[r * dimension + i]`.
    private var batch: [Double]
    private var batchCount = 0
    /// Where the batch being filled is centred, relative to `origin`: the running mean when
    /// the batch started.
    private var centre: [Double]

    /// Creates an empty accumulator for rows of `dimension` values.
    /// - Precondition: `dimension` is at least 1.
    public init(dimension: Int) {
        precondition(dimension >= 1, "the dimension must be at least 1")
        self.dimension = dimension
        mergedMean = [Double](repeating: 0, count: dimension)
        scatter = [Double](repeating: 0, count: dimension * dimension)
        batch = [Double](repeating: 0, count: dimension * Self.batchSize)
        origin = [Double](repeating: 0, count: dimension)
        centre = [Double](repeating: 0, count: dimension)
    }

    /// Rows added so far.
    public var count: Int { mergedCount + batchCount }

    /// Adds one row.
    /// - Throws: ``PrincipalComponentsError`` when the row does not have ``dimension`` values or
    ///   holds a non-finite value; the accumulator is then unchanged.
    public mutating func add(_ row: [Double]) throws(PrincipalComponentsError) {
        try row.withUnsafeBufferPointer { row throws(PrincipalComponentsError) in try add(row) }
    }

    /// Adds one row given as a buffer.
    /// - Throws: ``PrincipalComponentsError`` when the row does not have ``dimension`` values or
    ///   holds a non-finite value; the accumulator is then unchanged.
    public mutating func add(_ row: UnsafeBufferPointer<Double>) throws(PrincipalComponentsError) {
        guard row.count == dimension else {
            throw PrincipalComponentsError(
                code: .dimensionMismatch, message: "the row has \(row.count) values, expected \(dimension)")
        }
        if let bad = row.firstIndex(where: { !$0.isFinite }) {
            throw PrincipalComponentsError(
                code: .nonFiniteValue, message: "value \(bad + 1) of row \(count + 1) is \(row[bad]), not a finite number")
        }
        if count == 0 {
            for i in 0..<dimension { origin[i] = row[i] }
        }
        if batchCount == 0 { centre = mergedMean }
        let start = batchCount * dimension
        origin.withUnsafeBufferPointer { origin in
            centre.withUnsafeBufferPointer { centre in
                batch.withUnsafeMutableBufferPointer { batch in
                    for i in 0..<dimension { batch[start &+ i] = (row[i] - origin[i]) - centre[i] }
                }
            }
        }
        batchCount += 1
        if batchCount == Self.batchSize { mergeBatch() }
    }

    /// Merges the buffered rows into the totals.
    private mutating func mergeBatch() {
        guard batchCount > 0 else { return }
        let d = dimension
        let rows = batchCount
        let previous = Double(mergedCount)
        let added = Double(rows)
        let total = previous + added
        // delta = batch mean - merged mean = (centre - merged mean) + (sum of centred rows) / rows.
        var sums = [Double](repeating: 0, count: d)
        var delta = [Double](repeating: 0, count: d)
        for r in 0..<rows {
            for i in 0..<d { sums[i] += batch[r * d + i] }
        }
        if mergedCount > 0 {
            for i in 0..<d { delta[i] = (centre[i] - mergedMean[i]) + sums[i] / added }
        }
        // The merged rows' weight in the cross term (0 for the first batch, whose delta is 0).
        let crossWeight = previous * added / total
        batch.withUnsafeBufferPointer { batch in
            sums.withUnsafeBufferPointer { sums in
                delta.withUnsafeBufferPointer { delta in
                    scatter.withUnsafeMutableBufferPointer { scatter in
                        for i in 0..<d {
                            let row = i &* d
                            // Σ y_i y_j over the batch: each batch row adds a multiple of itself
                            // to matrix row i, which stays in cache for the whole batch; the
                            // inner loop runs over contiguous memory and vectorises.
                            for r in 0..<rows {
                                let values = r &* d
                                let factor = batch[values &+ i]
                                for j in i..<d { scatter[row &+ j] += factor * batch[values &+ j] }
                            }
                            // Centre on the batch mean (− s_i s_j / B) and add the cross term of
                            // the two means (Chan, Golub & LeVeque).
                            let sumI = sums[i] / added
                            let deltaI = delta[i] * crossWeight
                            for j in i..<d { scatter[row &+ j] += deltaI * delta[j] - sumI * sums[j] }
                        }
                    }
                }
            }
        }
        if mergedCount == 0 {
            for i in 0..<d { mergedMean[i] = centre[i] + sums[i] / added }
        } else {
            for i in 0..<d { mergedMean[i] += delta[i] * (added / total) }
        }
        mergedCount += rows
        batchCount = 0
    }

    /// The accumulator with every buffered row merged.
    private var merged: CovarianceAccumulator {
        var copy = self
        copy.mergeBatch()
        return copy
    }

    /// The mean of the rows added so far; zeros before the first row.
    public var mean: [Double] {
        let all = merged
        return zip(all.origin, all.mergedMean).map { $0 + $1 }
    }

    /// The sample covariance matrix (scatter / (n − 1), the normalisation scikit-learn's PCA
    /// uses), full and symmetric, stored row by row; all zeros for fewer than two rows.
    public var covariance: [Double] {
        let all = merged
        let d = dimension
        var result = [Double](repeating: 0, count: d * d)
        guard all.mergedCount > 1 else { return result }
        let divisor = Double(all.mergedCount - 1)
        for i in 0..<d {
            for j in i..<d {
                let value = all.scatter[i * d + j] / divisor
                result[i * d + j] = value
                result[j * d + i] = value
            }
        }
        return result
    }
}
