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
        // The order atoms are matched in: every atom after the first of its component is
        // reached from an atom matched before it.
        let plan: [PlanStep]
        // When every match must start at one element, that element: whole molecules without
        // it are skipped.
        let rootElement: UInt8?

        init(atoms: [AtomQuery], bonds: [QueryBond]) {
            self.atoms = atoms
            self.bonds = bonds
            plan = Storage.makePlan(atomCount: atoms.count, bonds: bonds)
            rootElement = atoms.first?.requiredElement
        }

        private static func makePlan(atomCount: Int, bonds: [QueryBond]) -> [PlanStep] {
            var adjacent = [[(atom: Int, bond: Int)]](repeating: [], count: atomCount)
            for (index, bond) in bonds.enumerated() {
                adjacent[bond.begin].append((bond.end, index))
                adjacent[bond.end].append((bond.begin, index))
            }
            var position = [Int](repeating: -1, count: atomCount)
            var steps: [PlanStep] = []
            var usedBond = [Bool](repeating: false, count: bonds.count)
            for root in 0..<atomCount where position[root] < 0 {
                // Depth-first, so that each new atom hangs off one already placed.
                var stack: [(atom: Int, parent: Int, bond: Int)] = [(root, -1, -1)]
                while let (atom, parent, bond) = stack.popLast() {
                    guard position[atom] < 0 else { continue }
                    position[atom] = steps.count
                    if bond >= 0 { usedBond[bond] = true }
                    var closures: [(atom: Int, query: BondQuery)] = []
                    for (other, otherBond) in adjacent[atom]
                    where otherBond != bond && position[other] >= 0 && !usedBond[otherBond] {
                        usedBond[otherBond] = true
                        closures.append((other, bonds[otherBond].query))
                    }
                    steps.append(
                        PlanStep(
                            atom: atom, parent: parent, parentBond: bond >= 0 ? bonds[bond].query : nil,
                            closures: closures))
                    for (other, otherBond) in adjacent[atom].reversed() where position[other] < 0 {
                        stack.append((other, atom, otherBond))
                    }
                }
            }
            return steps
        }
    }

    /// One atom of the matching order.
    struct PlanStep: Sendable {
        let atom: Int
        let parent: Int
        let parentBond: BondQuery?
        let closures: [(atom: Int, query: BondQuery)]
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
        var found = false
        var search = SubstructureSearch(pattern: storage, target: molecule)
        search.run(root: nil) { _ in
            found = true
            return false
        }
        return found
    }

    /// Whether some match of the pattern maps its first atom onto `atom`.
    public func matches(in molecule: PerceivedMolecule, rootedAt atom: Int) -> Bool {
        var search = SubstructureSearch(pattern: storage, target: molecule)
        return search.matchesRooted(at: atom)
    }

    /// The number of distinct matches, two matches being the same when they cover the same
    /// set of atoms (RDKit's `GetSubstructMatches` with `uniquify=True`).
    ///
    /// - Parameter limit: stop counting here (RDKit's default `maxMatches` is 1000).
    public func matchCount(in molecule: PerceivedMolecule, limit: Int = 1000) -> Int {
        var seen = Set<[Int32]>()
        var search = SubstructureSearch(pattern: storage, target: molecule)
        search.run(root: nil) { mapping in
            seen.insert(mapping.sorted())
            return seen.count < limit
        }
        return seen.count
    }

    /// Every distinct match (as in ``matchCount(in:limit:)``), each as the molecule atom
    /// matched by each pattern atom, in pattern order.
    public func matches(in molecule: PerceivedMolecule, limit: Int = 1000) -> [[Int]] {
        var seen = Set<[Int32]>()
        var result: [[Int]] = []
        var search = SubstructureSearch(pattern: storage, target: molecule)
        search.run(root: nil) { mapping in
            if seen.insert(mapping.sorted()).inserted { result.append(mapping.map(Int.init)) }
            return result.count < limit
        }
        return result
    }
}
