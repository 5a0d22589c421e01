/// Why a SMARTS pattern could not be read.
///
/// ``position`` is the 0-based byte offset in the pattern where the problem was found.
public struct SMARTSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 0-based byte offset of the problem.
    public let position: Int
    /// A sentence that names the problem and its position.
    public let description: String

    init(at position: Int, _ description: String) {
        self.position = position
        self.description = description
    }
}
