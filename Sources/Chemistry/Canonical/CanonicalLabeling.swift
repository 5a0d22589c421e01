/// Canonical ranks of a molecule's atoms together with the stereo that survives ranking.
///
/// Stereo marks that cannot carry meaning are dropped here, because their handedness relative
/// to the ranks would depend on how ties were broken, and so on the input order: a centre
/// with two neighbours alike (`C[C@H](C)F`), a double bond with two alike substituents on one
/// atom, a ring centre that is the only one on its ring with two alike ring neighbours
/// (`C[C@H]1CCCCC1`). RDKit drops the same marks.
struct CanonicalLabeling {
    /// A distinct rank per atom, from 0.
    let ranks: [Int32]
    /// The tetrahedral centres kept.
    let centres: [StereoElements.Centre]
    /// The double bonds kept.
    let doubleBonds: [StereoElements.DoubleBond]

    init(_ perceived: PerceivedMolecule) {
        var ranking = CanonicalRanking(perceived)
        let stereo = StereoElements(perceived)
        guard !stereo.isEmpty else {
            while let tied = ranking.firstTiedClass() { ranking.single(out: tied.min() ?? tied[tied.startIndex]) }
            ranks = ranking.ranks
            centres = []
            doubleBonds = []
            return
        }
        // Add stereo invariants until they split nothing more.
        var relations = RingRelations()
        while true {
            relations = RingRelations(stereo.centres, perceived: perceived, ranks: ranking.ranks)
            let keys = CanonicalLabeling.stereoKeys(
                centres: stereo.centres, doubleBonds: stereo.doubleBonds, relations: relations,
                perceived: perceived, ranks: ranking.ranks)
            if !ranking.split(byKeys: keys) { break }
        }
        let keptCentres = stereo.centres.filter { centre in
            CanonicalLabeling.parity(of: centre, ranks: ranking.ranks) != nil || relations.isRelated(centre.atom)
        }
        let keptBonds = stereo.doubleBonds.filter { bond in
            CanonicalLabeling.configuration(of: bond, perceived: perceived, ranks: ranking.ranks) != nil
        }
        let search = TieBreaking(
            perceived: perceived, centres: keptCentres, doubleBonds: keptBonds, relations: relations)
        var budget = TieBreaking.trialBudget
        ranks = search.complete(ranking, budget: &budget).ranks
        centres = keptCentres
        doubleBonds = keptBonds
    }

    init(ranks: [Int32], centres: [StereoElements.Centre], doubleBonds: [StereoElements.DoubleBond]) {
        self.ranks = ranks
        self.centres = centres
        self.doubleBonds = doubleBonds
    }

    /// How ties are broken once stereo is known.
    ///
    /// Without unresolved ring centres, singling out any atom of a tied class gives the same
    /// string, as the atoms are symmetric. Ring centres that are still unresolved make that
    /// fail: the candidates may be mirror images of each other (the ring neighbours of a
    /// 1,4-cyclohexane centre), resolving the centres with opposite handedness, or not
    /// symmetric at all once stereo counts (chiro-inositol). Then the alike neighbours of the
    /// lowest such centres are tried, and those kept whose resolved centres, in rank order,
    /// read anticlockwise earliest. If several remain the first time, each is completed and
    /// the one giving the smallest string wins; later, the first is taken (by then they are
    /// symmetric in practice, and comparing every combination would cost exponential time).
    /// Trials are limited per molecule, after which ties are broken plainly.
    private struct TieBreaking {
        /// Trials per molecule before ties are broken plainly.
        static let trialBudget = 4096

        let perceived: PerceivedMolecule
        let centres: [StereoElements.Centre]
        let doubleBonds: [StereoElements.DoubleBond]
        let relations: RingRelations
        // The connected component of each atom, numbered by its lowest atom.
        let fragments: [Int32]

