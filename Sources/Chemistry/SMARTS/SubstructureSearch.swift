// Backtracking subgraph matching in the manner of Ullmann and VF2: pattern atoms are placed
// in a fixed order, each next to an atom already placed, so candidates are only the
// neighbours of one molecule atom. Patterns are small, so the recursion is shallow.

struct SubstructureSearch {
    let pattern: SMARTSPattern.Storage
    let target: PerceivedMolecule
    // The target's tables, read directly: going through the struct's computed properties would
    // retain and release an array on every access.
    private let tables: PerceivedTables
    // Molecule atom for each pattern atom, -1 while unplaced; stack memory of the caller's, so
    // that the thousands of small searches a molecule's descriptors need allocate nothing.
    private let mapping: UnsafeMutableBufferPointer<Int32>
    // The matching order: from the first pattern atom when a root is given, else the free plan.
    private var plan: [SMARTSPattern.PlanStep]
    private var recursiveCache: RecursiveCache?

    private init(
        pattern: SMARTSPattern.Storage, target: PerceivedMolecule, recursive: RecursiveCache?,
        mapping: UnsafeMutableBufferPointer<Int32>
    ) {
        self.pattern = pattern
        self.target = target
        tables = target.tables
        self.mapping = mapping
        plan = pattern.plan
        recursiveCache = recursive
    }

