// Atom and bond queries flattened for fast matching. The query trees of SMARTSQuery.swift are
// convenient to build but slow to walk (every indirect case is a reference-counted box), and
// matching runs them millions of times per second. So each pattern atom becomes:
//
// - an `AtomFilter`: the elements and aromaticity it can possibly accept, a conservative
//   superset tested with two bit operations before anything else; and
// - a run of `QueryNode`s in prefix order, each knowing where its subtree ends, evaluated with
//   short-circuits and no allocation.
//
// A bond query depends only on the bond's order and whether it is in a ring, so it compiles
// to a 12-bit set of the (order, ring) combinations it accepts.

/// What a pattern atom can possibly match: a superset of elements and aromaticity.
struct AtomFilter: Sendable {
    var low: UInt64
    var high: UInt64
    // Bit 0: aliphatic atoms pass; bit 1: aromatic atoms pass.
    var aromaticity: UInt8

    static let everything = AtomFilter(low: .max, high: .max, aromaticity: 3)

    init(low: UInt64, high: UInt64, aromaticity: UInt8) {
        self.low = low
        self.high = high
        self.aromaticity = aromaticity
    }

    init(element: UInt8, aromaticity: UInt8) {
        low = element < 64 ? 1 << UInt64(element) : 0
        high = element < 64 ? 0 : 1 << UInt64(element - 64)
        self.aromaticity = aromaticity
    }

    /// How many atoms of `molecule` can pass: exact for filters naming a few elements, an upper
    /// bound otherwise.
    func admittedCount(in molecule: PerceivedMolecule) -> Int {
        let bits = low.nonzeroBitCount + high.nonzeroBitCount
        let aliphaticPass = aromaticity & 1 == 1
        let aromaticPass = aromaticity & 2 == 2
        guard bits <= 6 else {
            return (aliphaticPass ? molecule.atomCount - molecule.aromaticAtomCount : 0)
                + (aromaticPass ? molecule.aromaticAtomCount : 0)
        }
        var total = 0
        for (word, offset) in [(low, 0), (high, 64)] {
            var rest = word
            while rest != 0 {
                let element = rest.trailingZeroBitCount + offset
                rest &= rest - 1
                guard element < 119 else { continue }
                if aliphaticPass { total += Int(molecule.elementCounts[2 * element]) }
                if aromaticPass { total += Int(molecule.elementCounts[2 * element + 1]) }
            }
        }
        return total
    }

    func admits(element: UInt8, aromatic: Bool) -> Bool {
        let inSet = element < 64 ? (low >> UInt64(element)) & 1 : (high >> UInt64(element &- 64)) & 1
        return inSet == 1 && (aromaticity >> (aromatic ? 1 : 0)) & 1 == 1
    }

    func intersection(_ other: AtomFilter) -> AtomFilter {
        AtomFilter(low: low & other.low, high: high & other.high, aromaticity: aromaticity & other.aromaticity)
    }

    func union(_ other: AtomFilter) -> AtomFilter {
        AtomFilter(low: low | other.low, high: high | other.high, aromaticity: aromaticity | other.aromaticity)
    }

    /// The filter of a query; `root` gives a recursive pattern's own first-atom filter.
    static func of(_ query: AtomQuery) -> AtomFilter {
        switch query {
        case .element(let number, let aromatic): return AtomFilter(element: number, aromaticity: aromatic ? 2 : 1)
        case .atomicNumber(let number): return AtomFilter(element: number, aromaticity: 3)
        case .aromatic: return AtomFilter(low: .max, high: .max, aromaticity: 2)
        case .aliphatic: return AtomFilter(low: .max, high: .max, aromaticity: 1)
        case .recursive(let pattern): return pattern.storage.filters.first ?? .everything
        case .and(let parts): return parts.reduce(.everything) { $0.intersection(of($1)) }
        case .or(let parts):
            return parts.reduce(AtomFilter(low: 0, high: 0, aromaticity: 0)) { $0.union(of($1)) }
        default: return .everything
        }
    }
}

/// One node of a flattened atom query.
struct QueryNode: Sendable {
    enum Kind: UInt8, Sendable {
        case any, element, aromaticElement, atomicNumber, aromatic, aliphatic, totalHydrogens
        case implicitHydrogens, degree, totalDegree, valence, ringMembership, ringSize, ringConnectivity
        case charge, isotope, recursive, not, and, or
    }

