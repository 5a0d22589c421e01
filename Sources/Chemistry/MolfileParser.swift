/// Why a molfile block (one record of an SD file) could not be read.
public struct MolfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line within the record where the problem was found; 0 when it concerns the
    /// record as a whole.
    public let line: Int
    /// A sentence naming the problem.
    public let description: String

    init(line: Int, _ message: String) {
        self.line = line
        description = line > 0 ? "line \(line): \(message)" : message
    }
}

/// Reads MDL molfile connection tables (V2000, and V3000 atom and bond blocks) into
/// ``Molecule`` values, as RDKit's `MolFromMolBlock` does with its defaults: charges,
/// isotopes and radicals from the atom block or from `M  CHG`/`M  ISO`/`M  RAD` lines (which
/// replace the atom block's values), aromatic bonds (type 4) kekulised, implicit hydrogens
/// added by the same valence rules as SMILES, and plain hydrogen atoms folded into their
/// neighbours' hydrogen counts.
///
/// Coordinates are not used, so stereochemistry drawn with wedges is not read; query bond
/// types (5–8) and query atoms (`L`, `A`, `Q`, lists) are rejected.
public struct MolfileParser: Sendable {
    /// Most atoms accepted in one record.
    public let maximumAtoms: Int

    /// Creates a parser.
    public init(maximumAtoms: Int = 10_000) {
        self.maximumAtoms = maximumAtoms
    }

    /// Parses the lines of one record, from its title line up to (not including) `M  END`'s
    /// successors; data items after `M  END` are ignored.
    ///
    /// - Throws: ``MolfileError`` naming the line and the problem.
    public func parse(lines: [Substring]) throws(MolfileError) -> Molecule {
        guard lines.count >= 4 else { throw MolfileError(line: 0, "a molfile needs at least a header and a counts line") }
        let counts = lines[3]
        if counts.contains("V3000") { return try parseV3000(lines: lines) }
        let atomCount = try integer(counts, 0, 3, line: 4, what: "atom count")
        let bondCount = try integer(counts, 3, 6, line: 4, what: "bond count")
        guard atomCount <= maximumAtoms else {
            throw MolfileError(line: 4, "\(atomCount) atoms is more than the limit of \(maximumAtoms)")
        }
        guard lines.count >= 4 + atomCount + bondCount else {
            throw MolfileError(line: lines.count, "the record ends before its \(atomCount) atoms and \(bondCount) bonds")
        }
        var builder = MoleculeBuilder()
        for index in 0..<atomCount {
            let line = lines[4 + index]
            let number = 5 + index
            let symbol = field(line, 31, 34).trimmingCharacters(in: " ")
            let code = try integer(line, 36, 39, line: number, what: "charge code", required: false)
            var charge = 0
            var radical = false
            switch code {
            case 0: break
            case 1...3: charge = 4 - code
            case 4: radical = true
            case 5...7: charge = 4 - code
            default: throw MolfileError(line: number, "charge code \(code) is not 0 to 7")
            }
            let massDifference = try integer(line, 34, 36, line: number, what: "mass difference", required: false)
            let valence = try integer(line, 48, 51, line: number, what: "valence", required: false)
            try builder.addAtom(
                symbol: String(symbol), charge: charge, massDifference: massDifference, radical: radical, valence: valence,
                line: number)
        }
        for index in 0..<bondCount {
            let line = lines[4 + atomCount + index]
            let number = 5 + atomCount + index
            let first = try integer(line, 0, 3, line: number, what: "first atom")
            let second = try integer(line, 3, 6, line: number, what: "second atom")
            let type = try integer(line, 6, 9, line: number, what: "bond type")
            try builder.addBond(first, second, type: type, line: number)
        }
        for offset in (4 + atomCount + bondCount)..<lines.count {
            let line = lines[offset]
            if line.hasPrefix("M  END") { break }
            guard line.hasPrefix("M  ") else { continue }
            let tag = field(line, 3, 6)
            guard tag == "CHG" || tag == "ISO" || tag == "RAD" else { continue }
            let entries = try integer(line, 6, 9, line: offset + 1, what: "entry count")
            for entry in 0..<entries {
                let start = 9 + 8 * entry
                let atom = try integer(line, start, start + 4, line: offset + 1, what: "atom number")
                let value = try integer(line, start + 4, start + 8, line: offset + 1, what: "value")
                try builder.setProperty(String(tag), atom: atom, value: value, line: offset + 1)
            }
        }
        return try builder.build()
    }

