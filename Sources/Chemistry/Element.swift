/// A chemical element, or the wildcard atom `*` (atomic number 0).
///
/// Every element from hydrogen (1) to oganesson (118) is known. Symbols, standard atomic
/// weights and isotope masses are those of RDKit's periodic table, so masses computed here
/// agree with RDKit's descriptors. The wildcard has no mass.
public struct Element: Sendable, Hashable, Comparable {
    let rawAtomicNumber: UInt8

    /// Creates the element with the given atomic number, or `nil` outside `0...118`.
    ///
    /// Atomic number 0 is the wildcard `*`.
    public init?(atomicNumber: Int) {
        guard atomicNumber >= 0, atomicNumber <= ElementTable.maximumAtomicNumber else { return nil }
        rawAtomicNumber = UInt8(atomicNumber)
    }

    /// Looks up an element by its symbol, written as in SMILES brackets (`"C"`, `"Cl"`, `"Fe"`, `"*"`).
    ///
    /// The lookup is case-sensitive; lowercase aromatic spellings such as `"c"` are not symbols.
    public init?(symbol: String) {
        guard let index = ElementTable.symbols.firstIndex(of: symbol) else { return nil }
        rawAtomicNumber = UInt8(index)
    }

    init(unchecked atomicNumber: UInt8) {
        rawAtomicNumber = atomicNumber
    }

    /// The number of protons; 0 for the wildcard.
    public var atomicNumber: Int { Int(rawAtomicNumber) }

    /// The element symbol (`"C"`, `"Cl"`); `"*"` for the wildcard.
    public var symbol: String { ElementTable.symbols[Int(rawAtomicNumber)] }

    /// The standard atomic weight in daltons (g/mol); 0 for the wildcard.
    public var averageMass: Double { ElementTable.averageMasses[Int(rawAtomicNumber)] }

    /// The exact mass in daltons of the element's most common isotope (RDKit's choice for
    /// `ExactMolWt`); 0 for the wildcard.
    public var mostCommonIsotopeMass: Double { ElementTable.mostCommonIsotopeMasses[Int(rawAtomicNumber)] }

    /// Whether this is the wildcard atom `*`.
    public var isWildcard: Bool { rawAtomicNumber == 0 }

    /// The exact mass in daltons of one isotope of this element, or `nil` when it is not tabulated.
    ///
    /// - Parameter massNumber: protons plus neutrons, e.g. 13 for carbon-13.
    public func mass(ofIsotope massNumber: Int) -> Double? {
        let number = Int(rawAtomicNumber)
        let first = Int(IsotopeTable.firstMassNumbers[number])
        let start = Int(IsotopeTable.offsets[number])
        let end = Int(IsotopeTable.offsets[number + 1])
        guard first > 0, massNumber >= first, massNumber - first < end - start else { return nil }
        return IsotopeTable.masses[start + massNumber - first]
    }

    /// Orders elements by atomic number.
    public static func < (lhs: Element, rhs: Element) -> Bool {
        lhs.rawAtomicNumber < rhs.rawAtomicNumber
    }
}

extension Element {
    /// The wildcard atom `*`.
    public static let wildcard = Element(unchecked: 0)
    /// Hydrogen.
    public static let hydrogen = Element(unchecked: 1)
    /// Boron.
    public static let boron = Element(unchecked: 5)
    /// Carbon.
    public static let carbon = Element(unchecked: 6)
    /// Nitrogen.
    public static let nitrogen = Element(unchecked: 7)
    /// Oxygen.
    public static let oxygen = Element(unchecked: 8)
    /// Fluorine.
    public static let fluorine = Element(unchecked: 9)
    /// Phosphorus.
    public static let phosphorus = Element(unchecked: 15)
    /// Sulfur.
    public static let sulfur = Element(unchecked: 16)
    /// Chlorine.
    public static let chlorine = Element(unchecked: 17)
    /// Bromine.
    public static let bromine = Element(unchecked: 35)
    /// Iodine.
    public static let iodine = Element(unchecked: 53)
}

extension Element: CustomStringConvertible {
    /// The element symbol.
    public var description: String { symbol }
}