    let kind: Kind
    // The primitive's number; -1 for "at least one" forms (`R`, `r`, `x`, `h`); for
    // `recursive`, the index of the inner pattern.
    let value: Int32
    // One past the last node of this node's subtree.
    let end: Int32

    /// Appends `query` in prefix order.
    static func flatten(_ query: AtomQuery, into nodes: inout [QueryNode], recursives: inout [SMARTSPattern.Storage]) {
        let start = nodes.count
        func leaf(_ kind: Kind, _ value: Int) {
            nodes.append(QueryNode(kind: kind, value: Int32(clamping: value), end: Int32(start + 1)))
        }
        func branch(_ kind: Kind, _ parts: [AtomQuery]) {
            nodes.append(QueryNode(kind: kind, value: 0, end: 0))
            for part in parts { flatten(part, into: &nodes, recursives: &recursives) }
            nodes[start] = QueryNode(kind: kind, value: 0, end: Int32(nodes.count))
        }
        switch query {
        case .any: leaf(.any, 0)
        case .element(let number, let aromatic): leaf(aromatic ? .aromaticElement : .element, Int(number))
        case .atomicNumber(let number): leaf(.atomicNumber, Int(number))
        case .aromatic: leaf(.aromatic, 0)
        case .aliphatic: leaf(.aliphatic, 0)
        case .totalHydrogens(let count): leaf(.totalHydrogens, count)
        case .implicitHydrogens(let count): leaf(.implicitHydrogens, count ?? -1)
        case .degree(let count): leaf(.degree, count)
        case .totalDegree(let count): leaf(.totalDegree, count)
        case .valence(let count): leaf(.valence, count)
        case .ringMembership(let count): leaf(.ringMembership, count ?? -1)
        case .ringSize(let size): leaf(.ringSize, size ?? -1)
        case .ringConnectivity(let count): leaf(.ringConnectivity, count ?? -1)
        case .charge(let charge): leaf(.charge, charge)
        case .isotope(let isotope): leaf(.isotope, isotope)
        case .recursive(let pattern):
            recursives.append(pattern.storage)
            leaf(.recursive, recursives.count - 1)
        case .not(let inner): branch(.not, [inner])
        // Order does not change a conjunction or disjunction of pure tests, so the cheap
        // primitives go first and recursive patterns only run when they still matter.
        case .and(let parts): branch(.and, parts.sorted { cost($0) < cost($1) })
        case .or(let parts): branch(.or, parts.sorted { cost($0) < cost($1) })
        }
    }

    // 0 for a query of primitives only, 1 when it runs a recursive pattern.
    private static func cost(_ query: AtomQuery) -> Int {
        switch query {
        case .recursive: 1
        case .not(let inner): cost(inner)
        case .and(let parts), .or(let parts): parts.map(cost).max() ?? 0
        default: 0
        }
    }
}

/// Bond queries as the set of (order, ring) pairs they accept.
enum BondMask {
    /// The bits of ring bonds of every order.
    static let ringBits: UInt16 = 0b1111_1100_0000

    /// The bit of a bond of `order`, in a ring or not.
    static func bit(order: Bond.Order, inRing: Bool) -> UInt16 {
        1 << UInt16(Int(order.rawValue) + (inRing ? 6 : 0))
    }

    /// The accepted combinations of `query`.
    static func of(_ query: BondQuery) -> UInt16 {
        var mask: UInt16 = 0
        for order in [Bond.Order.single, .double, .triple, .quadruple, .aromatic, .dative] {
            for ring in [false, true] where accepts(query, order: order, inRing: ring) {
                mask |= bit(order: order, inRing: ring)
            }
        }
        return mask
    }

    private static func accepts(_ query: BondQuery, order: Bond.Order, inRing: Bool) -> Bool {
        switch query {
        case .singleOrAromatic: order == .single || order == .aromatic
        case .single: order == .single
        case .double: order == .double
        case .triple: order == .triple
        case .quadruple: order == .quadruple
        case .aromatic: order == .aromatic
        case .any: true
        case .ring: inRing
        case .not(let inner): !accepts(inner, order: order, inRing: inRing)
        case .and(let parts): parts.allSatisfy { accepts($0, order: order, inRing: inRing) }
        case .or(let parts): parts.contains { accepts($0, order: order, inRing: inRing) }
        }
    }
}
