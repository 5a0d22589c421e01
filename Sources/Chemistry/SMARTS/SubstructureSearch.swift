// Backtracking subgraph matching in the manner of Ullmann and VF2: pattern atoms are placed
// in a fixed order, each next to an atom already placed, so candidates are only the
// neighbours of one molecule atom. Patterns are small, so the recursion is shallow.

struct SubstructureSearch {
    let pattern: SMARTSPattern.Storage
    let target: PerceivedMolecule
    // Molecule atom for each pattern atom, -1 while unplaced.
    private var mapping: [Int32]
    private var used: [Bool]
    private var recursive: RecursiveCache

    init(pattern: SMARTSPattern.Storage, target: PerceivedMolecule, recursive: RecursiveCache? = nil) {
        self.pattern = pattern
        self.target = target
        mapping = [Int32](repeating: -1, count: pattern.atoms.count)
        used = [Bool](repeating: false, count: target.atomCount)
        self.recursive = recursive ?? RecursiveCache()
    }

    /// Calls `visit` with each complete match (pattern order) until it returns `false`.
    mutating func run(root: Int?, _ visit: ([Int32]) -> Bool) {
        guard !pattern.plan.isEmpty, target.atomCount >= pattern.atoms.count else { return }
        if let element = pattern.rootElement, !target.contains(element: element) { return }
        _ = extend(step: 0, root: root, visit)
    }

    /// Whether a match exists with the first pattern atom on `atom`.
    mutating func matchesRooted(at atom: Int) -> Bool {
        if let element = pattern.rootElement, target.atomicNumbers[atom] != element { return false }
        var found = false
        run(root: atom) { _ in
            found = true
            return false
        }
        return found
    }

    // Returns false once `visit` asked to stop.
    private mutating func extend(step: Int, root: Int?, _ visit: ([Int32]) -> Bool) -> Bool {
        if step == pattern.plan.count { return visit(mapping) }
        let plan = pattern.plan[step]
        if plan.parent < 0 {
            if step == 0, let root { return tryPlace(step: step, atom: root, root: root, visit) }
            for atom in 0..<target.atomCount where !used[atom] {
                if !tryPlace(step: step, atom: atom, root: root, visit) { return false }
            }
            return true
        }
        let from = Int(mapping[plan.parent])
        for neighbor in target.molecule.neighbors(of: from) where !used[neighbor.atom] {
            guard let query = plan.parentBond, target.bond(neighbor.bond, satisfies: query) else { continue }
            if !tryPlace(step: step, atom: neighbor.atom, root: root, visit) { return false }
        }
        return true
    }

    private mutating func tryPlace(step: Int, atom: Int, root: Int?, _ visit: ([Int32]) -> Bool) -> Bool {
        let plan = pattern.plan[step]
        guard !used[atom], atomMatches(pattern.atoms[plan.atom], atom: atom) else { return true }
        for closure in plan.closures {
            let other = Int(mapping[closure.atom])
            guard let bond = target.bond(between: atom, and: other), target.bond(bond, satisfies: closure.query) else {
                return true
            }
        }
        mapping[plan.atom] = Int32(atom)
        used[atom] = true
        let keepGoing = extend(step: step + 1, root: root, visit)
        used[atom] = false
        mapping[plan.atom] = -1
        return keepGoing
    }

    private mutating func atomMatches(_ query: AtomQuery, atom: Int) -> Bool {
        switch query {
        case .recursive(let inner):
            return recursive.matches(inner.storage, atom: atom, in: target)
        case .not(let inner):
            return !atomMatches(inner, atom: atom)
        case .and(let parts):
            for part in parts where !atomMatches(part, atom: atom) { return false }
            return true
        case .or(let parts):
            for part in parts where atomMatches(part, atom: atom) { return true }
            return false
        default:
            return target.atom(atom, satisfies: query)
        }
    }
}

/// Remembers, per recursive pattern and atom, whether the atom roots a match, so that a
/// recursive SMARTS is evaluated at most once per atom during one search.
final class RecursiveCache {
    private var results: [ObjectIdentifier: [Int8]] = [:]

    func matches(_ pattern: SMARTSPattern.Storage, atom: Int, in target: PerceivedMolecule) -> Bool {
        let key = ObjectIdentifier(pattern)
        if let known = results[key]?[atom], known >= 0 { return known == 1 }
        var search = SubstructureSearch(pattern: pattern, target: target, recursive: self)
        let found = search.matchesRooted(at: atom)
        if results[key] == nil { results[key] = [Int8](repeating: -1, count: target.atomCount) }
        results[key]![atom] = found ? 1 : 0
        return found
    }
}
