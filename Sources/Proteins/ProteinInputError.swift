import Foundation

/// A problem with a protein input file as a whole, as opposed to one record of it (which becomes
/// a ``FASTARecord`` with an error instead).
public struct ProteinInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for callers that map errors to answers (for example HTTP 422).
    public enum Code: String, Sendable, Hashable {
        /// The file could not be opened or read.
        case unreadableInput = "unreadable_input"
        /// Most records are DNA or RNA sequences where proteins were expected.
        case nucleotideInput = "nucleotide_input"
    }

    /// The kind of problem.
    public var code: Code
    /// A message for the person who sent the file.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
