extension Molecule {
    /// For every bond, whether it lies on a ring (is not a bridge of the graph).
    ///
    /// Uses an iterative depth-first search with low-links, so deep chains cost memory in
    /// proportion to their length and never recursion. Runs in time linear in the graph size.
    ///
    /// - Parameter included: when given, only bonds marked `true` form the graph; the others
    ///   are reported as not in a ring.
    func ringBondFlags(among included: [Bool]? = nil) -> [Bool] {
        let atomCount = atoms.count
        var isRingBond = included ?? [Bool](repeating: true, count: bonds.count)
        var discovery = [Int32](repeating: -1, count: atomCount)
        var low = [Int32](repeating: 0, count: atomCount)
        var frames: [(atom: Int32, parentBond: Int32, cursor: Int32)] = []
        var clock: Int32 = 0
        for root in 0..<atomCount where discovery[root] < 0 {
            discovery[root] = clock
            low[root] = clock
            clock &+= 1
            frames.append((Int32(truncatingIfNeeded: root), -1, neighborOffsets[root]))
            while let top = frames.last {
                let atom = Int(top.atom)
                if top.cursor < neighborOffsets[atom + 1] {
                    frames[frames.count - 1].cursor &+= 1
                    let neighbor = neighborEntries[Int(top.cursor)]
                    if neighbor.storedBond == top.parentBond { continue }
                    if let included, !included[Int(neighbor.storedBond)] { continue }
                    let next = Int(neighbor.storedAtom)
                    if discovery[next] < 0 {
                        discovery[next] = clock
                        low[next] = clock
                        clock &+= 1
                        frames.append((neighbor.storedAtom, neighbor.storedBond, neighborOffsets[next]))
                    } else {
                        low[atom] = min(low[atom], discovery[next])
                    }
                } else {
                    frames.removeLast()
                    guard let parent = frames.last else { continue }
                    let parentAtom = Int(parent.atom)
                    low[parentAtom] = min(low[parentAtom], low[atom])
                    if low[atom] > discovery[parentAtom] { isRingBond[Int(top.parentBond)] = false }
                }
            }
        }
        return isRingBond
    }
}
