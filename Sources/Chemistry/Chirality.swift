/// The stereo mark written on a bracket atom, kept as written.
///
/// The reader does not perceive stereochemistry: it records what the SMILES says, relative to
/// the order in which the atom's neighbours appear in the string. A class without a number
/// (`@TH`) is stored with number 0.
public enum Chirality: Sendable, Hashable {
    /// No stereo mark.
    case none
    /// `@`: neighbours appear anticlockwise looking from the first one.
    case anticlockwise
    /// `@@`: neighbours appear clockwise looking from the first one.
    case clockwise
    /// `@TH1` or `@TH2`.
    case tetrahedral(UInt8)
    /// `@AL1` or `@AL2` (allene-like centres).
    case allene(UInt8)
    /// `@SP1` to `@SP3`.
    case squarePlanar(UInt8)
    /// `@TB1` to `@TB20`.
    case trigonalBipyramidal(UInt8)
    /// `@OH1` to `@OH30`.
    case octahedral(UInt8)

    /// Whether any stereo mark was written.
    public var isSpecified: Bool { self != .none }
}
