/// Biopython's `Bio.SeqUtils.ProtParam.ProteinAnalysis` values for one protein sequence, computed
/// in one pass over its bytes.
///
/// Every value follows Biopython 1.88's definition and arithmetic (same tables, same operations
/// in the same order), so results agree with `ProteinAnalysis` to the last bit: the reference
/// tests find every value of every sequence identical. (Run under Python 3.12 or later, whose
/// `sum` compensates rounding, Biopython's weight and GRAVY can differ in the last bits.)
///
/// ## Extended letters
/// The sequence may hold the extended letters X, B, Z, J, U and O besides the 20 standard
/// residues. Each value treats them exactly as Biopython does; where Biopython raises for a
/// value, that value is `nil` here and ``missingValues`` says which residue at which position
/// is the cause. Nothing is guessed:
///
/// | value | X, B, Z, J | U, O |
/// | --- | --- | --- |
/// | ``length`` | counted | counted |
/// | ``molecularWeight`` | `nil` (Biopython: `ValueError`) | weighed (selenocysteine, pyrrolysine) |
/// | ``gravy`` | `nil` (Biopython: `KeyError`) | `nil` (Biopython: `KeyError`) |
/// | ``instabilityIndex`` | `nil` when the sequence has 2 or more residues (`KeyError`); 0 for a single residue | same as X |
/// | ``aromaticity`` | counted in the length, not aromatic | same |
/// | extinction coefficients | ignored | ignored |
/// | ``isoelectricPoint``, ``chargeAtPH7`` | carry no charge; at a terminus, the default terminal pK | same |
///
/// Upper- and lower-case letters are the same residue, as `ProteinAnalysis` upper-cases its
/// input. A sequence that is empty or holds a character that is not a letter cannot be analysed
/// at all and throws ``ProteinSequenceError``; ``FASTAReader`` never produces such sequences.
public struct ProteinProperties: Sendable, Hashable {
    /// Why one value is `nil`: the first residue for which Biopython's computation of that value
    /// raises.
    public struct MissingValue: Sendable, Hashable, CustomStringConvertible {
        /// The value that is missing.
        public var property: ProteinProperty
        /// The residue that has no parameter, in upper case.
        public var residue: Character
        /// Its 1-based position in the sequence.
        public var position: Int
        /// What Biopython raises for it.
        public var biopythonError: String

        /// Creates a missing-value note.
        public init(property: ProteinProperty, residue: Character, position: Int, biopythonError: String) {
            self.property = property
            self.residue = residue
            self.position = position
            self.biopythonError = biopythonError
        }

        /// For example "molecular_weight: residue 'X' at position 12 has no average mass".
        public var description: String {
            let parameter =
                switch property {
                case .molecularWeight: "no average mass"
                case .gravy: "no Kyte-Doolittle hydropathy"
                case .instabilityIndex: "no dipeptide instability weight"
                default: "no parameter"
                }
            return "\(property.name): residue '\(residue)' at position \(position) has \(parameter)"
        }
    }

    /// Residues in the sequence, standard or not (`len(seq)`).
    public var length: Int
    /// Average molecular weight in daltons: the sum of the free amino-acid masses less one water
    /// (18.0153 Da) per peptide bond, as `Bio.SeqUtils.molecular_weight(seq, "protein")`.
    /// `nil` when the sequence has X, B, Z or J.
    public var molecularWeight: Double?
    /// Isoelectric point by Bjellqvist's pK values and Biopython's bisection (see
    /// ``IsoelectricPoint``).
    public var isoelectricPoint: Double
    /// Mean Kyte–Doolittle hydropathy. `nil` when the sequence has any non-standard letter.
    public var gravy: Double?
    /// Guruprasad instability index: 10 / length × the sum of the dipeptide weights. `nil` when
    /// a dipeptide has a non-standard letter; 0 for a single residue, whatever it is.
    public var instabilityIndex: Double?
    /// (F + W + Y) / length, the length counting every letter.
    public var aromaticity: Double
    /// 5500 × W + 1490 × Y, in M⁻¹ cm⁻¹.
    public var extinctionReduced: Int
    /// ``extinctionReduced`` + 125 × ⌊C / 2⌋, in M⁻¹ cm⁻¹.
    public var extinctionOxidized: Int
    /// Net charge at pH 7.0.
    public var chargeAtPH7: Double
    /// Why each `nil` value is `nil`, in ``ProteinProperty`` order; empty when every value is set.
    public var missingValues: [MissingValue]

    /// Computes every value for `sequence` (letters only, upper or lower case).
    /// - Throws: ``ProteinSequenceError`` when the sequence is empty or holds a character that
    ///   is not a letter.
    public init(sequence: some StringProtocol) throws(ProteinSequenceError) {
        self = try withUTF8Bytes(of: sequence) { residues throws(ProteinSequenceError) in
            try ProteinProperties(residues: residues)
        }
    }

    /// Computes every value for a sequence given as ASCII bytes, without copying it.
    /// - Throws: ``ProteinSequenceError`` when the sequence is empty or holds a byte that is not
    ///   a letter.
    public init(residues: UnsafeBufferPointer<UInt8>) throws(ProteinSequenceError) {
        try ResidueAlphabet.validate(residues)
        self = withUnsafeTemporaryAllocation(of: Int.self, capacity: ResidueAlphabet.letterCount) { counts in
            counts.initialize(repeating: 0)
            let sums = Self.accumulate(residues, counts: counts)
            return ProteinProperties(residues: residues, counts: UnsafeBufferPointer(counts), sums: sums)
        }
    }

