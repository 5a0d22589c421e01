// Whole-molecule descriptors defined to match RDKit's, with default arguments:
// Chem.GetFormalCharge, Descriptors.ExactMolWt, rdMolDescriptors.CalcFractionCSP3 and
// Descriptors.NumHDonors (through the SMARTS definition of PerceivedMolecule).
extension Molecule {
    /// The sum of the formal charges, as RDKit's `Chem.GetFormalCharge` reports it.
    public var formalCharge: Int { netCharge }

    /// The monoisotopic molecular weight in daltons, as RDKit's `Descriptors.ExactMolWt`
    /// computes it.
    ///
    /// Each atom counts its most common isotope, or the isotope written in brackets (with
    /// ``Atom/mass``'s fallbacks); attached hydrogens count as hydrogen-1. Like RDKit, the
    /// weight of a charged molecule is corrected by one electron mass per unit of charge.
    public var exactMolecularWeight: Double {
        let hydrogenMass = Element.hydrogen.mostCommonIsotopeMass
        var total = 0.0
        for atom in atoms {
            total += atom.isotope == 0 ? atom.element.mostCommonIsotopeMass : atom.mass
            total += Double(atom.hydrogenCount) * hydrogenMass
        }
        return total - Double(formalCharge) * Molecule.electronMass
    }

    // The electron rest mass in daltons (CODATA 2018: 5.48579909065e-4 u), which RDKit's
    // ExactMolWt subtracts once per positive charge and adds once per negative charge.
    private static let electronMass = 5.485_799_090_65e-4

    /// The fraction of carbon atoms that are sp3, as RDKit's `rdMolDescriptors.CalcFractionCSP3`
    /// computes it; 0 without carbon.
    ///
    /// RDKit counts a carbon as sp3 when it has four neighbours, hydrogens included, whatever
    /// its hybridisation: radicals such as `[CH3]` and anions such as `[CH3-]` do not count.
    public var fractionCSP3: Double {
        var carbons = 0
        var saturated = 0
        for index in atoms.indices where atoms[index].element == .carbon {
            carbons += 1
            if degree(of: index) + atoms[index].hydrogenCount == 4 { saturated += 1 }
        }
        return carbons == 0 ? 0 : Double(saturated) / Double(carbons)
    }

    /// The number of hydrogen-bond donors, as RDKit's `Descriptors.NumHDonors` counts them;
    /// the same as ``PerceivedMolecule/numHDonors``, which this perceives the molecule for.
    public var numHDonors: Int { PerceivedMolecule(self).numHDonors }

    // SMARTS `H`: all hydrogens on the atom, hydrogen atoms of the graph included.
    func totalHydrogenCount(of index: Int) -> Int {
        var count = atoms[index].hydrogenCount
        for neighbor in neighbors(of: index) where atoms[neighbor.atom].element == .hydrogen { count += 1 }
        return count
    }

    // SMARTS `v`: explicit valence (bonds, hydrogen atoms included) plus implicit hydrogens.
    func totalValence(of index: Int) -> Int {
        Int(atoms[index].storedValence) + atoms[index].implicitHydrogenCount
    }
}
