/// Why a sequence cannot be analysed at all, as opposed to a single value that Biopython does
/// not define for it (see ``ProteinProperties/MissingValue``).
public struct ProteinSequenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// The sequence has no residues: every per-residue average would divide by zero.
        case emptySequence = "empty_sequence"
        /// A character that is not a letter A to Z (upper or lower case).
        case invalidCharacter = "invalid_character"
    }

    /// The kind of problem.
    public var code: Code
    /// The 1-based position of the offending character, counted in characters, when there is one.
    public var position: Int?
    /// A message for the person who sent the sequence.
    public var message: String

    /// Creates an error.
    public init(code: Code, position: Int? = nil, message: String) {
        self.code = code
        self.position = position
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
