// Canonical atom ranks by partition refinement, as in canonical SMILES writers generally:
//
// 1. Atoms are split into classes by invariants that do not depend on numbering (degree,
//    element, isotope, charge, hydrogens, aromaticity, ring bonds, atom class).
// 2. Classes are refined until every atom of a class sees the same number of neighbours of
//    each class over each kind of bond (an equitable partition), Hopcroft style: each class
//    that splits is used once to split others, so the cost stays near E log N.
// 3. Stereo enters as further invariants once it can be stated without numbering: a centre
//    whose neighbours are all in different classes has a handedness relative to the class
//    order, and so has a double bond. Ring centres whose two ring neighbours are symmetric
//    (the carbons of cis- and trans-1,4-dimethylcyclohexane) have no such handedness, but
//    each pair of them on one ring is cis or trans; the counts of both are invariants.
// 4. Remaining ties are broken by singling out one atom of a tied class and refining again
//    (``CanonicalLabeling`` chooses which). Atoms still tied are, short of rare graphs that
//    refinement cannot tell apart, related by a symmetry of the molecule and its stereo, so
//    the choice does not change the string written from the ranks.
//
// A rank is the position of the first atom of its class in `order`, so refining a class
// keeps the order of all others.
struct CanonicalRanking {
    private let atomCount: Int
    private let neighborStart: [Int32]
    private let neighborAtom: [Int32]
    // Counting weight of each neighbour slot: one byte per kind of bond in a 64-bit count
    // (an atom with over 255 bonds of one kind would blur counts, never correctness).
    private let neighborWeight: [UInt64]
    /// The class of each atom: the position in ``order`` where its class starts.
    private(set) var ranks: [Int32]
    /// The atoms, grouped by class in class order.
    private(set) var order: [Int32]
    private var position: [Int32]
    // For the class starting at a position, where it ends.
    private var classEnd: [Int32]
    private var queued: [Bool]
    private var queue: [Int32] = []
    private var counts: [UInt64]
    private var touched: [Int32] = []
    private var members: [Member] = []

    /// Ranks the atoms of a molecule by everything but stereo, which ``split(byKeys:)`` adds.
    init(_ perceived: PerceivedMolecule) {
        let molecule = perceived.molecule
        let count = molecule.atoms.count
        atomCount = count
        var starts = [Int32](repeating: 0, count: count + 1)
        var atoms: [Int32] = []
        var weights: [UInt64] = []
        atoms.reserveCapacity(2 * molecule.bonds.count)
        weights.reserveCapacity(2 * molecule.bonds.count)
        for index in 0..<count {
            for neighbor in molecule.neighbors(of: index) {
                atoms.append(Int32(neighbor.atom))
                let bond = molecule.bonds[neighbor.bond]
                let kind: UInt64
                switch perceived.bondOrders[neighbor.bond] {
                case .single: kind = 0
                case .double: kind = 1
                case .triple: kind = 2
                case .quadruple: kind = 3
                case .aromatic: kind = 4
                case .dative: kind = bond.begin == index ? 5 : 6
                }
                weights.append(1 << (8 * kind))
            }
            starts[index + 1] = Int32(atoms.count)
        }
        neighborStart = starts
        neighborAtom = atoms
        neighborWeight = weights
        ranks = [Int32](repeating: 0, count: count)
        order = [Int32](repeating: 0, count: count)
        position = [Int32](repeating: 0, count: count)
        classEnd = [Int32](repeating: 0, count: count)
        queued = [Bool](repeating: false, count: count)
        counts = [UInt64](repeating: 0, count: count)
        guard count > 0 else { return }
        seed(perceived)
        refine()
    }

    // Classes by the atoms' own invariants, all queued to refine the others.
    private mutating func seed(_ perceived: PerceivedMolecule) {
        let molecule = perceived.molecule
        var keys: [(high: UInt64, low: UInt64)] = []
        keys.reserveCapacity(atomCount)
        for (index, atom) in molecule.atoms.enumerated() {
            var high = UInt64(min(molecule.degree(of: index), 255))
            high = high << 8 | UInt64(atom.element.rawAtomicNumber)
            high = high << 16 | UInt64(atom.isotope)
            high = high << 8 | UInt64(clamping: atom.charge + 128)
            high = high << 8 | UInt64(min(atom.hydrogenCount, 255))
            high = high << 1 | (perceived.isAromaticAtom[index] ? 1 : 0)
            high = high << 8 | UInt64(perceived.ringBondCounts[index])
            keys.append((high, UInt64(atom.atomClass)))
        }
        let sorted = (0..<atomCount).sorted { keys[$0] < keys[$1] }
        var start = 0
        for (slot, atom) in sorted.enumerated() {
            if slot > 0, keys[sorted[slot - 1]] < keys[atom] {
                classEnd[start] = Int32(slot)
                enqueue(start)
                start = slot
            }
            order[slot] = Int32(atom)
            position[atom] = Int32(slot)
            ranks[atom] = Int32(start)
        }
        classEnd[start] = Int32(atomCount)
        enqueue(start)
    }

    private mutating func enqueue(_ start: Int) {
        guard !queued[start] else { return }
        queued[start] = true
        queue.append(Int32(start))
    }