    private func parseV3000(lines: [Substring]) throws(MolfileError) -> Molecule {
        // Join continuation lines (a trailing '-') first.
        var joined: [(text: String, line: Int)] = []
        var pending = ""
        var pendingLine = 0
        for (offset, raw) in lines.enumerated() where raw.hasPrefix("M  V30 ") {
            var text = String(raw.dropFirst(7))
            if pending.isEmpty { pendingLine = offset + 1 }
            if text.hasSuffix("-") {
                text.removeLast()
                pending += text
                continue
            }
            joined.append((pending + text, pendingLine))
            pending = ""
        }
        var builder = MoleculeBuilder()
        var section = ""
        for (text, line) in joined {
            let words = text.split(separator: " ")
            guard let first = words.first else { continue }
            if first == "BEGIN", words.count > 1 {
                section = String(words[1])
                continue
            }
            if first == "END" {
                section = ""
                continue
            }
            switch section {
            case "ATOM":
                guard words.count >= 6 else { throw MolfileError(line: line, "an atom line needs index, type and coordinates") }
                var charge = 0
                var mass = 0
                var radical = false
                var valence = 0
                for word in words.dropFirst(6) {
                    let parts = word.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, let value = Int(parts[1]) else { continue }
                    switch parts[0] {
                    case "CHG": charge = value
                    case "MASS": mass = value
                    case "RAD": radical = value != 0
                    case "VAL": valence = value == -1 ? 15 : value
                    default: break
                    }
                }
                try builder.addAtom(
                    symbol: String(words[1]), charge: charge, massDifference: 0, radical: radical, valence: valence,
                    line: line)
                if mass > 0 { try builder.setProperty("ISO", atom: builder.atomCount, value: mass, line: line) }
            case "BOND":
                guard words.count >= 4, let type = Int(words[1]), let first = Int(words[2]), let second = Int(words[3])
                else { throw MolfileError(line: line, "a bond line needs index, type and two atoms") }
                try builder.addBond(first, second, type: type, line: line)
            default:
                continue
            }
            guard builder.atomCount <= maximumAtoms else {
                throw MolfileError(line: line, "more atoms than the limit of \(maximumAtoms)")
            }
        }
        guard builder.atomCount > 0 || joined.contains(where: { $0.text.hasPrefix("COUNTS 0") }) else {
            throw MolfileError(line: 0, "the V3000 record has no atom block")
        }
        return try builder.build()
    }

    private func field(_ line: Substring, _ start: Int, _ end: Int) -> Substring {
        let bytes = line.utf8
        guard start < bytes.count else { return "" }
        let from = bytes.index(bytes.startIndex, offsetBy: start)
        let to = bytes.index(bytes.startIndex, offsetBy: min(end, bytes.count))
        return Substring(line.utf8[from..<to])
    }

    private func integer(_ line: Substring, _ start: Int, _ end: Int, line number: Int, what: String, required: Bool = true)
        throws(MolfileError) -> Int
    {
        let text = field(line, start, end).trimmingCharacters(in: " ")
        if text.isEmpty, !required { return 0 }
        guard let value = Int(text) else {
            throw MolfileError(line: number, "the \(what) (columns \(start + 1)–\(end)) is '\(text)', not a number")
        }
        return value
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var result = self[...]
        while result.first == set { result = result.dropFirst() }
        while result.last == set { result = result.dropLast() }
        return result
    }
}

/// Collects atoms and bonds from a molfile and turns them into a perceived ``Molecule``.
private struct MoleculeBuilder {
    private var atoms: [Atom] = []
    private var atomLines: [Int32] = []
    private var radicals: [Bool] = []
    private var valences: [Int] = []
    private var massDifferences: [Int] = []
    private var bonds: [Bond] = []
    private var resetKinds: Set<String> = []

    var atomCount: Int { atoms.count }

