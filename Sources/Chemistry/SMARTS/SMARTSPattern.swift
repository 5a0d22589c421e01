/// A compiled SMARTS pattern, ready to search ``PerceivedMolecule`` values.
///
/// Compile a pattern once and use it from any thread: it is an immutable value. Matching
/// follows RDKit's conventions: aromaticity is RDKit's, `H` counts every hydrogen on an atom,
/// `D` counts neighbours in the graph, `R` and `r` refer to RDKit's ring set, and stereo
/// marks and atom maps are ignored.
public struct SMARTSPattern: Sendable {
    final class Storage: Sendable {
        let atoms: [AtomQuery]
        let bonds: [QueryBond]
        // Per pattern atom: a quick superset filter, and where its flattened query starts.
        let filters: [AtomFilter]
        // Per pattern atom: the fewest neighbours a matching atom can have (its bonds in the
        // pattern), and whether it must be a ring atom (it lies on a cycle of the pattern,
        // whose image is a cycle of the molecule).
        let minimumDegrees: [Int]
        let needsRing: [Bool]
        let programStarts: [Int32]
        let program: [QueryNode]
        let recursives: [Storage]
        // The order atoms are matched in: every atom after the first of its component is
        // reached from an atom matched before it.
        let plan: [PlanStep]
        // A matching order from every pattern atom: a search with no fixed atom starts from the
        // pattern atom that the fewest atoms of the molecule can match.
        let rootPlans: [[PlanStep]]
        // The element the first pattern atom requires, if any: matches rooted elsewhere are
        // rejected before any search.
        let rootElement: UInt8?

        init(atoms: [AtomQuery], bonds: [QueryBond]) {
            self.atoms = atoms
            self.bonds = bonds
            var program: [QueryNode] = []
            var recursives: [Storage] = []
            var starts: [Int32] = []
            for atom in atoms {
                starts.append(Int32(program.count))
                QueryNode.flatten(atom, into: &program, recursives: &recursives)
            }
            self.program = program
            self.recursives = recursives
            programStarts = starts
            filters = atoms.map(AtomFilter.of)
            groupsOnce = Storage.groups(of: filters)
            var degrees = [Int](repeating: 0, count: atoms.count)
            for bond in bonds {
                degrees[bond.begin] += 1
                degrees[bond.end] += 1
            }
            minimumDegrees = degrees
            let cyclic = Storage.cycleBonds(atomCount: atoms.count, bonds: bonds)
            var needsRing = [Bool](repeating: false, count: atoms.count)
            for (index, bond) in bonds.enumerated() where cyclic[index] {
                needsRing[bond.begin] = true
                needsRing[bond.end] = true
            }
            self.needsRing = needsRing
            plan = Storage.makePlan(atomCount: atoms.count, bonds: bonds, cyclic: cyclic, first: 0)
            rootElement = atoms.first?.requiredElement
            rootPlans = atoms.indices.map {
                Storage.makePlan(atomCount: atoms.count, bonds: bonds, cyclic: cyclic, first: $0)
            }
        }

        // The pattern atoms grouped by identical filter, for a quick count check.
        let groupsOnce: [FilterGroup]

        static func groups(of filters: [AtomFilter]) -> [FilterGroup] {
            var groups: [FilterGroup] = []
            for (index, filter) in filters.enumerated() {
                if let group = groups.firstIndex(where: {
                    $0.filter.low == filter.low && $0.filter.high == filter.high
                        && $0.filter.aromaticity == filter.aromaticity
                }) {
                    groups[group].atoms.append(index)
                } else {
                    groups.append(FilterGroup(filter: filter, atoms: [index]))
                }
            }
            return groups
        }

        /// The pattern atom to start an unrooted search from (the one the fewest molecule atoms
        /// can match), or `nil` when the molecule cannot hold a match: it has fewer candidates
        /// for some filter (a required element, say) than the pattern has atoms with it.
        func startingAtom(in molecule: PerceivedMolecule) -> Int? {
            guard molecule.atomCount >= atoms.count else { return nil }
            var best = 0
            var fewest = Int.max
            for group in groupsOnce {
                let count = group.filter.admittedCount(in: molecule)
                if count < group.atoms.count { return nil }
                if count < fewest {
                    fewest = count
                    best = group.atoms.max { minimumDegrees[$0] < minimumDegrees[$1] } ?? group.atoms[0]
                }
            }
            return best
        }

        // A bond is on a cycle when its ends stay connected without it; patterns are small.
        private static func cycleBonds(atomCount: Int, bonds: [QueryBond]) -> [Bool] {
            bonds.indices.map { skipped in
                var reached = [Bool](repeating: false, count: atomCount)
                var stack = [bonds[skipped].begin]
                reached[bonds[skipped].begin] = true
                while let atom = stack.popLast() {
                    for (index, bond) in bonds.enumerated() where index != skipped {
                        let other = bond.begin == atom ? bond.end : bond.end == atom ? bond.begin : -1
                        if other >= 0, !reached[other] {
                            reached[other] = true
                            stack.append(other)
                        }
                    }
                }
                return reached[bonds[skipped].end]
            }
        }

        // A bond query, narrowed to ring bonds when the pattern bond is on a cycle.
        private static func mask(_ bonds: [QueryBond], _ index: Int, cyclic: [Bool]) -> UInt16 {
            let mask = BondMask.of(bonds[index].query)
            return cyclic[index] ? mask & BondMask.ringBits : mask
        }

