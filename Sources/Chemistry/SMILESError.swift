/// Why a SMILES string could not be read.
///
/// ``position`` is the 0-based byte offset in the input where the problem was found (for
/// problems with an atom, the offset of that atom). ``description`` is a sentence that is safe
/// to show a user: it never echoes more than a few bytes of the input, and shows bytes outside
/// printable ASCII as hexadecimal.
public struct SMILESError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The input holds no SMILES (empty, or only whitespace).
        case empty
        /// The input is longer than the parser's maximum length.
        case tooLong
        /// A byte that cannot appear at that point.
        case unexpectedCharacter
        /// An element symbol that does not exist, such as `Xx`.
        case unknownElement
        /// An element outside the organic subset written without brackets, such as `Na`.
        case bracketsRequired
        /// A malformed bracket atom, such as `[C+-]` or `[H@]`.
        case invalidBracketAtom
        /// A `[` without its `]`.
        case unclosedBracket
        /// An isotope, charge, hydrogen count, atom class or ring number beyond its limit.
        case numberOutOfRange
        /// A `(` without its `)`.
        case unclosedBranch
        /// A `)` without its `(`.
        case unmatchedBranchClose
        /// `()` with nothing inside.
        case emptyBranch
        /// A bond or ring bond where no atom precedes it, or two bond symbols in a row.
        case misplacedBond
        /// A bond symbol with no atom after it.
        case danglingBond
        /// A `.` at the start or end, or two in a row.
        case misplacedDot
        /// A ring-bond number that is never closed.
        case unclosedRing
        /// A ring bond that would join an atom to itself, or two atoms already bonded.
        case invalidRingBond
        /// An atom with more bonds and hydrogens than its element allows.
        case invalidValence
        /// An aromatic atom that is not part of any ring.
        case aromaticAtomOutsideRing
        /// Aromatic atoms for which no alternating single/double bond pattern exists.
        case cannotKekulize
        /// Text after the SMILES that is an unsupported extension (ChemAxon `|...|` fields).
        case unsupportedExtension
    }

    /// The kind of problem.
    public let code: Code
    /// The 0-based byte offset in the input where the problem was found.
    public let position: Int
    /// A sentence describing the problem, safe to show a user.
    public let description: String

    init(_ code: Code, at position: Int, _ description: String) {
        self.code = code
        self.position = position
        self.description = description
    }

    /// Shows one input byte in a message: printable ASCII quoted, anything else in hex.
    static func show(_ byte: UInt8) -> String {
        if byte >= 0x21, byte <= 0x7E, byte != UInt8(ascii: "'") {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        if byte == UInt8(ascii: " ") { return "a space" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
