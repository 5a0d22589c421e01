import Foundation

/// One record of a FASTA file: a `>` header and its sequence, or the reason it cannot be used.
///
/// Records come in input order and are never dropped: a record that cannot be read carries an
/// ``error`` and an empty ``sequence``, so a caller can still give it its own error row.
public struct FASTARecord: Sendable, Hashable {
    /// The header line without its `>` and without surrounding whitespace. Empty for text found
    /// before the first header; only the first bytes of a header that is too long.
    public var header: String
    /// The residues in upper case, line breaks and whitespace removed, a trailing `*` stop
    /// removed. Empty when ``error`` is set.
    public var sequence: String
    /// Why the record cannot be used, or `nil` when it can.
    public var error: String?
    /// The number of residues of a sequence refused for being longer than the reader's limit;
    /// `nil` otherwise. Lets a caller treat the length limit as a limit on the whole input.
    public var overLength: Int?

    /// Creates a record.
    public init(header: String, sequence: String, error: String? = nil) {
        self.header = header
        self.sequence = sequence
        self.error = error
    }

    /// Shortest sequence that can be judged nucleotide-like, so that a short peptide such as a
    /// poly-A tag is not mistaken for DNA.
    public static let nucleotideMinimumLength = 20

    /// Whether the sequence looks like DNA or RNA rather than protein: it has at least
    /// ``nucleotideMinimumLength`` residues and at least 90% of them are A, C, G, T, U or N.
    ///
    /// Judged by composition, not by alphabet, because every nucleotide letter is also an amino
    /// acid letter. Computed on each call by one pass over the sequence; `false` for error records.
    public var isNucleotideLike: Bool {
        let residues = sequence.utf8
        guard error == nil, residues.count >= Self.nucleotideMinimumLength else { return false }
        var nucleotides = 0
        for residue in residues {
            switch residue {
            case UInt8(ascii: "A"), UInt8(ascii: "C"), UInt8(ascii: "G"), UInt8(ascii: "T"), UInt8(ascii: "U"),
                UInt8(ascii: "N"):
                nucleotides += 1
            default:
                break
            }
        }
        // 90% without floating point: nucleotides / count >= 9 / 10.
        return nucleotides * 10 >= residues.count * 9
    }
}
