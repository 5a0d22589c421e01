import Foundation

/// The whole-file verdict on whether a FASTA file holds DNA or RNA instead of proteins.
///
/// Feed it every record with ``add(_:)`` while streaming, then ask ``looksLikeNucleotides`` or
/// ``rejection``. Only records with a sequence (no error) count; a file is judged nucleotide when
/// more than half of them are ``FASTARecord/isNucleotideLike``, so a few poly-A or Gly-rich
/// peptides do not get a protein file refused.
public struct NucleotideCheck: Sendable, Hashable {
    /// Records seen that have a sequence and no error.
    public private(set) var recordsWithSequence = 0
    /// Of those, the records that look like DNA or RNA.
    public private(set) var nucleotideLikeRecords = 0

    /// Creates an empty check.
    public init() {}

    /// Creates a check fed with `records`.
    public init<Records: Sequence>(records: Records) where Records.Element == FASTARecord {
        for record in records { add(record) }
    }

    /// Counts one record. Error records are ignored.
    public mutating func add(_ record: FASTARecord) {
        guard record.error == nil, !record.sequence.isEmpty else { return }
        recordsWithSequence += 1
        if record.isNucleotideLike { nucleotideLikeRecords += 1 }
    }

    /// Whether more than half of the records with a sequence look like DNA or RNA. `false` when no
    /// record had a sequence.
    public var looksLikeNucleotides: Bool {
        nucleotideLikeRecords * 2 > recordsWithSequence
    }

    /// The error to answer with when the file looks like DNA or RNA, or `nil` when it does not.
    public var rejection: ProteinInputError? {
        guard looksLikeNucleotides else { return nil }
        return ProteinInputError(
            code: .nucleotideInput,
            message:
                "the file looks like DNA/RNA, not protein: \(nucleotideLikeRecords) of \(recordsWithSequence) sequences are at least 90% A, C, G, T, U or N; send amino-acid sequences (translate coding sequences first)"
        )
    }
}
