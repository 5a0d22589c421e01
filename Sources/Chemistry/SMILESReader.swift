/// Turns the bytes of one SMILES into atoms and bonds, checking the grammar only.
///
/// Branches and ring bonds are tracked on explicit stacks, so nesting depth costs memory in
/// proportion to the input and never recursion. Positions are byte offsets in the caller's
/// input (`origin` is where `bytes` starts in it).
struct SMILESReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let origin: Int
    var index = 0

    private(set) var atoms: [Atom] = []
    private(set) var atomPositions: [Int32] = []
    private(set) var bonds: [Bond] = []
    /// Ring-closure bonds and where they were closed, for the duplicate-bond check.
    var ringBondPositions: [RingBondPosition] = []

    private var branches: [OpenBranch] = []
    var openRings: [OpenRing] = []

    /// Where the reader stands: what may come next depends on it.
    private enum Context {
        /// At the start, or after `.`: only an atom may follow.
        case fragmentStart
        /// Just after `(`: a bond or an atom may follow.
        case branchStart
        /// Just after a bond symbol: an atom, or a ring number if an atom preceded the bond.
        case afterBond
        /// After an atom, a ring number or `)`: anything may follow.
        case afterAtom
    }

    init(bytes: UnsafeBufferPointer<UInt8>, origin: Int) {
        self.bytes = bytes
        self.origin = origin
        atoms.reserveCapacity(bytes.count)
        atomPositions.reserveCapacity(bytes.count)
        bonds.reserveCapacity(bytes.count)
    }

    mutating func read() throws(SMILESError) {
        var previous: Int32 = -1
        var pending: PendingBond?
        var context = Context.fragmentStart
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "("):
                guard context == .afterAtom else { throw misplaced("a branch", at: index) }
                if branches.capacity == 0 { branches.reserveCapacity(16) }
                branches.append(OpenBranch(atom: previous, position: position(index)))
                context = .branchStart
                index += 1
            case UInt8(ascii: ")"):
                guard let branch = branches.popLast() else {
                    throw SMILESError(
                        .unmatchedBranchClose, at: origin + index,
                        "')' at position \(origin + index) closes no branch")
                }
                switch context {
                case .afterAtom: break
                case .branchStart:
                    throw SMILESError(
                        .emptyBranch, at: Int(branch.position),
                        "empty branch opened at position \(branch.position)")
                case .afterBond: throw dangling(pending)
                case .fragmentStart: throw trailingDot(at: index - 1)
                }
                previous = branch.atom
                index += 1
            case UInt8(ascii: "."):
                guard context == .afterAtom else { throw misplacedDot(at: index) }
                previous = -1
                context = .fragmentStart
                index += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "%"):
                guard context == .afterAtom || (context == .afterBond && pending?.followsAtom == true) else {
                    throw misplaced("a ring bond", at: index)
                }
                try readRingBond(on: previous, pending: pending)
                pending = nil
                context = .afterAtom
            case UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: "$"),
                UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "<"):
                guard context == .afterAtom || context == .branchStart else {
                    throw misplaced("a bond", at: index)
                }
                pending = try readBond(followsAtom: context == .afterAtom)
                context = .afterBond
            default:
                let start = index
                let atom = try readAtom()
                let atomIndex = Int32(truncatingIfNeeded: atoms.count)
                atoms.append(atom)
                atomPositions.append(position(start))
                if previous >= 0 { addBond(previous, atomIndex, pending) }
                previous = atomIndex
                pending = nil
                context = .afterAtom
            }
        }
        try finish(context: context, pending: pending)
    }

    private func finish(context: Context, pending: PendingBond?) throws(SMILESError) {
        switch context {
        case .afterBond: throw dangling(pending)
        case .fragmentStart: throw trailingDot(at: index - 1)
        case .branchStart, .afterAtom: break
        }
        if let branch = branches.last {
            throw SMILESError(
                .unclosedBranch, at: Int(branch.position),
                "unclosed branch opened at position \(branch.position)")
        }
        if let ring = openRings.min(by: { $0.position < $1.position }) {
            throw SMILESError(
                .unclosedRing, at: Int(ring.position),
                "unclosed ring bond \(ring.number) opened at position \(ring.position)")
        }
    }

    /// Adds the bond between two atoms; `pending` holds the symbol written between them.
    mutating func addBond(_ left: Int32, _ right: Int32, _ pending: PendingBond?) {
        let order: Bond.Order
        if let written = pending?.order {
            order = written
        } else {
            // OpenSMILES: an unwritten (or only '/' '\') bond is aromatic between two aromatic atoms.
            order = atoms[Int(left)].isAromatic && atoms[Int(right)].isAromatic ? .aromatic : .single
        }
        let reversed = pending?.isReversed ?? false
        bonds.append(
            Bond(
                begin: reversed ? right : left, end: reversed ? left : right,
                order: order, direction: pending?.direction ?? .none))
    }

    func position(_ offset: Int) -> Int32 {
        Int32(truncatingIfNeeded: origin + offset)
    }

    func unexpected(at offset: Int, expecting: String) -> SMILESError {
        SMILESError(
            .unexpectedCharacter, at: origin + offset,
            "unexpected \(SMILESError.show(bytes[offset])) at position \(origin + offset); expected \(expecting)")
    }

    private func misplaced(_ what: String, at offset: Int) -> SMILESError {
        let code: SMILESError.Code = what == "a bond" || what == "a ring bond" ? .misplacedBond : .unexpectedCharacter
        return SMILESError(
            code, at: origin + offset,
            "\(what) cannot start at position \(origin + offset); an atom must come first")
    }

    private func dangling(_ pending: PendingBond?) -> SMILESError {
        let at = Int(pending?.position ?? position(index))
        return SMILESError(.danglingBond, at: at, "bond at position \(at) is not followed by an atom")
    }

    private func misplacedDot(at offset: Int) -> SMILESError {
        SMILESError(
            .misplacedDot, at: origin + offset,
            "'.' at position \(origin + offset) must separate two fragments")
    }

    private func trailingDot(at offset: Int) -> SMILESError {
        misplacedDot(at: max(offset, 0))
    }
}
