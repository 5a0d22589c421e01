// The query trees a SMARTS pattern compiles to. Atom and bond expressions keep SMARTS's
// logic (`!`, `&`, `,`, `;`) as nested cases; primitives test one property of the target.
// Stereo marks and atom maps are read and ignored, as RDKit ignores them in substructure
// matching by default.

/// One primitive test on an atom, or a combination of tests.
indirect enum AtomQuery: Sendable {
    /// `*`: any atom.
    case any
    /// An element written as a symbol: `C` (aliphatic), `c` (aromatic).
    case element(UInt8, aromatic: Bool)
    /// `#n`: an element whatever its aromaticity.
    case atomicNumber(UInt8)
    /// `a`.
    case aromatic
    /// `A`.
    case aliphatic
    /// `Hn`: hydrogens attached, hydrogen atoms of the graph included.
    case totalHydrogens(Int)
    /// `hn`: implicit hydrogens; `h` alone asks for at least one.
    case implicitHydrogens(Int?)
    /// `Dn`: neighbours in the graph.
    case degree(Int)
    /// `Xn`: neighbours plus attached hydrogens.
    case totalDegree(Int)
    /// `vn`: total valence, attached hydrogens included.
    case valence(Int)
    /// `Rn`: the number of rings the atom is in; `R` alone asks for at least one.
    case ringMembership(Int?)
    /// `rn`: in a ring of size n; `r` alone asks for any ring.
    case ringSize(Int?)
    /// `xn`: ring bonds at the atom; `x` alone asks for at least one.
    case ringConnectivity(Int?)
    /// `+n`, `-n`.
    case charge(Int)
    /// A mass number written before the symbol.
    case isotope(Int)
    /// `$(...)`: the atom is the first atom of a match of the inner pattern.
    case recursive(SMARTSPattern)
    /// `!`.
    case not(AtomQuery)
    /// `&`, `;` and juxtaposition.
    case and([AtomQuery])
    /// `,`.
    case or([AtomQuery])

    /// The element this query requires of every atom it matches, when there is one; used to
    /// skip whole patterns quickly.
    var requiredElement: UInt8? {
        switch self {
        case .element(let number, _), .atomicNumber(let number): number
        case .and(let parts):
            parts.lazy.compactMap(\.requiredElement).first
        case .or(let parts):
            if let first = parts.first?.requiredElement,
                parts.allSatisfy({ $0.requiredElement == first })
            {
                first
            } else {
                nil
            }
        default: nil
        }
    }
}

/// One primitive test on a bond, or a combination of tests.
indirect enum BondQuery: Sendable {
    /// No bond symbol: single or aromatic.
    case singleOrAromatic
    /// `-` (also `/` and `\`, which only add a direction).
    case single
    /// `=`.
    case double
    /// `#`.
    case triple
    /// `$`.
    case quadruple
    /// `:`.
    case aromatic
    /// `~`.
    case any
    /// `@`: a ring bond.
    case ring
    /// `!`.
    case not(BondQuery)
    /// `&`, `;` and juxtaposition.
    case and([BondQuery])
    /// `,`.
    case or([BondQuery])
}

/// A bond of a pattern: the two pattern atoms it joins and its test.
struct QueryBond: Sendable {
    let begin: Int
    let end: Int
    let query: BondQuery
}