    /// The value of `property`, integers as doubles; `nil` where Biopython raises.
    public func value(_ property: ProteinProperty) -> Double? {
        switch property {
        case .length: Double(length)
        case .molecularWeight: molecularWeight
        case .isoelectricPoint: isoelectricPoint
        case .gravy: gravy
        case .instabilityIndex: instabilityIndex
        case .aromaticity: aromaticity
        case .extinctionReduced: Double(extinctionReduced)
        case .extinctionOxidized: Double(extinctionOxidized)
        case .chargeAtPH7: chargeAtPH7
        }
    }

    /// The running sums of one pass, and where the first residue without a parameter is.
    private struct Sums {
        var mass = 0.0
        var hydropathy = 0.0
        var instability = 0.0
        /// Offset of the first X, B, Z or J: no mass.
        var firstUnweighed: Int?
        /// Offset of the first letter outside the standard 20: no hydropathy or instability weight.
        var firstNonStandard: Int?
    }

    /// Counts the residues and adds up masses, hydropathies and dipeptide weights in sequence
    /// order, as Biopython's `sum(...)` and loops do.
    private static func accumulate(_ residues: UnsafeBufferPointer<UInt8>, counts: UnsafeMutableBufferPointer<Int>) -> Sums {
        var sums = Sums()
        let standardCount = ResidueAlphabet.standardCount
        ResidueAlphabet.indices.withUnsafeBufferPointer { indices in
            ProtParamTables.averageMass.withUnsafeBufferPointer { masses in
                ProtParamTables.kyteDoolittle.withUnsafeBufferPointer { hydropathies in
                    ProtParamTables.instabilityWeights.withUnsafeBufferPointer { weights in
                        var previous = -1
                        for offset in residues.indices {
                            let index = Int(indices[Int(residues[offset])])
                            counts[index] += 1
                            if index < standardCount {
                                sums.mass += masses[index]
                                sums.hydropathy += hydropathies[index]
                                if previous >= 0 { sums.instability += weights[previous &* standardCount &+ index] }
                                previous = index
                                continue
                            }
                            // Rare: an extended letter. Biopython weighs U and O but stops at
                            // the others; the other sums are void from here on.
                            if sums.firstNonStandard == nil { sums.firstNonStandard = offset }
                            if let mass = ProtParamTables.extendedAverageMass[index - standardCount] {
                                sums.mass += mass
                            } else if sums.firstUnweighed == nil {
                                sums.firstUnweighed = offset
                            }
                            previous = -1
                        }
                    }
                }
            }
        }
        return sums
    }

    private init(residues: UnsafeBufferPointer<UInt8>, counts: UnsafeBufferPointer<Int>, sums: Sums) {
        let length = residues.count
        func count(_ letter: Unicode.Scalar) -> Int { counts[Int(ResidueAlphabet.indices[Int(letter.value)])] }
        func missing(_ property: ProteinProperty, at offset: Int, error: String) -> MissingValue {
            let residue = ResidueAlphabet.letter(Int(ResidueAlphabet.indices[Int(residues[offset])]))
            return MissingValue(property: property, residue: residue, position: offset + 1, biopythonError: error)
        }
        var missingValues: [MissingValue] = []

        self.length = length
        if let offset = sums.firstUnweighed {
            molecularWeight = nil
            missingValues.append(missing(.molecularWeight, at: offset, error: "ValueError"))
        } else {
            molecularWeight = sums.mass - Double(length - 1) * ProtParamTables.water
        }

        let charges = IsoelectricPoint(
            counts: counts, first: Int(ResidueAlphabet.indices[Int(residues[0])]),
            last: Int(ResidueAlphabet.indices[Int(residues[length - 1])]))
        isoelectricPoint = charges.isoelectricPoint

        if let offset = sums.firstNonStandard {
            gravy = nil
            missingValues.append(missing(.gravy, at: offset, error: "KeyError"))
        } else {
            gravy = sums.hydropathy / Double(length)
        }

        // Biopython looks up dipeptides only, so a lone residue of any kind has index 0.
        if let offset = sums.firstNonStandard, length > 1 {
            instabilityIndex = nil
            missingValues.append(missing(.instabilityIndex, at: offset, error: "KeyError"))
        } else {
            instabilityIndex = (10.0 / Double(length)) * sums.instability
        }

        // Biopython divides each percentage by 100 and adds them up in the order Y, W, F.
        let total = Double(length)
        func fraction(_ letter: Unicode.Scalar) -> Double { Double(count(letter) * 100) / total / 100 }
        aromaticity = fraction("Y") + fraction("W") + fraction("F")

        extinctionReduced =
            count("W") * ProtParamTables.extinctionTryptophan + count("Y") * ProtParamTables.extinctionTyrosine
        extinctionOxidized = extinctionReduced + (count("C") / 2) * ProtParamTables.extinctionCystine
        chargeAtPH7 = charges.charge(atPH: 7.0)
        self.missingValues = missingValues
    }
}