    mutating func addAtom(symbol: String, charge: Int, massDifference: Int, radical: Bool, valence: Int, line: Int)
        throws(MolfileError)
    {
        let element: Element
        if symbol == "D" || symbol == "T" {
            element = .hydrogen
        } else if let known = Element(symbol: symbol) {
            element = known
        } else if symbol == "R" || symbol == "R#" {
            element = .wildcard
        } else {
            throw MolfileError(line: line, "atom symbol '\(symbol)' is not an element (query atoms are not supported)")
        }
        guard (-15...15).contains(charge) else { throw MolfileError(line: line, "charge \(charge) is out of range") }
        let isotope = symbol == "D" ? 2 : symbol == "T" ? 3 : 0
        atoms.append(Atom(element: element, isotope: UInt16(isotope), charge: Int8(charge), isAromatic: false, isBracketAtom: false))
        atomLines.append(Int32(line))
        radicals.append(radical)
        valences.append(valence)
        massDifferences.append(massDifference)
    }

    mutating func setProperty(_ kind: String, atom: Int, value: Int, line: Int) throws(MolfileError) {
        guard atom >= 1, atom <= atoms.count else {
            throw MolfileError(line: line, "\(kind) names atom \(atom); the record has \(atoms.count)")
        }
        if resetKinds.insert(kind).inserted {
            // RDKit: the first M  CHG (or ISO, RAD) line makes the atom block's values void.
            for index in atoms.indices {
                switch kind {
                case "CHG": atoms[index].storedCharge = 0
                case "RAD": radicals[index] = false
                default: break
                }
            }
        }
        let index = atom - 1
        switch kind {
        case "CHG":
            guard (-15...15).contains(value) else { throw MolfileError(line: line, "charge \(value) is out of range") }
            atoms[index].storedCharge = Int8(value)
        case "ISO":
            guard (0...Int(UInt16.max)).contains(value) else { throw MolfileError(line: line, "isotope \(value) is out of range") }
            atoms[index] = atoms[index].replacingIsotope(UInt16(value))
            massDifferences[index] = 0
        case "RAD":
            radicals[index] = value != 0
        default: break
        }
    }

    mutating func addBond(_ first: Int, _ second: Int, type: Int, line: Int) throws(MolfileError) {
        guard first >= 1, first <= atoms.count, second >= 1, second <= atoms.count, first != second else {
            throw MolfileError(line: line, "the bond joins atoms \(first) and \(second); the record has \(atoms.count) atoms")
        }
        let order: Bond.Order
        switch type {
        case 1: order = .single
        case 2: order = .double
        case 3: order = .triple
        case 4: order = .aromatic
        case 9: order = .dative
        default: throw MolfileError(line: line, "bond type \(type) is a query or unknown type; 1 to 4 and 9 are supported")
        }
        bonds.append(Bond(begin: Int32(first - 1), end: Int32(second - 1), order: order, direction: .none))
    }

    func build() throws(MolfileError) -> Molecule {
        var atoms = self.atoms
        for (index, difference) in massDifferences.enumerated() where difference != 0 && atoms[index].isotope == 0 {
            let common = Int(atoms[index].element.mostCommonIsotopeMass.rounded())
            atoms[index] = atoms[index].replacingIsotope(UInt16(clamping: max(common + difference, 0)))
        }
        // Aromatic bonds make their atoms aromatic, as lowercase atoms in SMILES.
        var aromatic = [Bool](repeating: false, count: atoms.count)
        for bond in bonds where bond.order == .aromatic {
            aromatic[bond.begin] = true
            aromatic[bond.end] = true
        }
        var bondValence = [Int](repeating: 0, count: atoms.count)
        for bond in bonds {
            let order = bond.order == .double ? 2 : bond.order == .triple ? 3 : 1
            bondValence[bond.begin] += order
            bondValence[bond.end] += order
        }
        for index in atoms.indices {
            atoms[index] = atoms[index].fixingHydrogens(
                aromatic: aromatic[index], radical: radicals[index], valence: valences[index],
                bondValence: bondValence[index])
        }
        var molecule = Molecule(atoms: atoms, bonds: bonds)
        do {
            try molecule.checkDuplicateBonds()
            try molecule.perceive(atomPositions: atomLines)
        } catch {
            // Positions in a molfile are the atoms' line numbers.
            throw MolfileError(line: 0, error.description.replacing(" at position ", with: " on line "))
        }
        return molecule.foldingHydrogenAtoms()
    }
}
