// Writes SMILES from canonical ranks. Fragments come in rank order, each starting at its
// lowest-ranked atom (one of fewest neighbours, as degree leads the invariants). A
// depth-first walk visits neighbours in rank order; an atom's largest branch continues the
// chain and the others go in parentheses, in rank order. Ring bonds take the smallest free
// number, their bond symbol written at the opening number. Stereo is restated for the order
// written: `@`/`@@` from the written neighbour order, `/` and `\` on one single bond per
// double-bond atom. The walk and the writing use explicit stacks, so long chains cost no
// recursion.
struct SMILESWriter {
    let perceived: PerceivedMolecule
    let molecule: Molecule
    private let ranks: [Int32]
    private let atomCount: Int

    // The walk: position in the string, the bond to the parent, children as linked lists.
    private var visitPosition: [Int32]
    private var parentBond: [Int32]
    private var firstChild: [Int32]
    private var lastChild: [Int32]
    private var nextSibling: [Int32]
    private var fragmentStarts: [Int32] = []
    // Ring bonds: (opener, closer, bond); per atom, where its openings and closings start.
    private var closures: [(opener: Int32, closer: Int32, bond: Int32)] = []
    private var openingsByAtom: [Int32] = []
    private var closingsByAtom: [Int32] = []
    private var openingsStart: [Int32] = []
    private var closingsStart: [Int32] = []
    // Which atoms are written in lowercase.
    private(set) var lowercase: [Bool]
    // For each bond, the `/` (+1) or `\` (-1) written on it, read from the atom written first.
    private var marks: [Int8]
    // For each atom, the index of its kept centre, or -1.
    private(set) var centreIndex: [Int32]
    let centres: [StereoElements.Centre]

    init(_ perceived: PerceivedMolecule, labeling: CanonicalLabeling) {
        self.perceived = perceived
        molecule = perceived.molecule
        ranks = labeling.ranks
        atomCount = molecule.atoms.count
        visitPosition = [Int32](repeating: -1, count: atomCount)
        parentBond = [Int32](repeating: -1, count: atomCount)
        firstChild = [Int32](repeating: -1, count: atomCount)
        lastChild = [Int32](repeating: -1, count: atomCount)
        nextSibling = [Int32](repeating: -1, count: atomCount)
        lowercase = [Bool](repeating: false, count: atomCount)
        marks = [Int8](repeating: 0, count: molecule.bonds.count)
        centreIndex = [Int32](repeating: -1, count: atomCount)
        centres = labeling.centres
        for (index, centre) in centres.enumerated() { centreIndex[Int(centre.atom)] = Int32(index) }
        for index in 0..<atomCount where perceived.isAromaticAtom[index] {
            lowercase[index] = SMILESWriter.hasLowercaseSymbol(molecule.atoms[index].element)
        }
        walk()
        indexClosures()
        assignMarks(labeling.doubleBonds)
    }

    // MARK: - The walk

    // Builds the depth-first spanning forest and finds the ring bonds.
    private mutating func walk() {
        // Neighbours of every atom sorted by rank, in one buffer.
        var start = [Int32](repeating: 0, count: atomCount + 1)
        var sorted: [(atom: Int32, bond: Int32)] = []
        sorted.reserveCapacity(2 * molecule.bonds.count)
        for atom in 0..<atomCount {
            let first = sorted.count
            for neighbor in molecule.neighbors(of: atom) {
                sorted.append((Int32(neighbor.atom), Int32(neighbor.bond)))
                // Insertion sort: neighbour lists are short.
                var slot = sorted.count - 1
                while slot > first, ranks[Int(sorted[slot - 1].atom)] > ranks[Int(sorted[slot].atom)] {
                    sorted.swapAt(slot - 1, slot)
                    slot -= 1
                }
            }
            start[atom + 1] = Int32(sorted.count)
        }
        var byRank = [Int32](repeating: 0, count: atomCount)
        for atom in 0..<atomCount { byRank[Int(ranks[atom])] = Int32(atom) }
        var counter: Int32 = 0
        var stack: [(atom: Int32, cursor: Int32)] = []
        for root in byRank where visitPosition[Int(root)] < 0 {
            fragmentStarts.append(root)
            visitPosition[Int(root)] = counter
            counter += 1
            stack.append((root, start[Int(root)]))
            while let top = stack.last {
                let atom = Int(top.atom)
                guard top.cursor < start[atom + 1] else {
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].cursor += 1
                let (neighbor, bond) = sorted[Int(top.cursor)]
                if bond == parentBond[atom] { continue }
                if visitPosition[Int(neighbor)] < 0 {
                    visitPosition[Int(neighbor)] = counter
                    counter += 1
                    parentBond[Int(neighbor)] = bond
                    if lastChild[atom] < 0 {
                        firstChild[atom] = neighbor
                    } else {
                        nextSibling[Int(lastChild[atom])] = neighbor
                    }
                    lastChild[atom] = neighbor
                    stack.append((neighbor, start[Int(neighbor)]))
                } else if visitPosition[Int(neighbor)] < visitPosition[atom] {
                    closures.append((neighbor, Int32(atom), bond))
                }
            }
        }
        continueWithLargestBranch()
        renumberInWrittenOrder()
    }

