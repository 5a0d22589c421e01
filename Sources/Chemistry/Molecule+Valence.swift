// RDKit's valence model (RDMol::calculateExplicitValence / calculateImplicitValence),
// restated. A charged atom takes the valences of the element it is isoelectronic with
// (N+ like C, O- like F), except that P, S, As and Se keep their own hypervalent states.
extension Molecule {
    /// The explicit valence: bond orders plus bracket hydrogens, aromatic bonds counting 1.5.
    ///
    /// An aromatic atom whose sum exceeds its default valence is rounded down to the nearest
    /// allowed valence within 1.5 (the N of `c1cccn1C` counts 3, not 4). Other half-integer
    /// sums round up (`C1ccccC1`).
    ///
    /// - Parameter countAtomFlag: whether a lowercase atom counts as aromatic; RDKit ignores
    ///   the flag (but not aromatic bonds) when normalising nitro groups.
    func explicitValence(of index: Int, countAtomFlag: Bool = true) -> Int {
        valenceState(of: index, countAtomFlag: countAtomFlag).valence
    }

    /// The explicit valence together with whether RDKit treats the atom as aromatic (written
    /// in lowercase, or on an aromatic bond).
    func valenceState(of index: Int, countAtomFlag: Bool = true) -> (valence: Int, isAromatic: Bool) {
        let atom = atoms[index]
        var twice = 2 * Int(atom.storedBracketHydrogens)
        var hasAromaticBond = false
        let atomIndex = Int32(truncatingIfNeeded: index)
        let pairBase = atoms.count + 1
        for entry in Int(adjacency[index])..<Int(adjacency[index + 1]) {
            let bond = bonds[Int(adjacency[pairBase + 2 * entry + 1])]
            twice += bond.twiceValence(for: atomIndex)
            hasAromaticBond = hasAromaticBond || bond.order == .aromatic
        }
        let aromatic = hasAromaticBond || (countAtomFlag && atom.isAromatic)
        let effective = Molecule.effectiveElement(of: atom)
        let defaultValence = effective.defaultValence
        if aromatic, defaultValence >= 0, twice > 2 * defaultValence {
            var nearest = defaultValence
            for slot in 0..<effective.valenceCount {
                let valence = effective.valence(slot)
                if valence < 0 || 2 * valence > twice { break }
                nearest = valence
            }
            if twice - 2 * nearest <= 3 { twice = 2 * nearest }
        }
        return ((twice + 1) / 2, hasAromaticBond || atom.isAromatic)
    }

    /// Throws when an atom's explicit valence is above every valence its element allows.
    func checkExplicitValence(of index: Int, valence: Int, position: Int32) throws(SMILESError) {
        guard let maximum = exceededMaximum(of: atoms[index], valence: valence) else { return }
        throw SMILESError(
            .invalidValence, at: Int(position),
            "\(Molecule.describe(atoms[index])) at position \(position) has valence \(valence), more than the \(maximum) allowed"
        )
    }

    /// The highest valence the atom may have, when `valence` is above it; otherwise `nil`.
    func exceededMaximum(of atom: Atom, valence: Int) -> Int? {
        let effective = Molecule.effectiveElement(of: atom)
        var maximum = effective.lastValence
        var offset = 0
        if Molecule.canBeHypervalent(atom, effective: effective) {
            maximum = atom.element.lastValence
            offset = -atom.charge
        }
        // RDKit keeps accepting two-coordinate hydride.
        if atom.element == .hydrogen, atom.charge == -1 { maximum = 2 }
        guard maximum >= 0, atom.element.lastValence >= 0, valence + offset > maximum else { return nil }
        return maximum
    }

    /// The hydrogens an organic-subset atom carries implicitly: enough to reach its next
    /// allowed valence (its default valence when aromatic).
    func implicitHydrogens(of index: Int, explicitValence: Int, isAromatic: Bool, position: Int32) throws(SMILESError)
        -> Int
    {
        let atom = atoms[index]
        guard !atom.element.isWildcard else { return 0 }
        var listElement = Molecule.effectiveElement(of: atom)
        let defaultValence = listElement.defaultValence
        guard !listElement.isWildcard, defaultValence >= 0 else { return 0 }
        var valence = explicitValence
        if Molecule.canBeHypervalent(atom, effective: listElement) {
            listElement = atom.element
            valence -= atom.charge
        }
        if isAromatic {
            if valence <= defaultValence { return defaultValence - valence }
            for slot in 0..<listElement.valenceCount where listElement.valence(slot) == valence {
                return 0
            }
            throw SMILESError(
                .invalidValence, at: Int(position),
                "aromatic \(Molecule.describe(atom)) at position \(position) cannot have valence \(valence)")
        }
        if let hydrogens = Molecule.hydrogensToNextValence(valence, of: listElement) { return hydrogens }
        guard listElement.lastValence != -1, atom.element.lastValence > 0 else { return 0 }
        throw SMILESError(
            .invalidValence, at: Int(position),
            "\(Molecule.describe(atom)) at position \(position) has valence \(valence), more than its element allows")
    }

    /// Implicit hydrogens of a non-aromatic atom whose bonds and bracket hydrogens add up to
    /// `explicitValence`; 0 when no allowed valence is high enough.
    func nonAromaticImplicitHydrogens(of atom: Atom, explicitValence: Int) -> Int {
        guard !atom.element.isWildcard else { return 0 }
        var listElement = Molecule.effectiveElement(of: atom)
        guard !listElement.isWildcard, listElement.defaultValence >= 0 else { return 0 }
        var valence = explicitValence
        if Molecule.canBeHypervalent(atom, effective: listElement) {
            listElement = atom.element
            valence -= atom.charge
        }
        return Molecule.hydrogensToNextValence(valence, of: listElement) ?? 0
    }

    /// How far `valence` is below the lowest allowed valence that is at least as high.
    static func hydrogensToNextValence(_ valence: Int, of element: Element) -> Int? {
        for slot in 0..<element.valenceCount {
            let allowed = element.valence(slot)
            if allowed < 0 { break }
            if valence <= allowed { return allowed - valence }
        }
        return nil
    }

    /// The element whose valences a charged atom follows: the one with the same electron count.
    static func effectiveElement(of atom: Atom) -> Element {
        guard atom.element.hasSpecifiedValences else { return atom.element }
        let number = min(max(atom.atomicNumber - atom.charge, 0), ElementTable.maximumAtomicNumber)
        return Element(unchecked: UInt8(number))
    }

    /// Negatively charged P, S, As and Se keep their own (hypervalent) valence list.
    static func canBeHypervalent(_ atom: Atom, effective: Element) -> Bool {
        let number = atom.element.rawAtomicNumber
        let effectiveNumber = effective.rawAtomicNumber
        return (effectiveNumber > 16 && (number == 15 || number == 16))
            || (effectiveNumber > 34 && (number == 33 || number == 34))
    }

    static func describe(_ atom: Atom) -> String {
        let charge = atom.charge
        let sign =
            charge == 0 ? "" : charge > 0 ? (charge == 1 ? "+" : "+\(charge)") : (charge == -1 ? "-" : "\(charge)")
        return atom.element.symbol + sign
    }
}