    /// Refines until the partition is equitable.
    private mutating func refine() {
        var head = 0
        while head < queue.count {
            let splitter = Int(queue[head])
            head += 1
            queued[splitter] = false
            split(by: splitter)
            // Keep the queue short: drop what has been processed once it dominates.
            if head > 64, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
        queue.removeAll(keepingCapacity: true)
    }

    // Splits every class by how many neighbours (of each bond kind) its atoms have in the
    // class starting at `splitter`.
    private mutating func split(by splitter: Int) {
        let end = Int(classEnd[splitter])
        for slot in splitter..<end {
            let atom = Int(order[slot])
            for entry in Int(neighborStart[atom])..<Int(neighborStart[atom + 1]) {
                let neighbor = Int(neighborAtom[entry])
                if counts[neighbor] == 0 { touched.append(Int32(neighbor)) }
                counts[neighbor] &+= neighborWeight[entry]
            }
        }
        guard !touched.isEmpty else { return }
        var group: [Member] = []
        swap(&group, &members)
        for atom in touched {
            group.append(Member(rank: ranks[Int(atom)], key: counts[Int(atom)], atom: atom))
            counts[Int(atom)] = 0
        }
        touched.removeAll(keepingCapacity: true)
        // Group by class (in class order, which keeps the result canonical), then by count.
        group.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.key < $1.key }
        var first = 0
        while first < group.count {
            let start = group[first].rank
            var last = first + 1
            while last < group.count, group[last].rank == start { last += 1 }
            splitClass(start: Int(start), members: group[first..<last])
            first = last
        }
        group.removeAll(keepingCapacity: true)
        swap(&group, &members)
    }

    /// An atom of a class being split, with the key that splits it.
    private struct Member {
        var rank: Int32
        var key: UInt64
        var atom: Int32
    }

    // Splits the class at `start`: `members` (sorted by key) move to its end in that order and
    // form subclasses by key, after the atoms left out, which keep the class's rank.
    private mutating func splitClass(start: Int, members: ArraySlice<Member>) {
        let end = Int(classEnd[start])
        let size = end - start
        let memberCount = members.count
        guard size > 1, memberCount > 0 else { return }
        let firstKey = members[members.startIndex].key
        if memberCount == size, firstKey == members[members.endIndex - 1].key { return }
        // Move the members to the tail of the class, then write them in key order.
        var tail = end
        for member in members {
            tail -= 1
            let other = order[tail]
            let from = Int(position[Int(member.atom)])
            order[from] = other
            position[Int(other)] = Int32(from)
            order[tail] = member.atom
            position[Int(member.atom)] = Int32(tail)
        }
        let tailStart = end - memberCount
        for (offset, member) in members.enumerated() {
            order[tailStart + offset] = member.atom
            position[Int(member.atom)] = Int32(tailStart + offset)
        }
        // New subclasses: the atoms left out (if any) keep `start`.
        var bounds: [Int] = []
        if tailStart > start { bounds.append(start) }
        bounds.append(tailStart)
        var previous = firstKey
        for (offset, member) in members.enumerated() where member.key != previous {
            bounds.append(tailStart + offset)
            previous = member.key
        }
        guard bounds.count > 1 else { return }
        let wasQueued = queued[start]
        var largest = bounds[0]
        var largestSize = 0
        for (index, boundStart) in bounds.enumerated() {
            let boundEnd = index + 1 < bounds.count ? bounds[index + 1] : end
            classEnd[boundStart] = Int32(boundEnd)
            for slot in boundStart..<boundEnd { ranks[Int(order[slot])] = Int32(boundStart) }
            if boundEnd - boundStart > largestSize {
                largest = boundStart
                largestSize = boundEnd - boundStart
            }
        }
        // Hopcroft: once the class has served as a splitter, all parts but the largest
        // suffice, as counts over the largest follow from the others.
        for boundStart in bounds where wasQueued || boundStart != largest {
            enqueue(boundStart)
        }
    }

    /// Splits classes by per-atom keys (smaller first) and refines; returns whether any split.
    @discardableResult
    mutating func split(byKeys keys: [UInt64]) -> Bool {
        var didSplit = false
        var start = 0
        var group: [Member] = []
        swap(&group, &members)
        while start < atomCount {
            let end = Int(classEnd[start])
            if end - start > 1 {
                group.removeAll(keepingCapacity: true)
                let firstKey = keys[Int(order[start])]
                var differs = false
                for slot in start..<end {
                    let atom = order[slot]
                    group.append(Member(rank: Int32(start), key: keys[Int(atom)], atom: atom))
                    differs = differs || keys[Int(atom)] != firstKey
                }
                if differs {
                    group.sort { $0.key < $1.key }
                    splitClass(start: start, members: group[...])
                    didSplit = true
                }
            }
            start = end
        }
        group.removeAll(keepingCapacity: true)
        swap(&group, &members)
        if didSplit { refine() }
        return didSplit
    }

    /// The atoms of the first class with more than one, or `nil` when every atom has a rank of
    /// its own.
    func firstTiedClass() -> ArraySlice<Int32>? {
        var start = 0
        while start < atomCount {
            let end = Int(classEnd[start])
            if end - start > 1 { return order[start..<end] }
            start = end
        }
        return nil
    }

    /// The number of atoms in the class starting at `start`.
    func classSize(at start: Int) -> Int {
        Int(classEnd[start]) - start
    }

    /// The atoms of the class starting at `start`.
    func members(ofClassAt start: Int) -> ArraySlice<Int32> {
        order[start..<Int(classEnd[start])]
    }

    /// Gives `atom` a rank of its own, first in its class, and refines.
    mutating func single(out atom: Int32) {
        let start = Int(ranks[Int(atom)])
        let end = Int(classEnd[start])
        guard end - start > 1 else { return }
        var others: [Member] = []
        others.reserveCapacity(end - start - 1)
        for slot in start..<end where order[slot] != atom {
            others.append(Member(rank: Int32(start), key: 1, atom: order[slot]))
        }
        splitClass(start: start, members: others[...])
        refine()
    }
}