    // Writes each atom's largest branch last, as the continuing chain, so that long chains do
    // not nest ever deeper in parentheses. Ring bonds join an atom to an ancestor, so the
    // order of siblings changes no ring bond's opening atom.
    private mutating func continueWithLargestBranch() {
        var preorder = [Int32](repeating: 0, count: atomCount)
        for atom in 0..<atomCount { preorder[Int(visitPosition[atom])] = Int32(atom) }
        var size = [Int32](repeating: 1, count: atomCount)
        for atom in preorder.reversed() where parentBond[Int(atom)] >= 0 {
            let parent = molecule.bonds[Int(parentBond[Int(atom)])].otherAtom(from: Int(atom))
            size[parent] += size[Int(atom)]
        }
        for atom in 0..<atomCount where firstChild[atom] != lastChild[atom] {
            var largest = firstChild[atom]
            var previousOfLargest: Int32 = -1
            var previous: Int32 = -1
            var child = firstChild[atom]
            while child >= 0 {
                if size[Int(child)] >= size[Int(largest)] {
                    largest = child
                    previousOfLargest = previous
                }
                previous = child
                child = nextSibling[Int(child)]
            }
            guard largest != lastChild[atom] else { continue }
            if previousOfLargest < 0 {
                firstChild[atom] = nextSibling[Int(largest)]
            } else {
                nextSibling[Int(previousOfLargest)] = nextSibling[Int(largest)]
            }
            nextSibling[Int(lastChild[atom])] = largest
            nextSibling[Int(largest)] = -1
            lastChild[atom] = largest
        }
    }

    // Makes `visitPosition` the order atoms are written in, now that branches are reordered.
    private mutating func renumberInWrittenOrder() {
        var counter: Int32 = 0
        var stack: [Int32] = []
        var children: [Int32] = []
        for root in fragmentStarts {
            stack.append(root)
            while let atom = stack.popLast() {
                visitPosition[Int(atom)] = counter
                counter += 1
                children.removeAll(keepingCapacity: true)
                var child = firstChild[Int(atom)]
                while child >= 0 {
                    children.append(child)
                    child = nextSibling[Int(child)]
                }
                stack.append(contentsOf: children.reversed())
            }
        }
    }

    // Groups ring openings by atom, each atom's in the order their closing atoms are written,
    // and closings likewise by the position of their opening atoms.
    private mutating func indexClosures() {
        guard !closures.isEmpty else { return }
        let position = visitPosition
        var openings = Array(closures.indices)
        openings.sort { left, right in
            let (a, b) = (closures[left], closures[right])
            if a.opener != b.opener { return a.opener < b.opener }
            return position[Int(a.closer)] < position[Int(b.closer)]
        }
        var closings = Array(closures.indices)
        closings.sort { left, right in
            let (a, b) = (closures[left], closures[right])
            if a.closer != b.closer { return a.closer < b.closer }
            return position[Int(a.opener)] < position[Int(b.opener)]
        }
        openingsByAtom = openings.map(Int32.init)
        closingsByAtom = closings.map(Int32.init)
        openingsStart = SMILESWriter.runStarts(openingsByAtom, atomCount: atomCount) { closures[Int($0)].opener }
        closingsStart = SMILESWriter.runStarts(closingsByAtom, atomCount: atomCount) { closures[Int($0)].closer }
    }

