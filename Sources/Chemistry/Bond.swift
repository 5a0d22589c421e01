/// One bond of a ``Molecule``.
///
/// Aromatic bonds keep ``Order-swift.enum/aromatic`` as their order; the reader also gives
/// each aromatic ring bond a Kekulé order (single or double) in ``kekuleOrder``. Dative bonds
/// point from ``begin`` (the donor) to ``end``.
public struct Bond: Sendable, Hashable {
    /// The order of a bond.
    public enum Order: UInt8, Sendable, Hashable {
        /// `-`, or no symbol between atoms that are not both aromatic.
        case single
        /// `=`.
        case double
        /// `#`.
        case triple
        /// `$`.
        case quadruple
        /// `:`, or no symbol between two aromatic atoms.
        case aromatic
        /// `->` or `<-`, RDKit's dative bond.
        case dative
    }

    /// The double-bond stereo mark written on a single bond.
    public enum Direction: UInt8, Sendable, Hashable {
        /// No mark.
        case none
        /// `/`.
        case up
        /// `\`.
        case down
    }

    let storedBegin: Int32
    let storedEnd: Int32
    /// The bond order, possibly normalised from the input (nitro `N=O` becomes `[N+]-[O-]`).
    public internal(set) var order: Order
    /// The order in the Kekulé structure: single or double for aromatic bonds that touch a
    /// ring (and double for a ring bond to a wildcard that takes the double bond); otherwise
    /// equal to ``order``, so an aromatic bond between two chain atoms stays aromatic.
    public internal(set) var kekuleOrder: Order
    /// The `/` or `\` mark written on the bond.
    public let direction: Direction

    init(begin: Int32, end: Int32, order: Order, direction: Direction) {
        storedBegin = begin
        storedEnd = end
        self.order = order
        kekuleOrder = order
        self.direction = direction
    }

    /// Index of the first atom (the donor of a dative bond).
    public var begin: Int { Int(storedBegin) }

    /// Index of the second atom.
    public var end: Int { Int(storedEnd) }

    /// Whether the bond is aromatic.
    public var isAromatic: Bool { order == .aromatic }

    /// The atom at the other end of the bond from `atom`, which must be one of its ends.
    public func otherAtom(from atom: Int) -> Int {
        atom == Int(storedBegin) ? Int(storedEnd) : Int(storedBegin)
    }

    /// Twice the valence this bond contributes to `atom`: aromatic bonds count 1.5, and a
    /// dative bond counts only for its acceptor.
    func twiceValence(for atom: Int32) -> Int {
        switch order {
        case .single: 2
        case .double: 4
        case .triple: 6
        case .quadruple: 8
        case .aromatic: 3
        case .dative: atom == storedEnd ? 2 : 0
        }
    }
}