        init(
            perceived: PerceivedMolecule, centres: [StereoElements.Centre], doubleBonds: [StereoElements.DoubleBond],
            relations: RingRelations
        ) {
            self.perceived = perceived
            self.centres = centres
            self.doubleBonds = doubleBonds
            self.relations = relations
            let molecule = perceived.molecule
            var fragments = [Int32](repeating: -1, count: molecule.atoms.count)
            var stack: [Int] = []
            for root in molecule.atoms.indices where fragments[root] < 0 && !centres.isEmpty {
                fragments[root] = Int32(root)
                stack.append(root)
                while let atom = stack.popLast() {
                    for neighbor in molecule.neighbors(of: atom) where fragments[neighbor.atom] < 0 {
                        fragments[neighbor.atom] = Int32(root)
                        stack.append(neighbor.atom)
                    }
                }
            }
            self.fragments = fragments
        }

        /// Breaks ties until every atom has a rank of its own.
        ///
        /// With `mayCompare`, the first choice that signatures leave open is settled by
        /// completing each candidate without comparing again (one level of recursion).
        func complete(_ start: CanonicalRanking, budget: inout Int, mayCompare: Bool = true) -> CanonicalRanking {
            var ranking = start
            while let tied = ranking.firstTiedClass() {
                let unresolved = centres.filter { CanonicalLabeling.parity(of: $0, ranks: ranking.ranks) == nil }
                let candidates = self.candidates(in: ranking, unresolved: unresolved)
                guard candidates.count > 1, budget >= candidates.count else {
                    ranking = singlingOut(candidates.first ?? tied.min() ?? tied[tied.startIndex], in: ranking)
                    continue
                }
                budget -= candidates.count
                var best: [CanonicalRanking] = []
                var bestSignature: [UInt8] = []
                for candidate in candidates {
                    let trial = singlingOut(candidate, in: ranking)
                    let signature = self.signature(of: trial, resolving: unresolved)
                    if best.isEmpty || signature.lexicographicallyPrecedes(bestSignature) {
                        best = [trial]
                        bestSignature = signature
                    } else if signature == bestSignature {
                        best.append(trial)
                    }
                }
                guard best.count > 1, mayCompare else {
                    ranking = best[0]
                    continue
                }
                var winner: (text: [UInt8], ranking: CanonicalRanking)?
                for trial in best {
                    let done = complete(trial, budget: &budget, mayCompare: false)
                    let labeling = CanonicalLabeling(ranks: done.ranks, centres: centres, doubleBonds: doubleBonds)
                    let text = SMILESWriter(perceived, labeling: labeling).writeBytes()
                    if let current = winner, !text.lexicographicallyPrecedes(current.text) { continue }
                    winner = (text, done)
                }
                return winner?.ranking ?? best[0]
            }
            return ranking
        }

        // The atoms to try singling out while ring centres are unresolved: the alike
        // neighbours of the lowest-ranked such centres. Only centres of its own fragment
        // count, as copies of a fragment are symmetric and can be resolved one at a time.
        // Empty when no centre is unresolved: the caller then takes the first atom of the
        // first tied class.
        private func candidates(in ranking: CanonicalRanking, unresolved: [StereoElements.Centre]) -> [Int32] {
            var lowest: (rank: Int32, atom: Int32)?
            for centre in unresolved {
                let key = (ranking.ranks[Int(centre.atom)], centre.atom)
                if let current = lowest, current < key { continue }
                lowest = key
            }
            guard let lowest else { return [] }
            let fragment = fragments[Int(lowest.atom)]
            var tiedRank: Int32 = -1
            var result: [Int32] = []
            for centre in unresolved
            where ranking.ranks[Int(centre.atom)] == lowest.rank && fragments[Int(centre.atom)] == fragment {
                for first in 0..<4 where centre.neighbors[first] >= 0 {
                    let rank = ranking.ranks[Int(centre.neighbors[first])]
                    guard tiedRank < 0 || rank <= tiedRank else { continue }
                    for second in (first + 1)..<4
                    where centre.neighbors[second] >= 0 && ranking.ranks[Int(centre.neighbors[second])] == rank {
                        if rank < tiedRank || tiedRank < 0 {
                            tiedRank = rank
                            result.removeAll()
                        }
                        result.append(centre.neighbors[first])
                        result.append(centre.neighbors[second])
                    }
                }
            }
            return Array(Set(result)).sorted()
        }

