extension Molecule {
    /// For every bond, whether it lies on a ring (is not a bridge of the graph).
    ///
    /// Uses an iterative depth-first search with low-links, so deep chains cost memory in
    /// proportion to their length and never recursion. Runs in time linear in the graph size.
    ///
    /// - Parameter included: when given, only bonds marked `true` form the graph; the others
    ///   are reported as not in a ring.
    func ringBondFlags(among included: [Bool]? = nil) -> [Bool] {
        var isRingBond = included ?? [Bool](repeating: true, count: bonds.count)
        let atomCount = atoms.count
        let pairBase = atomCount + 1
        withUnsafeTemporaryAllocation(of: DepthFirstVisit.self, capacity: atomCount) { visits in
            withUnsafeTemporaryAllocation(of: DepthFirstFrame.self, capacity: atomCount) { frames in
                visits.initialize(repeating: DepthFirstVisit(discovery: -1, low: 0))
                var depth = 0
                var clock: Int32 = 0
                for root in 0..<atomCount where visits[root].discovery < 0 {
                    visits[root] = DepthFirstVisit(discovery: clock, low: clock)
                    clock &+= 1
                    frames[0] = DepthFirstFrame(
                        atom: Int32(truncatingIfNeeded: root), parentBond: -1, cursor: adjacency[root])
                    depth = 1
                    while depth > 0 {
                        let top = frames[depth - 1]
                        let atom = Int(top.atom)
                        if top.cursor < adjacency[atom + 1] {
                            frames[depth - 1].cursor &+= 1
                            let slot = pairBase + 2 * Int(top.cursor)
                            let neighborAtom = adjacency[slot]
                            let neighborBond = adjacency[slot + 1]
                            if neighborBond == top.parentBond { continue }
                            if let included, !included[Int(neighborBond)] { continue }
                            let next = Int(neighborAtom)
                            if visits[next].discovery < 0 {
                                visits[next] = DepthFirstVisit(discovery: clock, low: clock)
                                clock &+= 1
                                frames[depth] = DepthFirstFrame(
                                    atom: neighborAtom, parentBond: neighborBond, cursor: adjacency[next])
                                depth += 1
                            } else {
                                visits[atom].low = min(visits[atom].low, visits[next].discovery)
                            }
                        } else {
                            depth -= 1
                            guard depth > 0 else { continue }
                            let parent = Int(frames[depth - 1].atom)
                            visits[parent].low = min(visits[parent].low, visits[atom].low)
                            if visits[atom].low > visits[parent].discovery { isRingBond[Int(top.parentBond)] = false }
                        }
                    }
                }
            }
        }
        return isRingBond
    }
}

/// When the search first reached an atom, and the earliest atom reachable back from it.
private struct DepthFirstVisit {
    var discovery: Int32
    var low: Int32
}

/// One atom on the search path, with the bond it was reached by and its next neighbour.
private struct DepthFirstFrame {
    var atom: Int32
    var parentBond: Int32
    var cursor: Int32
}