    // Where each atom's run starts in a list grouped by atom (entry atomCount ends the last).
    private static func runStarts(_ list: [Int32], atomCount: Int, atom: (Int32) -> Int32) -> [Int32] {
        var counts = [Int32](repeating: 0, count: atomCount + 1)
        for entry in list { counts[Int(atom(entry)) + 1] += 1 }
        for index in 0..<atomCount { counts[index + 1] += counts[index] }
        return counts
    }

    private func openings(of atom: Int) -> ArraySlice<Int32> {
        guard !openingsStart.isEmpty else { return [] }
        return openingsByAtom[Int(openingsStart[atom])..<Int(openingsStart[atom + 1])]
    }

    private func closings(of atom: Int) -> ArraySlice<Int32> {
        guard !closingsStart.isEmpty else { return [] }
        return closingsByAtom[Int(closingsStart[atom])..<Int(closingsStart[atom + 1])]
    }

    // The atom a bond is read from: the parent of a tree bond, the opener of a ring bond.
    private func writtenFirst(_ bond: Int) -> Int {
        let begin = molecule.bonds[bond].begin
        let end = molecule.bonds[bond].end
        return visitPosition[begin] < visitPosition[end] ? begin : end
    }

    // MARK: - Double-bond marks

    private mutating func assignMarks(_ doubleBonds: [StereoElements.DoubleBond]) {
        guard !doubleBonds.isEmpty else { return }
        // Atoms of double bonds that keep no stereo: a mark next to one could give it some.
        var plainDoubleBondAtom = [Bool](repeating: false, count: atomCount)
        var stereoBondOf = [Int32](repeating: -1, count: atomCount)
        for bond in doubleBonds {
            stereoBondOf[Int(bond.first)] = bond.bond
            stereoBondOf[Int(bond.second)] = bond.bond
        }
        for (index, bond) in molecule.bonds.enumerated()
        where perceived.bondOrders[index] == .double && stereoBondOf[bond.begin] != Int32(index) {
            plainDoubleBondAtom[bond.begin] = true
            plainDoubleBondAtom[bond.end] = true
        }
        let ordered = doubleBonds.sorted { left, right in
            let a = min(visitPosition[Int(left.first)], visitPosition[Int(left.second)])
            let b = min(visitPosition[Int(right.first)], visitPosition[Int(right.second)])
            return a < b
        }
        for stereo in ordered {
            let swap = visitPosition[Int(stereo.second)] < visitPosition[Int(stereo.first)]
            let first = Int(swap ? stereo.second : stereo.first)
            let second = Int(swap ? stereo.first : stereo.second)
            let firstReference = Int(swap ? stereo.secondNeighbor : stereo.firstNeighbor)
            let secondReference = Int(swap ? stereo.firstNeighbor : stereo.secondNeighbor)
            forceMarks(around: first, across: Int(stereo.bond), stereoBondOf: stereoBondOf)
            forceMarks(around: second, across: Int(stereo.bond), stereoBondOf: stereoBondOf)
            guard
                let (firstNeighbor, firstBond) = markableNeighbor(
                    of: first, across: Int(stereo.bond), plain: plainDoubleBondAtom),
                let (secondNeighbor, secondBond) = markableNeighbor(
                    of: second, across: Int(stereo.bond), plain: plainDoubleBondAtom)
            else { continue }
            let trans = (stereo.isTrans != (firstNeighbor != firstReference)) != (secondNeighbor != secondReference)
            var firstSide = marks[firstBond] == 0 ? 0 : side(of: firstBond, from: first)
            var secondSide = marks[secondBond] == 0 ? 0 : side(of: secondBond, from: second)
            if firstSide == 0, secondSide == 0 {
                // A fresh pair starts with `/`.
                firstSide = writtenFirst(firstBond) == first ? 1 : -1
            }
            if firstSide == 0 { firstSide = trans ? -secondSide : secondSide }
            if secondSide == 0 { secondSide = trans ? -firstSide : firstSide }
            if marks[firstBond] == 0 { setMark(firstBond, side: firstSide, from: first) }
            if marks[secondBond] == 0 { setMark(secondBond, side: secondSide, from: second) }
        }
    }