        // Handedness of the centres a trial resolved, in rank order (anticlockwise first).
        private func signature(of trial: CanonicalRanking, resolving unresolved: [StereoElements.Centre]) -> [UInt8] {
            var resolved: [(rank: Int32, clockwise: Bool)] = []
            for centre in unresolved {
                if let clockwise = CanonicalLabeling.parity(of: centre, ranks: trial.ranks) {
                    resolved.append((trial.ranks[Int(centre.atom)], clockwise))
                }
            }
            resolved.sort { $0.rank < $1.rank }
            return resolved.map { $0.clockwise ? 1 : 0 }
        }

        private func singlingOut(_ atom: Int32, in ranking: CanonicalRanking) -> CanonicalRanking {
            var result = ranking
            result.single(out: atom)
            guard !centres.isEmpty || !doubleBonds.isEmpty else { return result }
            while true {
                let keys = CanonicalLabeling.stereoKeys(
                    centres: centres, doubleBonds: doubleBonds, relations: relations, perceived: perceived,
                    ranks: result.ranks)
                if !result.split(byKeys: keys) { break }
            }
            return result
        }
    }

    /// Per-atom stereo invariants: a centre's handedness relative to its neighbours' ranks,
    /// a double bond's cis/trans relative to its lowest-ranked substituents, and the cis and
    /// trans counts of ring centres.
    private static func stereoKeys(
        centres: [StereoElements.Centre], doubleBonds: [StereoElements.DoubleBond], relations: RingRelations,
        perceived: PerceivedMolecule, ranks: [Int32]
    ) -> [UInt64] {
        var keys = [UInt64](repeating: 0, count: ranks.count)
        for centre in centres {
            if let clockwise = parity(of: centre, ranks: ranks) { keys[Int(centre.atom)] |= clockwise ? 2 : 1 }
        }
        for bond in doubleBonds {
            guard let trans = configuration(of: bond, perceived: perceived, ranks: ranks) else { continue }
            let value: UInt64 = trans ? 8 : 4
            keys[Int(bond.first)] |= value
            keys[Int(bond.second)] |= value
        }
        for (atom, count) in relations.counts {
            keys[Int(atom)] |= UInt64(min(count.same, 0xFFFF)) << 16 | UInt64(min(count.opposite, 0xFFFF)) << 32
        }
        return keys
    }

    /// Whether the centre is clockwise looking from its lowest-ranked neighbour (an implicit
    /// hydrogen or lone pair ranking lowest); `nil` while two neighbours share a rank.
    static func parity(of centre: StereoElements.Centre, ranks: [Int32]) -> Bool? {
        var values = SIMD4<Int32>(repeating: -1)
        for slot in 0..<4 where centre.neighbors[slot] >= 0 { values[slot] = ranks[Int(centre.neighbors[slot])] }
        var odd = false
        for first in 0..<4 {
            for second in (first + 1)..<4 {
                if values[first] == values[second] { return nil }
                if values[first] > values[second] { odd.toggle() }
            }
        }
        return centre.isClockwise != odd
    }

    /// Whether the lowest-ranked substituents of the two atoms are trans; `nil` while one atom
    /// has two substituents of one rank.
    static func configuration(
        of bond: StereoElements.DoubleBond, perceived: PerceivedMolecule, ranks: [Int32]
    ) -> Bool? {
        guard
            let first = lowestSubstituent(
                of: Int(bond.first), besides: Int(bond.second), perceived: perceived, ranks: ranks),
            let second = lowestSubstituent(
                of: Int(bond.second), besides: Int(bond.first), perceived: perceived, ranks: ranks)
        else { return nil }
        return (bond.isTrans != (first != bond.firstNeighbor)) != (second != bond.secondNeighbor)
    }

