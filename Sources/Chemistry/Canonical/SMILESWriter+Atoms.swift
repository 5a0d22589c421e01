// Atom symbols. An atom is written bare (`C`, `c`, `Cl`, `*`) when nothing but its hydrogen
// count would go in brackets and the reader would give it exactly its hydrogens; otherwise
// in brackets with everything that differs from the defaults: `[13CH3+:2]`, `[nH]`, `[C@@H]`.
extension SMILESWriter {
    /// Whether an aromatic atom of this element can be written in lowercase (`c`, `[se]`).
    static func hasLowercaseSymbol(_ element: Element) -> Bool {
        switch element.rawAtomicNumber {
        case 5, 6, 7, 8, 14, 15, 16, 33, 34, 52: true
        default: false
        }
    }

    /// Appends one atom; `writtenNeighbors` are its neighbours in the order the string gives
    /// them, which `@` and `@@` refer to.
    func appendAtom(
        _ atom: Int, writtenNeighbors: [Int32], hasParent: Bool, ringBonds: Int, to output: inout [UInt8]
    ) {
        let stored = molecule.atoms[atom]
        let isLowercase = lowercase[atom]
        var clockwise: Bool?
        if centreIndex[atom] >= 0 {
            let isSaturated = molecule.neighbors(of: atom).allSatisfy { neighbor in
                switch writtenOrder(neighbor.bond) {
                case .single, .dative: true
                default: false
                }
            }
            let inverted = StereoElements.isInvertedByRDKit(
                degree: writtenNeighbors.count, hydrogens: stored.hydrogenCount, ringBonds: ringBonds,
                isSaturated: isSaturated)
            let handedness = handedness(
                of: centres[Int(centreIndex[atom])], writtenNeighbors: writtenNeighbors, hasParent: hasParent,
                hydrogens: stored.hydrogenCount)
            clockwise = handedness != inverted
        }
        let hydrogens = stored.hydrogenCount
        if clockwise == nil, stored.isotope == 0, stored.charge == 0, stored.atomClass == 0,
            SMILESWriter.hasBareSymbol(stored.element, lowercase: isLowercase),
            bareHydrogens(atom, isLowercase: isLowercase) == hydrogens
        {
            appendSymbol(stored.element, lowercase: isLowercase, to: &output)
            return
        }
        output.append(UInt8(ascii: "["))
        if stored.isotope > 0 { output.append(contentsOf: String(stored.isotope).utf8) }
        appendSymbol(stored.element, lowercase: isLowercase, to: &output)
        if let clockwise {
            output.append(UInt8(ascii: "@"))
            if clockwise { output.append(UInt8(ascii: "@")) }
        }
        if hydrogens > 0 {
            output.append(UInt8(ascii: "H"))
            if hydrogens > 1 { output.append(contentsOf: String(hydrogens).utf8) }
        }
        let charge = stored.charge
        if charge != 0 {
            output.append(charge > 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            if abs(charge) > 1 { output.append(contentsOf: String(abs(charge)).utf8) }
        }
        if stored.atomClass > 0 {
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: String(stored.atomClass).utf8)
        }
        output.append(UInt8(ascii: "]"))
    }

    private func appendSymbol(_ element: Element, lowercase: Bool, to output: inout [UInt8]) {
        let symbol = element.symbol.utf8
        guard lowercase, let first = symbol.first else {
            output.append(contentsOf: symbol)
            return
        }
        output.append(first | 0x20)
        output.append(contentsOf: symbol.dropFirst())
    }

    // The organic subset, and the wildcard.
    private static func hasBareSymbol(_ element: Element, lowercase: Bool) -> Bool {
        switch element.rawAtomicNumber {
        case 0, 5, 6, 7, 8, 15, 16: true
        case 9, 17, 35, 53: !lowercase
        default: false
        }
    }

    // The hydrogens the reader gives a bare atom with these bonds (Molecule.valenceState and
    // implicitHydrogens for an uncharged atom); `nil` when it would reject it.
    private func bareHydrogens(_ atom: Int, isLowercase: Bool) -> Int? {
        let element = molecule.atoms[atom].element
        guard !element.isWildcard else { return 0 }
        let defaultValence = element.defaultValence
        guard defaultValence >= 0 else { return 0 }
        var twice = 0
        var hasAromaticBond = false
        for neighbor in molecule.neighbors(of: atom) {
            switch writtenOrder(neighbor.bond) {
            case .single: twice += 2
            case .double: twice += 4
            case .triple: twice += 6
            case .quadruple: twice += 8
            case .aromatic:
                twice += 3
                hasAromaticBond = true
            case .dative: twice += molecule.bonds[neighbor.bond].end == atom ? 2 : 0
            }
        }
        let aromatic = hasAromaticBond || isLowercase
        if aromatic, twice > 2 * defaultValence {
            var nearest = defaultValence
            for slot in 0..<element.valenceCount {
                let valence = element.valence(slot)
                if valence < 0 || 2 * valence > twice { break }
                nearest = valence
            }
            if twice - 2 * nearest <= 3 { twice = 2 * nearest }
        }
        let valence = (twice + 1) / 2
        if aromatic {
            if valence <= defaultValence { return defaultValence - valence }
            for slot in 0..<element.valenceCount where element.valence(slot) == valence { return 0 }
            return nil
        }
        return Molecule.hydrogensToNextValence(valence, of: element)
    }

    // Whether the centre is `@@` for the written order: its reference order permuted into the
    // written one, an odd permutation flipping the handedness.
    private func handedness(
        of centre: StereoElements.Centre, writtenNeighbors: [Int32], hasParent: Bool, hydrogens: Int
    ) -> Bool {
        var written = SIMD4<Int32>(repeating: -1)
        var slot = 0
        for (position, neighbor) in writtenNeighbors.enumerated() where slot < 4 {
            // As the reader: a hydrogen after the preceding atom (or first), a lone pair last.
            if hydrogens == 1, position == (hasParent ? 1 : 0) { slot += 1 }
            if slot < 4 { written[slot] = neighbor }
            slot += 1
        }
        var targets = SIMD4<Int32>(repeating: 0)
        for index in 0..<4 {
            for other in 0..<4 where written[other] == centre.neighbors[index] { targets[index] = Int32(other) }
        }
        var odd = false
        for first in 0..<4 {
            for second in (first + 1)..<4 where targets[first] > targets[second] { odd.toggle() }
        }
        return centre.isClockwise != odd
    }
}