    // In conjugated systems a bond can sit next to two stereo double bonds. Once one of them
    // has marked its other neighbour, the side of this bond is fixed for it: the two
    // substituents of an atom lie on opposite sides. Writing that mark first keeps the other
    // double bond from choosing a contradicting one.
    private mutating func forceMarks(around atom: Int, across doubleBond: Int, stereoBondOf: [Int32]) {
        for neighbor in molecule.neighbors(of: atom) where neighbor.bond != doubleBond && marks[neighbor.bond] == 0 {
            let other = neighbor.atom
            let otherDoubleBond = Int(stereoBondOf[other])
            guard otherDoubleBond >= 0, otherDoubleBond != doubleBond else { continue }
            for next in molecule.neighbors(of: other)
            where next.bond != neighbor.bond && next.bond != otherDoubleBond && marks[next.bond] != 0 {
                setMark(neighbor.bond, side: -side(of: next.bond, from: other), from: other)
                break
            }
        }
    }

    // +1 when the neighbour across `bond` lies above `atom`, as the bond's mark says.
    private func side(of bond: Int, from atom: Int) -> Int {
        let mark = Int(marks[bond])
        return writtenFirst(bond) == atom ? mark : -mark
    }

    private mutating func setMark(_ bond: Int, side: Int, from atom: Int) {
        marks[bond] = Int8(writtenFirst(bond) == atom ? side : -side)
    }

    // The bond of a double-bond atom to carry its mark: one already marked, else the best of
    // the others, a tree bond before a ring bond, a single bond before an aromatic one, away
    // from other double bonds; the earliest written neighbour breaks ties. A single bond
    // between two lowercase atoms cannot carry a mark, as `c/c` reads as aromatic; an
    // aromatic bond can only between two lowercase atoms, as `:` leaves no room for it.
    private func markableNeighbor(of atom: Int, across doubleBond: Int, plain: [Bool]) -> (Int, Int)? {
        var best: (neighbor: Int, bond: Int, score: Int)?
        for neighbor in molecule.neighbors(of: atom) where neighbor.bond != doubleBond {
            let bothLowercase = lowercase[atom] && lowercase[neighbor.atom]
            let isAromatic: Bool
            switch writtenOrder(neighbor.bond) {
            case .single where !bothLowercase: isAromatic = false
            case .aromatic where bothLowercase: isAromatic = true
            default: continue
            }
            let isTreeBond = parentBond[atom] == neighbor.bond || parentBond[neighbor.atom] == neighbor.bond
            var score = 0
            if marks[neighbor.bond] == 0 {
                score = 1 + (isTreeBond ? 0 : 4) + (isAromatic ? 2 : 0) + (plain[neighbor.atom] ? 1 : 0)
            }
            if let current = best {
                let earlier = visitPosition[neighbor.atom] < visitPosition[current.neighbor]
                if score > current.score || (score == current.score && !earlier) { continue }
            }
            best = (neighbor.atom, neighbor.bond, score)
        }
        return best.map { ($0.neighbor, $0.bond) }
    }

    // MARK: - Writing

    /// The order a bond is written with: the perceived one, except that a triple bond in an
    /// aromatic ring (benzyne) stays triple, as RDKit keeps it.
    func writtenOrder(_ bond: Int) -> Bond.Order {
        let order = perceived.bondOrders[bond]
        guard order == .aromatic else { return order }
        let written = molecule.bonds[bond].order
        return written == .triple || written == .quadruple ? written : order
    }

    /// The SMILES: fragments in rank order, joined by `.`.
    func write() -> String {
        String(decoding: writeBytes(), as: UTF8.self)
    }

