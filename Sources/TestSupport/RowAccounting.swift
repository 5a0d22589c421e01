/// Checks a result against its input the way a queue checker does: every record must appear
/// exactly once, in order; reports rows lost, duplicated and unexpected.
public struct RowAccounting: Sendable, Equatable, CustomStringConvertible {
    /// Input positions with no row.
    public var lost: [Int] = []
    /// Input positions with more than one row.
    public var duplicated: [Int] = []
    /// Rows whose position or input does not match the input.
    public var unexpected: [Int] = []

    /// Checks `table` (a wide result: `row`, `id`, `input`, …) against the `inputs` it came from.
    public init(table: CSVTable, inputs: [String]) {
        var seen = [Int](repeating: 0, count: inputs.count)
        for (index, row) in table.rows.enumerated() {
            guard row.count > 2, let position = Int(row[0]), inputs.indices.contains(position), inputs[position] == row[2] else {
                unexpected.append(index)
                continue
            }
            seen[position] += 1
        }
        lost = seen.indices.filter { seen[$0] == 0 }
        duplicated = seen.indices.filter { seen[$0] > 1 }
    }

    /// Whether nothing was lost, doubled or unexpected.
    public var isClean: Bool { lost.isEmpty && duplicated.isEmpty && unexpected.isEmpty }

    public var description: String {
        "lost \(lost.count), duplicated \(duplicated.count), unexpected \(unexpected.count)"
    }
}