    private static func lowestSubstituent(
        of atom: Int, besides partner: Int, perceived: PerceivedMolecule, ranks: [Int32]
    ) -> Int32? {
        var lowest: Int32 = -1
        var tied = false
        for neighbor in perceived.molecule.neighbors(of: atom) where neighbor.atom != partner {
            if lowest < 0 || ranks[neighbor.atom] < ranks[Int(lowest)] {
                lowest = Int32(neighbor.atom)
                tied = false
            } else if ranks[neighbor.atom] == ranks[Int(lowest)] {
                tied = true
            }
        }
        return tied || lowest < 0 ? nil : lowest
    }
}

/// Cis/trans relations between ring centres whose two ring neighbours are alike.
///
/// Such a centre has no handedness relative to ranks, but walking once round the ring, its
/// first substituent lies on one face; two centres on the same ring are cis when they use the
/// same face. Reversing the walk flips every face, so the relation does not depend on it.
struct RingRelations {
    /// For each related centre, how many centres on its rings share its face and how many not.
    var counts: [Int32: (same: Int, opposite: Int)] = [:]

    init() {}

    init(_ centres: [StereoElements.Centre], perceived: PerceivedMolecule, ranks: [Int32]) {
        guard !centres.isEmpty, !perceived.ringAtoms.isEmpty else { return }
        var centreOf: [Int32: Int] = [:]
        for (index, centre) in centres.enumerated() where CanonicalLabeling.parity(of: centre, ranks: ranks) == nil {
            centreOf[centre.atom] = index
        }
        guard centreOf.count >= 2 else { return }
        var faces: [(atom: Int32, face: Bool)] = []
        for ring in RingRelations.cycles(through: centreOf, centres: centres, perceived: perceived, ranks: ranks) {
            faces.removeAll(keepingCapacity: true)
            for (slot, atom) in ring.enumerated() {
                guard let index = centreOf[Int32(atom)] else { continue }
                let previous = Int32(ring[(slot + ring.count - 1) % ring.count])
                let next = Int32(ring[(slot + 1) % ring.count])
                if let face = RingRelations.face(of: centres[index], previous: previous, next: next, ranks: ranks) {
                    faces.append((Int32(atom), face))
                }
            }
            guard faces.count >= 2 else { continue }
            for first in faces {
                var count = counts[first.atom] ?? (0, 0)
                for second in faces where second.atom != first.atom {
                    if first.face == second.face { count.same += 1 } else { count.opposite += 1 }
                }
                counts[first.atom] = count
            }
        }
    }

    // The rings of the ring set, plus for a centre whose two alike neighbours are not next
    // to it on any of them (a decalin bridgehead, whose alike neighbours lie in different
    // rings), the shortest cycle through both.
    private static func cycles(
        through centreOf: [Int32: Int], centres: [StereoElements.Centre], perceived: PerceivedMolecule,
        ranks: [Int32]
    ) -> [[Int]] {
        var result = perceived.ringAtoms.filter { $0.count >= 3 }
        var covered = Set<SIMD3<Int32>>()
        for ring in result {
            for (slot, atom) in ring.enumerated() where centreOf[Int32(atom)] != nil {
                let previous = Int32(ring[(slot + ring.count - 1) % ring.count])
                let next = Int32(ring[(slot + 1) % ring.count])
                covered.insert(SIMD3(Int32(atom), min(previous, next), max(previous, next)))
            }
        }
        var seen = Set(result.map { $0.sorted() })
        for atom in centreOf.keys.sorted() {
            guard let index = centreOf[atom], let pair = alikePair(of: centres[index], ranks: ranks),
                !covered.contains(SIMD3(atom, min(pair.0, pair.1), max(pair.0, pair.1))),
                let path = shortestPath(
                    from: Int(pair.0), to: Int(pair.1), avoiding: Int(atom), in: perceived, ranks: ranks)
            else { continue }
            let cycle = [Int(atom)] + path
            if seen.insert(cycle.sorted()).inserted { result.append(cycle) }
        }
        return result
    }

