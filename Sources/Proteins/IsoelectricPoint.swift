import Foundation

/// The net charge of a peptide at a given pH and its isoelectric point, by the method of
/// Bjellqvist et al. with Biopython's `Bio.SeqUtils.IsoelectricPoint` pK values and search.
///
/// Only the standard charged residues (K, R, H, D, E, C, Y) and the two termini carry charge.
/// Extended letters (X, B, Z, J, U, O) contribute nothing, and one at a terminus gets the default
/// terminal pK, exactly as Biopython counts them: its charge never fails on them.
public struct IsoelectricPoint: Sendable, Hashable {
    // pK values from Bjellqvist et al. 1993 (Electrophoresis 14:1023–1031) and 1994
    // (Electrophoresis 15:529–539), as tabulated in Biopython's IsoelectricPoint module.
    static let nTerminalDefault = 7.5
    static let lysinePK = 10.0
    static let argininePK = 12.0
    static let histidinePK = 5.98
    static let cTerminalDefault = 3.55
    static let aspartatePK = 4.05
    static let glutamatePK = 4.45
    static let cysteinePK = 9.0
    static let tyrosinePK = 10.0

    /// Counts of the charged residues, as doubles because Biopython computes with them so.
    private let lysines, arginines, histidines, aspartates, glutamates, cysteines, tyrosines: Double
    /// The pK of the N-terminal amine, which depends on the first residue.
    public let nTerminalPK: Double
    /// The pK of the C-terminal carboxyl, which depends on the last residue.
    public let cTerminalPK: Double

    /// Reads the charged residues of `sequence` (upper or lower case letters).
    /// - Throws: ``ProteinSequenceError`` for an empty sequence or a character that is not a letter.
    public init(sequence: some StringProtocol) throws(ProteinSequenceError) {
        self = try withUTF8Bytes(of: sequence) { residues throws(ProteinSequenceError) in
            try ResidueAlphabet.validate(residues)
            var counts = [Int](repeating: 0, count: ResidueAlphabet.letterCount)
            let table = ResidueAlphabet.indices
            for byte in residues { counts[Int(table[Int(byte)])] += 1 }
            return IsoelectricPoint(
                counts: counts, first: Int(table[Int(residues[0])]), last: Int(table[Int(residues[residues.count - 1])]))
        }
    }

    /// Creates the charge model from residue counts indexed as ``ResidueAlphabet`` and the
    /// indices of the first and last residues.
    init(counts: some RandomAccessCollection<Int>, first: Int, last: Int) {
        func count(_ letter: Character) -> Double {
            guard let ascii = letter.asciiValue else { return 0 }
            let index = Int(ResidueAlphabet.indices[Int(ascii)])
            return Double(counts[counts.index(counts.startIndex, offsetBy: index)])
        }
        lysines = count("K")
        arginines = count("R")
        histidines = count("H")
        aspartates = count("D")
        glutamates = count("E")
        cysteines = count("C")
        tyrosines = count("Y")
        nTerminalPK = Self.nTerminalPK(firstResidue: first)
        cTerminalPK = Self.cTerminalPK(lastResidue: last)
    }

    /// Biopython's `pKnterminal`: A, M, S, P, T, V and E change the N-terminal pK.
    static func nTerminalPK(firstResidue index: Int) -> Double {
        switch index < ResidueAlphabet.standardCount ? ResidueAlphabet.standard[index] : 0 {
        case UInt8(ascii: "A"): 7.59
        case UInt8(ascii: "M"): 7.0
        case UInt8(ascii: "S"): 6.93
        case UInt8(ascii: "P"): 8.36
        case UInt8(ascii: "T"): 6.82
        case UInt8(ascii: "V"): 7.44
        case UInt8(ascii: "E"): 7.7
        default: nTerminalDefault
        }
    }

    /// Biopython's `pKcterminal`: D and E change the C-terminal pK.
    static func cTerminalPK(lastResidue index: Int) -> Double {
        switch index < ResidueAlphabet.standardCount ? ResidueAlphabet.standard[index] : 0 {
        case UInt8(ascii: "D"): 4.55
        case UInt8(ascii: "E"): 4.75
        default: cTerminalDefault
        }
    }

    /// The net charge at `pH` (Henderson–Hasselbalch for each group), as Biopython's
    /// `charge_at_pH`.
    public func charge(atPH pH: Double) -> Double {
        // The terms are added in Biopython's order (N-terminus, K, R, H; C-terminus, D, E, C, Y)
        // with the same operations, so the sums round the same way.
        var positive = 0.0
        positive += 1.0 * Self.basicFraction(pH: pH, pK: nTerminalPK)
        positive += lysines * Self.basicFraction(pH: pH, pK: Self.lysinePK)
        positive += arginines * Self.basicFraction(pH: pH, pK: Self.argininePK)
        positive += histidines * Self.basicFraction(pH: pH, pK: Self.histidinePK)
        var negative = 0.0
        negative += 1.0 * Self.acidicFraction(pH: pH, pK: cTerminalPK)
        negative += aspartates * Self.acidicFraction(pH: pH, pK: Self.aspartatePK)
        negative += glutamates * Self.acidicFraction(pH: pH, pK: Self.glutamatePK)
        negative += cysteines * Self.acidicFraction(pH: pH, pK: Self.cysteinePK)
        negative += tyrosines * Self.acidicFraction(pH: pH, pK: Self.tyrosinePK)
        return positive - negative
    }

    @inline(__always)
    private static func basicFraction(pH: Double, pK: Double) -> Double {
        1.0 / (pow(10.0, pH - pK) + 1.0)
    }

    @inline(__always)
    private static func acidicFraction(pH: Double, pK: Double) -> Double {
        1.0 / (pow(10.0, pK - pH) + 1.0)
    }

    /// The pH at which the net charge is zero, found as Biopython's `pi()` finds it.
    ///
    /// Bisection of the interval 4.05–12 starting from pH 7.775 (not the interval's midpoint:
    /// Biopython's starting value), moving the lower bound up while the charge is positive and
    /// the upper bound down otherwise, and returning the current pH once the interval is no
    /// wider than 0.0001. Following the same steps gives the same value to the last bit, not
    /// just within the method's 0.0001 tolerance.
    public var isoelectricPoint: Double {
        var pH = 7.775
        var lower = 4.05
        var upper = 12.0
        while upper - lower > 0.0001 {
            if charge(atPH: pH) > 0.0 {
                lower = pH
            } else {
                upper = pH
            }
            pH = (lower + upper) / 2
        }
        return pH
    }
}
