/// The 420-dimension composition embedding of a protein sequence: 20 amino-acid fractions
/// followed by 400 dipeptide fractions.
///
/// Residue order is `ACDEFGHIKLMNPQRSTVWY`; dipeptides are ordered first residue major (`AA`,
/// `AC`, …, `AY`, `CA`, …, `YY`). A residue fraction is its count divided by the sequence
/// length; a dipeptide fraction is the count of that adjacent pair divided by length − 1 (all
/// 0 for a single residue).
///
/// ## Extended letters
/// X, B, Z, J, U and O are not counted, and neither is any dipeptide that contains one, but they
/// stay in the length: the denominators are the full length and length − 1. So each fraction is
/// the true share of the sequence that is known to be that residue or pair (the way Biopython's
/// `amino_acids_percent` counts), nothing is redistributed by guesswork, and the values sum to
/// less than 1 by exactly the share of extended letters: the 20 residue fractions sum to 1 and
/// the 400 dipeptide fractions sum to 1 only for sequences of standard residues (of length 2 or
/// more, for the dipeptides).
public struct CompositionEmbedding: Sendable, Hashable {
    /// Number of values: 20 residues + 400 dipeptides.
    public static let dimension = 420
    /// The residue order of the embedding.
    public static let alphabet = "ACDEFGHIKLMNPQRSTVWY"
    /// The name of each value, in order: `aa_A` … `aa_Y`, then `dp_AA` … `dp_YY`.
    public static let names: [String] = {
        let letters = alphabet.map { String($0) }
        return letters.map { "aa_\($0)" } + letters.flatMap { first in letters.map { "dp_\(first)\($0)" } }
    }()

    /// The ``dimension`` values, in ``names`` order.
    public var values: [Double]

    /// Embeds `sequence` (letters only, upper or lower case).
    /// - Throws: ``ProteinSequenceError`` when the sequence is empty or holds a character that
    ///   is not a letter.
    public init(sequence: some StringProtocol) throws(ProteinSequenceError) {
        self = try withUTF8Bytes(of: sequence) { residues throws(ProteinSequenceError) in
            try CompositionEmbedding(residues: residues)
        }
    }

    /// Embeds a sequence given as ASCII bytes.
    /// - Throws: ``ProteinSequenceError`` when the sequence is empty or holds a byte that is not
    ///   a letter.
    public init(residues: UnsafeBufferPointer<UInt8>) throws(ProteinSequenceError) {
        var values = [Double](repeating: 0, count: Self.dimension)
        try values.withUnsafeMutableBufferPointer { output throws(ProteinSequenceError) in
            try Self.write(residues: residues, into: output)
        }
        self.values = values
    }

    /// Writes the embedding of `residues` into the first ``dimension`` elements of `output`,
    /// for callers that reuse one buffer for millions of sequences.
    /// - Precondition: `output` has at least ``dimension`` elements.
    /// - Throws: ``ProteinSequenceError`` when the sequence is empty or holds a byte that is not
    ///   a letter; `output` is then unchanged.
    public static func write(
        residues: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Double>
    ) throws(ProteinSequenceError) {
        precondition(output.count >= dimension, "the output buffer holds fewer than \(dimension) values")
        try ResidueAlphabet.validate(residues)
        let standardCount = ResidueAlphabet.standardCount
        let output = UnsafeMutableBufferPointer(rebasing: output[..<dimension])
        output.update(repeating: 0)
        // Counts are kept as doubles in the output itself: integers below 2^53 are exact, and
        // dividing them in place gives the same correctly rounded quotient as count / length.
        ResidueAlphabet.indices.withUnsafeBufferPointer { indices in
            var previous = -1
            for byte in residues {
                let index = Int(indices[Int(byte)])
                guard index < standardCount else {
                    previous = -1
                    continue
                }
                output[index] += 1
                if previous >= 0 { output[standardCount &+ previous &* standardCount &+ index] += 1 }
                previous = index
            }
        }
        let length = Double(residues.count)
        for index in 0..<standardCount { output[index] /= length }
        guard residues.count > 1 else { return }
        let pairs = Double(residues.count - 1)
        for index in standardCount..<dimension { output[index] /= pairs }
    }
}