    /// Runs `body` with a search of `pattern` in `target` whose working memory lives on the
    /// stack for the duration of the call.
    static func with<Result>(
        pattern: SMARTSPattern.Storage, target: PerceivedMolecule, recursive: RecursiveCache? = nil,
        _ body: (inout SubstructureSearch) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(pattern.atoms.count, 1)) { buffer in
            buffer.initialize(repeating: -1)
            var search = SubstructureSearch(pattern: pattern, target: target, recursive: recursive, mapping: buffer)
            return body(&search)
        }
    }

    /// Calls `visit` with each complete match (the molecule atom of each pattern atom, valid
    /// only during the call) until it returns `false`.
    mutating func run(root: Int?, _ visit: (UnsafeMutableBufferPointer<Int32>) -> Bool) {
        guard !pattern.plan.isEmpty, target.atomCount >= pattern.atoms.count else { return }
        if root == nil {
            guard let start = pattern.startingAtom(in: target) else { return }
            plan = pattern.rootPlans[start]
        } else {
            plan = pattern.plan
        }
        _ = extend(step: 0, root: root, visit)
    }

    /// Whether a match exists with the first pattern atom on `atom`.
    mutating func matchesRooted(at atom: Int) -> Bool {
        guard pattern.filters[0].admits(element: tables.atomicNumbers[atom], aromatic: tables.isAromaticAtom[atom]),
            fits(atom, 0)
        else { return false }
        var found = false
        run(root: atom) { _ in
            found = true
            return false
        }
        return found
    }

    // Matched molecule atoms as a bit set when the molecule has at most 128 atoms; larger
    // molecules scan the (small) mapping instead.
    private var usedLow: UInt64 = 0
    private var usedHigh: UInt64 = 0

    private func isUsed(_ atom: Int) -> Bool {
        if atom < 64 { return (usedLow >> UInt64(atom)) & 1 == 1 }
        if atom < 128 { return (usedHigh >> UInt64(atom - 64)) & 1 == 1 }
        let value = Int32(truncatingIfNeeded: atom)
        for mapped in mapping where mapped == value { return true }
        return false
    }

    private mutating func toggleUsed(_ atom: Int) {
        if atom < 64 {
            usedLow ^= 1 << UInt64(atom)
        } else if atom < 128 {
            usedHigh ^= 1 << UInt64(atom - 64)
        }
    }

    // Whether the molecule atom has enough neighbours, and ring membership if needed, for the
    // pattern atom.
    private func fits(_ atom: Int, _ patternAtom: Int) -> Bool {
        let adjacency = tables.adjacency
        guard Int(adjacency[atom + 1] - adjacency[atom]) >= pattern.minimumDegrees[patternAtom] else { return false }
        return !pattern.needsRing[patternAtom] || tables.ringMembership[atom] > 0
    }

    // Returns false once `visit` asked to stop.
    private mutating func extend(step: Int, root: Int?, _ visit: (UnsafeMutableBufferPointer<Int32>) -> Bool) -> Bool {
        if step == plan.count { return visit(mapping) }
        let plan = self.plan[step]
        if plan.parent < 0 {
            if step == 0, let root { return tryPlace(step: step, atom: root, root: root, visit) }
            let filter = pattern.filters[plan.atom]
            for atom in 0..<target.atomCount
            where filter.admits(element: tables.atomicNumbers[atom], aromatic: tables.isAromaticAtom[atom])
                && fits(atom, plan.atom)
            {
                if !tryPlace(step: step, atom: atom, root: root, visit) { return false }
            }
            return true
        }
        let from = Int(mapping[plan.parent])
        let adjacency = tables.adjacency
        let pairBase = tables.pairBase
        let filter = pattern.filters[plan.atom]
        for entry in Int(adjacency[from])..<Int(adjacency[from + 1]) {
            let slot = pairBase + 2 * entry
            let atom = Int(adjacency[slot])
            guard tables.bondBits[Int(adjacency[slot + 1])] & plan.parentBondMask != 0,
                filter.admits(element: tables.atomicNumbers[atom], aromatic: tables.isAromaticAtom[atom]),
                fits(atom, plan.atom)
            else { continue }
            if !tryPlace(step: step, atom: atom, root: root, visit) { return false }
        }
        return true
    }

    private mutating func tryPlace(
        step: Int, atom: Int, root: Int?, _ visit: (UnsafeMutableBufferPointer<Int32>) -> Bool
    ) -> Bool {
        let plan = self.plan[step]
        guard !isUsed(atom), evaluate(Int(pattern.programStarts[plan.atom]), atom: atom) else { return true }
        for closure in plan.closures {
            let other = Int32(truncatingIfNeeded: Int(mapping[closure.atom]))
            let adjacency = tables.adjacency
            var accepted = false
            for entry in Int(adjacency[atom])..<Int(adjacency[atom + 1]) {
                let slot = tables.pairBase + 2 * entry
                if adjacency[slot] == other {
                    accepted = tables.bondBits[Int(adjacency[slot + 1])] & closure.bondMask != 0
                    break
                }
            }
            if !accepted { return true }
        }
        mapping[plan.atom] = Int32(atom)
        toggleUsed(atom)
        let keepGoing = extend(step: step + 1, root: root, visit)
        toggleUsed(atom)
        mapping[plan.atom] = -1
        return keepGoing
    }

    // Evaluates the flattened query starting at `index` on `atom`.
    private mutating func evaluate(_ index: Int, atom: Int) -> Bool {
        let node = pattern.program[index]
        let value = Int(node.value)
        switch node.kind {
        case .any: return true
        case .element: return Int(tables.atomicNumbers[atom]) == value && !tables.isAromaticAtom[atom]
        case .aromaticElement: return Int(tables.atomicNumbers[atom]) == value && tables.isAromaticAtom[atom]
        case .atomicNumber: return Int(tables.atomicNumbers[atom]) == value
        case .aromatic: return tables.isAromaticAtom[atom]
        case .aliphatic: return !tables.isAromaticAtom[atom]
        case .totalHydrogens: return Int(tables.totalHydrogens[atom]) == value
        case .implicitHydrogens:
            let count = Int(tables.implicitHydrogens[atom])
            return value < 0 ? count > 0 : count == value
        case .degree: return tables.molecule.degree(of: atom) == value
        case .totalDegree: return tables.molecule.degree(of: atom) + tables.molecule.atoms[atom].hydrogenCount == value
        case .valence: return Int(tables.valences[atom]) == value
        case .ringMembership:
            let count = Int(tables.ringMembership[atom])
            return value < 0 ? count > 0 : count == value
        case .ringSize:
            if value < 0 { return tables.ringMembership[atom] > 0 }
            return value < 64 && (tables.ringSizes[atom] >> UInt64(value)) & 1 == 1
        case .ringConnectivity:
            let count = Int(tables.ringBondCounts[atom])
            return value < 0 ? count > 0 : count == value
        case .charge: return tables.molecule.atoms[atom].charge == value
        case .isotope: return tables.molecule.atoms[atom].isotope == value
        case .recursive:
            if recursiveCache == nil { recursiveCache = RecursiveCache() }
            return recursiveCache!.matches(pattern.recursives[value], atom: atom, in: target)
        case .not:
            return !evaluate(index + 1, atom: atom)
        case .and:
            var child = index + 1
            while child < Int(node.end) {
                if !evaluate(child, atom: atom) { return false }
                child = Int(pattern.program[child].end)
            }
            return true
        case .or:
            var child = index + 1
            while child < Int(node.end) {
                if evaluate(child, atom: atom) { return true }
                child = Int(pattern.program[child].end)
            }
            return false
        }
    }
}

/// Remembers, per recursive pattern and atom, whether the atom roots a match, so that a
/// recursive SMARTS is evaluated at most once per atom during one search.
final class RecursiveCache {
    // A pattern holds a handful of recursive patterns, so a linear list beats hashing.
    private var patterns: [ObjectIdentifier] = []
    private var results: [[Int8]] = []

    func matches(_ pattern: SMARTSPattern.Storage, atom: Int, in target: PerceivedMolecule) -> Bool {
        let key = ObjectIdentifier(pattern)
        var slot = patterns.firstIndex(of: key) ?? -1
        if slot < 0 {
            patterns.append(key)
            results.append([Int8](repeating: -1, count: target.atomCount))
            slot = patterns.count - 1
        }
        let known = results[slot][atom]
        if known >= 0 { return known == 1 }
        let found = SubstructureSearch.with(pattern: pattern, target: target, recursive: self) {
            $0.matchesRooted(at: atom)
        }
        results[slot][atom] = found ? 1 : 0
        return found
    }
}