    /// The SMILES as UTF-8 bytes.
    func writeBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(atomCount * 3)
        var digits = RingDigits()
        var digitOfClosure = [Int32](repeating: 0, count: closures.count)
        // Stack entries: an atom (written as a branch when `branch`), or a closing parenthesis.
        var stack: [(atom: Int32, branch: Bool)] = []
        var released: [Int32] = []
        var written: [Int32] = []
        for (index, root) in fragmentStarts.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ".")) }
            stack.append((root, false))
            while let (entry, branch) = stack.popLast() {
                guard entry >= 0 else {
                    output.append(UInt8(ascii: ")"))
                    continue
                }
                let atom = Int(entry)
                if branch { output.append(UInt8(ascii: "(")) }
                if parentBond[atom] >= 0 { appendBond(Int(parentBond[atom]), to: &output) }
                // The neighbours in written order, for `@`/`@@`.
                written.removeAll(keepingCapacity: true)
                let parent = parentBond[atom] >= 0 ? molecule.bonds[Int(parentBond[atom])].otherAtom(from: atom) : -1
                if parent >= 0 { written.append(Int32(parent)) }
                for closure in closings(of: atom) { written.append(closures[Int(closure)].opener) }
                for closure in openings(of: atom) { written.append(closures[Int(closure)].closer) }
                var child = firstChild[atom]
                while child >= 0 {
                    written.append(child)
                    child = nextSibling[Int(child)]
                }
                let ringBonds = closings(of: atom).count + openings(of: atom).count
                appendAtom(atom, writtenNeighbors: written, hasParent: parent >= 0, ringBonds: ringBonds, to: &output)
                // Ring numbers: closings first, then openings; numbers closed here are reused
                // only from the next atom on.
                released.removeAll(keepingCapacity: true)
                for closure in closings(of: atom) {
                    let digit = digitOfClosure[Int(closure)]
                    RingDigits.append(digit, to: &output)
                    released.append(digit)
                }
                for closure in openings(of: atom) {
                    let digit = digits.take()
                    digitOfClosure[Int(closure)] = digit
                    appendBond(Int(closures[Int(closure)].bond), to: &output)
                    RingDigits.append(digit, to: &output)
                }
                for digit in released { digits.release(digit) }
                // Children: all but the last in parentheses, pushed in reverse.
                let last = lastChild[atom]
                guard last >= 0 else { continue }
                stack.append((last, false))
                var branches: [Int32] = []
                child = firstChild[atom]
                while child >= 0, child != last {
                    branches.append(child)
                    child = nextSibling[Int(child)]
                }
                for branchAtom in branches.reversed() {
                    stack.append((-1, false))
                    stack.append((branchAtom, true))
                }
            }
        }
        return output
    }

    // The bond symbol, read from the atom written first.
    private func appendBond(_ bond: Int, to output: inout [UInt8]) {
        let stored = molecule.bonds[bond]
        let bothLowercase = lowercase[stored.begin] && lowercase[stored.end]
        switch writtenOrder(bond) {
        case .single:
            if marks[bond] != 0 {
                output.append(marks[bond] > 0 ? UInt8(ascii: "/") : UInt8(ascii: "\\"))
            } else if bothLowercase {
                output.append(UInt8(ascii: "-"))
            }
        case .double: output.append(UInt8(ascii: "="))
        case .triple: output.append(UInt8(ascii: "#"))
        case .quadruple: output.append(UInt8(ascii: "$"))
        case .aromatic:
            if marks[bond] != 0 {
                output.append(marks[bond] > 0 ? UInt8(ascii: "/") : UInt8(ascii: "\\"))
            } else if !bothLowercase {
                output.append(UInt8(ascii: ":"))
            }
        case .dative:
            if writtenFirst(bond) == stored.begin {
                output.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: ">")])
            } else {
                output.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "-")])
            }
        }
    }
}

/// Ring-closure numbers in use; the smallest free one is taken.
private struct RingDigits {
    private var inUse: [Bool] = [false]

    mutating func take() -> Int32 {
        for digit in 1..<inUse.count where !inUse[digit] {
            inUse[digit] = true
            return Int32(digit)
        }
        inUse.append(true)
        return Int32(inUse.count - 1)
    }

    mutating func release(_ digit: Int32) {
        inUse[Int(digit)] = false
    }

    /// `1`–`9`, `%10`–`%99`, then `%(100)` and up.
    static func append(_ digit: Int32, to output: inout [UInt8]) {
        if digit < 10 {
            output.append(UInt8(ascii: "0") + UInt8(digit))
        } else if digit < 100 {
            output.append(UInt8(ascii: "%"))
            output.append(contentsOf: String(digit).utf8)
        } else {
            output.append(contentsOf: "%(\(digit))".utf8)
        }
    }
}
