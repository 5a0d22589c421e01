/// Pairs up the atoms that need a double bond, along the bonds allowed to carry one.
///
/// Atoms that must take a double bond are required; wildcards may take one or not. Optional
/// atoms are handled by adding as many "sink" vertices, joined to every optional atom and to
/// each other, so that a matching covering the required atoms exists exactly when the
/// extended graph has a perfect matching. That matching is found by a greedy pass followed
/// by Edmonds' blossom algorithm for the atoms the greedy pass leaves unpaired; the search
/// uses explicit queues and runs in polynomial time on any input.
struct KekuleMatching {
    /// Whether an atom must, may or cannot take a double bond.
    enum Role: UInt8 {
        case none
        case required
        case optional
    }

    private var atomOfVertex: [Int32] = []
    private var vertexOfAtom: [Int32]
    private var edgeOffsets: [Int32] = []
    private var edgeTargets: [Int32] = []
    var mates: [Int32] = []
    var search = BlossomSearch()

    /// Builds the graph of candidate atoms.
    ///
    /// - Parameters:
    ///   - roles: one role per atom.
    ///   - neighbors: calls its second argument with every atom that may share a double bond
    ///     with the atom given as the first; both atoms' roles decide whether the edge is used.
    init(roles: [Role], neighbors: (Int, (Int) -> Void) -> Void) {
        vertexOfAtom = [Int32](repeating: -1, count: roles.count)
        var optionalVertices: [Int32] = []
        var requiredCount = 0
        for (atom, role) in roles.enumerated() where role != .none {
            let vertex = Int32(truncatingIfNeeded: atomOfVertex.count)
            vertexOfAtom[atom] = vertex
            atomOfVertex.append(Int32(truncatingIfNeeded: atom))
            if role == .optional { optionalVertices.append(vertex) } else { requiredCount += 1 }
        }
        var pairs: [(Int32, Int32)] = []
        for vertex in atomOfVertex.indices {
            let atom = Int(atomOfVertex[vertex])
            neighbors(atom) { other in
                let otherVertex = vertexOfAtom[other]
                if otherVertex > vertex { pairs.append((Int32(truncatingIfNeeded: vertex), otherVertex)) }
            }
        }
        if !optionalVertices.isEmpty {
            let sinkCount = optionalVertices.count + (requiredCount & 1)
            let firstSink = Int32(truncatingIfNeeded: atomOfVertex.count)
            for sink in 0..<Int32(sinkCount) {
                atomOfVertex.append(-1)
                for optional in optionalVertices { pairs.append((optional, firstSink + sink)) }
                for other in 0..<sink { pairs.append((firstSink + other, firstSink + sink)) }
            }
        }
        let vertexCount = atomOfVertex.count
        edgeOffsets = [Int32](repeating: 0, count: vertexCount + 1)
        for (first, second) in pairs {
            edgeOffsets[Int(first) + 1] += 1
            edgeOffsets[Int(second) + 1] += 1
        }
        for vertex in 0..<vertexCount { edgeOffsets[vertex + 1] += edgeOffsets[vertex] }
        var cursor = edgeOffsets
        edgeTargets = [Int32](repeating: 0, count: pairs.count * 2)
        for (first, second) in pairs {
            edgeTargets[Int(cursor[Int(first)])] = second
            cursor[Int(first)] += 1
            edgeTargets[Int(cursor[Int(second)])] = first
            cursor[Int(second)] += 1
        }
        mates = [Int32](repeating: -1, count: vertexCount)
    }

    /// Finds a perfect matching of the extended graph.
    ///
    /// - Returns: `nil` on success, otherwise an atom left without a double bond.
    mutating func solve() -> Int? {
        matchGreedily()
        for root in mates.indices where mates[root] < 0 {
            search.augment(
                from: Int32(truncatingIfNeeded: root), mates: &mates, offsets: edgeOffsets, targets: edgeTargets)
        }
        guard let exposed = mates.firstIndex(where: { $0 < 0 }) else { return nil }
        let stranded = mates.indices.first { mates[$0] < 0 && atomOfVertex[$0] >= 0 } ?? exposed
        return Int(atomOfVertex[stranded] >= 0 ? atomOfVertex[stranded] : atomOfVertex[0])
    }

    /// The atom paired with `atom`, or -1 when it has no double bond.
    func mate(of atom: Int) -> Int {
        let vertex = vertexOfAtom[atom]
        guard vertex >= 0, mates[Int(vertex)] >= 0 else { return -1 }
        return Int(atomOfVertex[Int(mates[Int(vertex)])])
    }

    // Pairs vertices with a single free neighbour first, since their choice is forced; this
    // settles chains and most rings, leaving little for the blossom search.
    private mutating func matchGreedily() {
        let vertexCount = mates.count
        var freeDegree = [Int32](repeating: 0, count: vertexCount)
        var forced: [Int32] = []
        for vertex in 0..<vertexCount {
            freeDegree[vertex] = edgeOffsets[vertex + 1] - edgeOffsets[vertex]
            if freeDegree[vertex] == 1 { forced.append(Int32(truncatingIfNeeded: vertex)) }
        }
        func pair(_ vertex: Int) {
            guard mates[vertex] < 0 else { return }
            for edge in Int(edgeOffsets[vertex])..<Int(edgeOffsets[vertex + 1]) {
                let other = Int(edgeTargets[edge])
                guard mates[other] < 0 else { continue }
                mates[vertex] = Int32(truncatingIfNeeded: other)
                mates[other] = Int32(truncatingIfNeeded: vertex)
                release(vertex)
                release(other)
                return
            }
        }
        // A newly paired vertex is no longer free for its neighbours.
        func release(_ vertex: Int) {
            for edge in Int(edgeOffsets[vertex])..<Int(edgeOffsets[vertex + 1]) {
                let next = Int(edgeTargets[edge])
                freeDegree[next] -= 1
                if freeDegree[next] == 1, mates[next] < 0 { forced.append(Int32(truncatingIfNeeded: next)) }
            }
        }
        for vertex in 0..<vertexCount {
            while let next = forced.popLast() { pair(Int(next)) }
            pair(vertex)
        }
        while let next = forced.popLast() { pair(Int(next)) }
    }
}