        // Places atoms greedily: after `first`, always the unplaced atom with the most bonds
        // to atoms already placed (then the most bonds overall), so that ring closures are
        // checked as early as possible and dead ends are abandoned early. Each atom hangs off
        // one placed neighbour; its other bonds to placed atoms become closures.
        private static func makePlan(atomCount: Int, bonds: [QueryBond], cyclic: [Bool], first: Int) -> [PlanStep] {
            var adjacent = [[(atom: Int, bond: Int)]](repeating: [], count: atomCount)
            for (index, bond) in bonds.enumerated() {
                adjacent[bond.begin].append((bond.end, index))
                adjacent[bond.end].append((bond.begin, index))
            }
            var placed = [Bool](repeating: false, count: atomCount)
            var steps: [PlanStep] = []
            var next: Int? = first
            while steps.count < atomCount {
                // A new component starts at its lowest-numbered atom.
                let atom = next ?? (0..<atomCount).first { !placed[$0] }!
                var parent = -1
                var parentMask: UInt16 = 0
                var closures: [Closure] = []
                for (other, bond) in adjacent[atom] where placed[other] {
                    let mask = mask(bonds, bond, cyclic: cyclic)
                    if parent < 0 {
                        parent = other
                        parentMask = mask
                    } else {
                        closures.append(Closure(atom: other, bondMask: mask))
                    }
                }
                placed[atom] = true
                steps.append(PlanStep(atom: atom, parent: parent, parentBondMask: parentMask, closures: closures))
                var best: Int? = nil
                var bestKey = (-1, -1)
                for candidate in 0..<atomCount where !placed[candidate] {
                    let links = adjacent[candidate].count { placed[$0.atom] }
                    guard links > 0 else { continue }
                    let key = (links, adjacent[candidate].count)
                    if key > bestKey {
                        bestKey = key
                        best = candidate
                    }
                }
                next = best
            }
            return steps
        }
    }

    /// Pattern atoms that share one filter.
    struct FilterGroup: Sendable {
        let filter: AtomFilter
        var atoms: [Int]
    }

    /// One atom of the matching order.
    struct PlanStep: Sendable {
        let atom: Int
        let parent: Int
        let parentBondMask: UInt16
        let closures: [Closure]
    }

    /// A bond back to an atom placed earlier that is not the one the step hangs from.
    struct Closure: Sendable {
        let atom: Int
        let bondMask: UInt16
    }

    let storage: Storage

    /// The pattern as written.
    public let smarts: String

    /// Compiles a SMARTS pattern.
    ///
    /// - Throws: ``SMARTSError`` naming the first problem and its position.
    public init(_ smarts: String) throws(SMARTSError) {
        var reader = SMARTSReader(bytes: Array(smarts.utf8))
        let (atoms, bonds) = try reader.read()
        storage = Storage(atoms: atoms, bonds: bonds)
        self.smarts = smarts
    }

    init(atoms: [AtomQuery], bonds: [QueryBond]) {
        storage = Storage(atoms: atoms, bonds: bonds)
        smarts = ""
    }

    /// The number of atoms in the pattern.
    public var atomCount: Int { storage.atoms.count }

    /// Whether the pattern occurs in the molecule.
    public func hasMatch(in molecule: PerceivedMolecule) -> Bool {
        guard storage.startingAtom(in: molecule) != nil else { return false }
        return SubstructureSearch.with(pattern: storage, target: molecule) { search in
            var found = false
            search.run(root: nil) { _ in
                found = true
                return false
            }
            return found
        }
    }

    /// Whether some match of the pattern maps its first atom onto `atom`.
    public func matches(in molecule: PerceivedMolecule, rootedAt atom: Int) -> Bool {
        if let element = storage.rootElement, molecule.atomicNumbers[atom] != element { return false }
        return SubstructureSearch.with(pattern: storage, target: molecule) { $0.matchesRooted(at: atom) }
    }

    /// Whether the first pattern atom's own test passes on `atom`, ignoring the rest of the
    /// pattern.
    func rootMatchesAlone(in molecule: PerceivedMolecule, atom: Int) -> Bool {
        let single = SMARTSPattern(atoms: [storage.atoms[0]], bonds: [])
        return single.matches(in: molecule, rootedAt: atom)
    }

    /// The number of distinct matches, two matches being the same when they cover the same
    /// set of atoms (RDKit's `GetSubstructMatches` with `uniquify=True`).
    ///
    /// - Parameter limit: stop counting here (RDKit's default `maxMatches` is 1000).
    public func matchCount(in molecule: PerceivedMolecule, limit: Int = 1000) -> Int {
        if storage.atoms.count == 1 {
            // One pattern atom: every match is a different atom.
            var count = 0
            SubstructureSearch.with(pattern: storage, target: molecule) { search in
                search.run(root: nil) { _ in
                    count += 1
                    return count < limit
                }
            }
            return count
        }
        var seen = Set<[Int32]>()
        SubstructureSearch.with(pattern: storage, target: molecule) { search in
            search.run(root: nil) { mapping in
                seen.insert(mapping.sorted())
                return seen.count < limit
            }
        }
        return seen.count
    }
}
