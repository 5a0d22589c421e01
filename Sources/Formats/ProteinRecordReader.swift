import BulkPredictCore
import Foundation
import Proteins

/// The rules every protein input follows, whether it came as FASTA or as JSON sequences: the
/// header's identifier as the id (a UniProt accession, an NCBI `lcl|…` name, or the first word),
/// the sequence as the input, the whole header as the passthrough column `header`.
///
/// Records are keyed by their position, never by the identifier. A record that cannot be used
/// becomes an error record; one that looks like DNA or RNA among proteins becomes an error record
/// too, while an input that is mostly DNA or RNA, or not FASTA at all, is refused as a whole by
/// ``finish()``. A sequence longer than the limit, or too few or too many sequences, refuse the
/// whole submission with a message stating the limit.
public final class ProteinInputRules {
    /// The passthrough columns of every protein input.
    public static let passthroughColumns = ["header"]

    private let limits: SubmissionLimits
    private var check = NucleotideCheck()
    private var count = 0
    /// Records made of text before the first `>`: a file with nothing else is not FASTA.
    private var preambleRecords = 0

    /// Rules under `limits`.
    public init(limits: SubmissionLimits) {
        self.limits = limits
    }

    /// The input record for the next FASTA record.
    /// - Throws: ``SubmissionError`` when a limit is broken.
    public func admit(_ record: FASTARecord) throws -> InputRecord {
        count += 1
        let header = FASTAHeader(parsing: record.header)
        if let residues = record.overLength {
            let name = header.identifier.isEmpty ? "" : " (\(header.identifier))"
            throw SubmissionError(
                code: .limitExceeded, field: "input",
                message: "sequence \(count)\(name) has \(residues) residues, more than the limit of \(limits.maxSequenceLength)")
        }
        if record.header.isEmpty, record.error?.contains("before the first '>'") == true { preambleRecords += 1 }
        guard count - preambleRecords <= limits.maxSequences else {
            throw SubmissionError(
                code: .limitExceeded, field: "input", message: "the input has more than \(limits.maxSequences) sequences, the limit per request")
        }
        check.add(record)
        var error = record.error
        if error == nil, record.isNucleotideLike {
            error = "the sequence looks like DNA/RNA (at least 90% A, C, G, T, U or N), not a protein"
        }
        return InputRecord(
            id: header.identifier.isEmpty ? nil : header.identifier, input: record.sequence, error: error, passthrough: [record.header])
    }

    /// Checks the input as a whole once every record is admitted.
    /// - Throws: ``SubmissionError`` when it looks like DNA/RNA, is not FASTA, or holds too few
    ///   sequences.
    public func finish() throws {
        if let rejection = check.rejection {
            throw SubmissionError(code: .wrongInputKind, field: "input", message: rejection.message)
        }
        if count > 0, preambleRecords == count {
            throw SubmissionError(
                code: .wrongInputKind, field: "input",
                message: "the input is not FASTA: no line starts with '>'; protein models read FASTA files (a '>' header line, then the sequence)")
        }
        let sequences = count - preambleRecords
        guard sequences >= limits.minSequences else {
            throw SubmissionError(
                code: .limitExceeded, field: "input", message: "the input has \(sequences) sequences; at least \(limits.minSequences) are needed")
        }
    }
}

/// Streams the records of a protein FASTA file as input records, under ``ProteinInputRules``.
public final class ProteinRecordReader {
    /// The passthrough columns of every protein input.
    public static let passthroughColumns = ProteinInputRules.passthroughColumns

    private let reader: FASTAReader
    private let rules: ProteinInputRules

    /// Opens `url` under `limits`.
    /// - Throws: ``SubmissionError`` when the file cannot be opened.
    public init(url: URL, limits: SubmissionLimits) throws {
        do {
            reader = try FASTAReader(url: url, configuration: .init(maximumSequenceLength: limits.maxSequenceLength))
        } catch {
            throw SubmissionError(code: .unreadableInput, message: "the FASTA file cannot be read: \(error)")
        }
        rules = ProteinInputRules(limits: limits)
    }

    /// The next record, or `nil` at the end.
    /// - Throws: ``SubmissionError`` when a limit is broken.
    public func next() throws -> InputRecord? {
        guard let record = try reader.next() else { return nil }
        return try rules.admit(record)
    }

    /// Checks the input as a whole once every record is read (see ``ProteinInputRules/finish()``).
    /// - Throws: ``SubmissionError``.
    public func finish() throws { try rules.finish() }
}
