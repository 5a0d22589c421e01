// Whole-molecule counts and weights, defined to match RDKit's CalcMolFormula,
// GetNumHeavyAtoms and Descriptors.MolWt with their default arguments.
extension Molecule {
    /// The molecular formula in Hill order, as RDKit's `CalcMolFormula` writes it.
    ///
    /// Carbon comes first, then hydrogen, then the other symbols in ASCII order (`*` sorts
    /// before letters); without carbon, hydrogen still leads. Isotopes count as their element
    /// (`[13CH4]` is `CH4`). A net charge is appended as `+`, `-`, `+2`, `-3`, ….
    public var formula: String {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: ElementTable.maximumAtomicNumber + 1) { counts in
            counts.initialize(repeating: 0)
            var charge = 0
            for atom in atoms {
                counts[Int(atom.element.rawAtomicNumber)] += 1
                counts[1] += atom.hydrogenCount
                charge += atom.charge
            }
            var text = ""
            for number in Molecule.hillOrder where counts[Int(number)] > 0 {
                text += ElementTable.symbols[Int(number)]
                let count = counts[Int(number)]
                if count > 1 { text += String(count) }
            }
            if charge > 0 {
                text += charge == 1 ? "+" : "+\(charge)"
            } else if charge < 0 {
                text += charge == -1 ? "-" : "-\(-charge)"
            }
            return text
        }
    }

    /// The number of atoms heavier than hydrogen; wildcards do not count.
    public var heavyAtomCount: Int {
        var count = 0
        for atom in atoms where atom.element.rawAtomicNumber > 1 { count += 1 }
        return count
    }

    /// The average molecular weight in g/mol, as RDKit's `Descriptors.MolWt` computes it.
    ///
    /// Each atom contributes its ``Atom/mass`` (standard atomic weight, or the exact isotope
    /// mass when an isotope is written) plus its attached hydrogens at hydrogen's standard weight.
    public var averageMolecularWeight: Double {
        let hydrogenMass = Element.hydrogen.averageMass
        var total = 0.0
        for atom in atoms {
            total += atom.mass
            total += Double(atom.hydrogenCount) * hydrogenMass
        }
        return total
    }

    /// The sum of the formal charges.
    public var netCharge: Int {
        atoms.reduce(0) { $0 + $1.charge }
    }

    // Carbon, hydrogen, then every other symbol (and the wildcard) in byte order.
    private static let hillOrder: [UInt8] = {
        let others = (0...UInt8(ElementTable.maximumAtomicNumber))
            .filter { $0 != 1 && $0 != 6 }
            .sorted {
                Array(ElementTable.symbols[Int($0)].utf8).lexicographicallyPrecedes(ElementTable.symbols[Int($1)].utf8)
            }
        return [6, 1] + others
    }()
}
