/// One atom of a ``Molecule``, as written in SMILES and completed by hydrogen perception.
///
/// Hydrogens are counted on their heavy atom (`hydrogenCount`) unless the SMILES wrote them
/// as atoms of their own (`[H]`, `[2H]`), in which case they are separate atoms with element
/// hydrogen. Charges may differ from the input where charge-separated forms are normalised
/// (`N(=O)=O` is stored as `[N+](=O)[O-]`), as RDKit does.
public struct Atom: Sendable, Hashable {
    /// The element; ``Element/wildcard`` for `*`.
    public let element: Element
    /// Whether the atom was written in lowercase (aromatic), e.g. `c` or `[nH]`.
    public let isAromatic: Bool
    /// Whether the atom was written in square brackets, which fixes its hydrogen count.
    public let isBracketAtom: Bool
    /// The stereo mark written on the atom, if any.
    public let chirality: Chirality

    let storedIsotope: UInt16
    var storedCharge: Int8
    var storedBracketHydrogens: UInt8
    var storedImplicitHydrogens: UInt8
    let storedAtomClass: UInt32
    // The explicit valence found during perception, kept for kekulisation.
    var storedValence: UInt8 = 0

    init(
        element: Element,
        isotope: UInt16 = 0,
        charge: Int8 = 0,
        bracketHydrogens: UInt8 = 0,
        isAromatic: Bool,
        isBracketAtom: Bool,
        chirality: Chirality = .none,
        atomClass: UInt32 = 0
    ) {
        self.element = element
        self.isAromatic = isAromatic
        self.isBracketAtom = isBracketAtom
        self.chirality = chirality
        storedIsotope = isotope
        storedCharge = charge
        storedBracketHydrogens = bracketHydrogens
        storedImplicitHydrogens = 0
        storedAtomClass = atomClass
    }

    /// The atomic number; 0 for the wildcard.
    public var atomicNumber: Int { element.atomicNumber }

    /// The mass number written in brackets (`[13C]` is 13); 0 means natural abundance.
    public var isotope: Int { Int(storedIsotope) }

    /// The formal charge.
    public var charge: Int { Int(storedCharge) }

    /// Hydrogens written inside the brackets (`[NH4+]` has 4); always 0 outside brackets.
    ///
    /// As in RDKit, an aromatic `[nH]` or `[pH]` whose Kekulé structure leaves no room for the
    /// hydrogen loses it (a pyrrole keeps it).
    public var explicitHydrogenCount: Int { Int(storedBracketHydrogens) }

    /// Hydrogens implied by the default valences; only atoms outside brackets have them.
    public var implicitHydrogenCount: Int { Int(storedImplicitHydrogens) }

    /// All hydrogens attached to this atom that are not atoms of their own.
    public var hydrogenCount: Int { Int(storedBracketHydrogens) + Int(storedImplicitHydrogens) }

    /// The atom class (`[CH3:7]` is 7); 0 when none was written.
    public var atomClass: Int { Int(storedAtomClass) }

    /// The atom's mass in daltons as RDKit computes it, without its attached hydrogens.
    ///
    /// An isotope uses its exact mass; an isotope missing from the table counts its mass
    /// number, and the wildcard weighs nothing.
    public var mass: Double {
        guard storedIsotope != 0 else { return element.averageMass }
        if let exact = element.mass(ofIsotope: Int(storedIsotope)) { return exact }
        return element.isWildcard ? 0 : Double(storedIsotope)
    }
}
