import BulkPredictCore
import Foundation
import Proteins

/// Streams the records of a protein FASTA file as input records: the header's identifier as the
/// id (a UniProt accession, an NCBI `lcl|…` name, or the first word), the sequence as the input,
/// and the whole header as the passthrough column `header`, from which results and bundles take
/// their annotations.
///
/// Records are keyed by their position, never by the identifier. A record that cannot be used
/// becomes an error record; one that looks like DNA or RNA among proteins becomes an error record
/// too, while a file that is mostly DNA or RNA is refused as a whole by ``finish()``. A sequence
/// longer than the limit, or too few or too many sequences, refuse the whole submission with a
/// message stating the limit.
public final class ProteinRecordReader {
    /// The passthrough columns of every protein input.
    public static let passthroughColumns = ["header"]

    private let reader: FASTAReader
    private let limits: SubmissionLimits
    private var check = NucleotideCheck()
    private var count = 0

    /// Opens `url` under `limits`.
    /// - Throws: ``SubmissionError`` when the file cannot be opened.
    public init(url: URL, limits: SubmissionLimits) throws {
        do {
            reader = try FASTAReader(url: url, configuration: .init(maximumSequenceLength: limits.maxSequenceLength))
        } catch {
            throw SubmissionError(code: .unreadableInput, message: "the FASTA file cannot be read: \(error)")
        }
        self.limits = limits
    }

    /// The next record, or `nil` at the end.
    /// - Throws: ``SubmissionError`` when a limit is broken.
    public func next() throws -> InputRecord? {
        guard let record = try reader.next() else { return nil }
        count += 1
        if let residues = record.overLength {
            throw SubmissionError(
                code: .limitExceeded, field: "input",
                message:
                    "sequence \(count) (\(FASTAHeader(parsing: record.header).identifier)) has \(residues) residues, more than the limit of \(limits.maxSequenceLength)"
            )
        }
        guard count <= limits.maxSequences else {
            throw SubmissionError(
                code: .limitExceeded, field: "input", message: "the input has more than \(limits.maxSequences) sequences, the limit per request")
        }
        check.add(record)
        let header = FASTAHeader(parsing: record.header)
        var error = record.error
        if error == nil, record.isNucleotideLike {
            error = "the sequence looks like DNA/RNA (at least 90% A, C, G, T, U or N), not a protein"
        }
        return InputRecord(
            id: header.identifier.isEmpty ? nil : header.identifier, input: record.sequence, error: error,
            passthrough: [record.header])
    }

    /// Checks the input as a whole once every record is read.
    /// - Throws: ``SubmissionError`` when the file looks like DNA/RNA or holds too few sequences.
    public func finish() throws {
        if let rejection = check.rejection {
            throw SubmissionError(code: .wrongInputKind, field: "input", message: rejection.message)
        }
        guard count >= limits.minSequences else {
            throw SubmissionError(
                code: .limitExceeded, field: "input",
                message: "the input has \(count) sequences; at least \(limits.minSequences) are needed")
        }
    }
}