    // The two neighbours of a centre that share a rank, when exactly two do.
    private static func alikePair(of centre: StereoElements.Centre, ranks: [Int32]) -> (Int32, Int32)? {
        var pair: (Int32, Int32)?
        for first in 0..<4 where centre.neighbors[first] >= 0 {
            for second in (first + 1)..<4 where centre.neighbors[second] >= 0 {
                guard ranks[Int(centre.neighbors[first])] == ranks[Int(centre.neighbors[second])] else { continue }
                if pair != nil { return nil }
                pair = (centre.neighbors[first], centre.neighbors[second])
            }
        }
        return pair
    }

    // Breadth-first, neighbours in rank order; the atoms from `start` to `goal`.
    private static func shortestPath(
        from start: Int, to goal: Int, avoiding avoided: Int, in perceived: PerceivedMolecule, ranks: [Int32]
    ) -> [Int]? {
        let molecule = perceived.molecule
        var next: [Int] = []
        var previous = [Int32](repeating: -1, count: molecule.atoms.count)
        previous[start] = Int32(start)
        previous[avoided] = Int32(avoided)
        var queue = [start]
        var head = 0
        while head < queue.count {
            let atom = queue[head]
            head += 1
            if atom == goal { break }
            next.removeAll(keepingCapacity: true)
            for neighbor in molecule.neighbors(of: atom) where previous[neighbor.atom] < 0 {
                next.append(neighbor.atom)
            }
            next.sort { ranks[$0] < ranks[$1] }
            for neighbor in next {
                previous[neighbor] = Int32(atom)
                queue.append(neighbor)
            }
        }
        guard previous[goal] >= 0 else { return nil }
        var path = [goal]
        var atom = goal
        while atom != start {
            atom = Int(previous[atom])
            path.append(atom)
        }
        return path.reversed()
    }

    /// Whether the centre has a relation to another centre on one of its rings.
    func isRelated(_ atom: Int32) -> Bool { counts[atom] != nil }

    // The face of a centre's first substituent, walking from `previous` to `next`: whether
    // (previous, next, lower substituent, higher substituent) runs clockwise. `nil` unless the
    // two ring neighbours are alike and the substituents differ from them and each other.
    private static func face(
        of centre: StereoElements.Centre, previous: Int32, next: Int32, ranks: [Int32]
    ) -> Bool? {
        guard ranks[Int(previous)] == ranks[Int(next)] else { return nil }
        var others: [Int32] = []
        var slots = SIMD4<Int32>(repeating: -1)
        for slot in 0..<4 {
            let neighbor = centre.neighbors[slot]
            if neighbor == previous {
                slots[slot] = 0
            } else if neighbor == next {
                slots[slot] = 1
            } else {
                others.append(neighbor)
            }
        }
        guard others.count == 2 else { return nil }
        let rank = { (atom: Int32) -> Int32 in atom < 0 ? -1 : ranks[Int(atom)] }
        let low = rank(others[0]) < rank(others[1]) ? others[0] : others[1]
        guard rank(others[0]) != rank(others[1]), rank(others[0]) != ranks[Int(previous)],
            rank(others[1]) != ranks[Int(previous)]
        else { return nil }
        for slot in 0..<4 where slots[slot] < 0 { slots[slot] = centre.neighbors[slot] == low ? 2 : 3 }
        var odd = false
        for first in 0..<4 {
            for second in (first + 1)..<4 where slots[first] > slots[second] { odd.toggle() }
        }
        return centre.isClockwise != odd
    }
}
