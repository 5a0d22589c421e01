extension SMILESReader {
    /// A bond symbol read but not yet attached to its second atom.
    struct PendingBond {
        /// The written order; `nil` for `/` and `\`, whose order depends on the atoms.
        var order: Bond.Order?
        var direction: Bond.Direction
        /// `<-`: the atom after the symbol is the donor.
        var isReversed: Bool
        /// Whether an atom came right before the symbol (not a `(`), so a ring number may follow.
        var followsAtom: Bool
        var position: Int32
    }

    /// A `(` waiting for its `)`: the atom the branch hangs from.
    struct OpenBranch {
        var atom: Int32
        var position: Int32
    }

    /// A ring bond number that has been opened and waits for its partner.
    struct OpenRing {
        var number: Int32
        var atom: Int32
        var bond: PendingBond?
        var position: Int32
    }

    /// A ring-closure bond and the position of the number that closed it.
    struct RingBondPosition {
        var bond: Int32
        var position: Int32
        var number: Int32
        /// The position of the number that opened it.
        var opening: Int32 = 0
    }

    /// Reads one bond symbol at `index`: `-` `=` `#` `$` `:` `/` `\` `->` `<-`.
    mutating func readBond(followsAtom: Bool) throws(SMILESError) -> PendingBond {
        let start = index
        var bond = PendingBond(
            order: .single, direction: .none, isReversed: false, followsAtom: followsAtom,
            position: position(start))
        switch bytes[start] {
        case UInt8(ascii: "-"):
            if start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: ">") {
                bond.order = .dative
                index += 1
            }
        case UInt8(ascii: "="): bond.order = .double
        case UInt8(ascii: "#"): bond.order = .triple
        case UInt8(ascii: "$"): bond.order = .quadruple
        case UInt8(ascii: ":"): bond.order = .aromatic
        case UInt8(ascii: "/"):
            bond.order = nil
            bond.direction = .up
        case UInt8(ascii: "\\"):
            bond.order = nil
            bond.direction = .down
            // RDKit reads a doubled backslash, as left by string escaping, as one.
            if start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "\\") { index += 1 }
        default:
            guard start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "-") else {
                throw start + 1 < bytes.count
                    ? unexpected(at: start + 1, expecting: "'-' to complete the dative bond '<-'")
                    : SMILESError(
                        .danglingBond, at: Int(bond.position), "incomplete bond '<' at position \(bond.position)")
            }
            bond.order = .dative
            bond.isReversed = true
            index += 1
        }
        index += 1
        return bond
    }

    /// Reads a ring bond number at `index` and opens or closes that ring on `atom`.
    mutating func readRingBond(on atom: Int32, pending: PendingBond?) throws(SMILESError) {
        let start = index
        let number = try readRingNumber()
        if let slot = openRings.firstIndex(where: { $0.number == number }) {
            let open = openRings.remove(at: slot)
            guard open.atom != atom else {
                throw SMILESError(
                    .invalidRingBond, at: Int(position(start)),
                    "ring bond \(number) at position \(position(start)) would bond an atom to itself")
            }
            // As in RDKit, a bond symbol on the opening side wins over one on the closing side.
            if let opening = open.bond, opening.order != nil {
                addBond(open.atom, atom, opening)
            } else if let closing = pending, let order = closing.order {
                // A dative bond points away from the atom it is written after.
                if order == .dative { addBond(atom, open.atom, closing) } else { addBond(open.atom, atom, closing) }
            } else if open.bond == nil, let closing = pending, closing.direction != .none {
                // RDKit reads a `/` or `\` written at the closing number from the closing atom
                // to the opening one; the bond then begins at the closing atom, as if so written.
                addBond(atom, open.atom, closing)
            } else {
                addBond(open.atom, atom, open.bond ?? pending)
            }
            if ringBondPositions.capacity == 0 { ringBondPositions.reserveCapacity(16) }
            ringBondPositions.append(
                RingBondPosition(
                    bond: Int32(truncatingIfNeeded: bonds.count - 1), position: position(start),
                    number: number, opening: open.position))
        } else {
            if openRings.capacity == 0 { openRings.reserveCapacity(16) }
            openRings.append(OpenRing(number: number, atom: atom, bond: pending, position: position(start)))
        }
    }

    /// Reads `0`–`9`, `%nn` (10–99) or `%(n)` with up to five digits.
    private mutating func readRingNumber() throws(SMILESError) -> Int32 {
        let start = index
        let first = bytes[start]
        if first != UInt8(ascii: "%") {
            index += 1
            return Int32(first - UInt8(ascii: "0"))
        }
        guard start + 1 < bytes.count else {
            throw SMILESError(
                .unexpectedCharacter, at: origin + start,
                "'%' at position \(origin + start) must be followed by a ring number")
        }
        if bytes[start + 1] == UInt8(ascii: "(") {
            var value: Int32 = 0
            var cursor = start + 2
            while cursor < bytes.count, SMILESReader.isDigit(bytes[cursor]), cursor - start - 2 < 6 {
                value = value * 10 + Int32(bytes[cursor] - UInt8(ascii: "0"))
                cursor += 1
            }
            let digits = cursor - start - 2
            guard digits <= 5 else {
                throw SMILESError(
                    .numberOutOfRange, at: origin + start,
                    "ring number at position \(origin + start) is larger than 99999")
            }
            guard digits > 0, cursor < bytes.count, bytes[cursor] == UInt8(ascii: ")") else {
                throw cursor < bytes.count
                    ? unexpected(at: cursor, expecting: digits == 0 ? "a ring number" : "')'")
                    : SMILESError(
                        .unexpectedCharacter, at: origin + start,
                        "ring number '%(' at position \(origin + start) is not closed")
            }
            index = cursor + 1
            return value
        }
        guard start + 2 < bytes.count, SMILESReader.isDigit(bytes[start + 1]), SMILESReader.isDigit(bytes[start + 2]),
            bytes[start + 1] != UInt8(ascii: "0")
        else {
            throw SMILESError(
                .unexpectedCharacter, at: origin + start,
                "'%' at position \(origin + start) must be followed by two digits from 10 to 99 or by '(n)'")
        }
        index = start + 3
        return Int32(bytes[start + 1] - UInt8(ascii: "0")) * 10 + Int32(bytes[start + 2] - UInt8(ascii: "0"))
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
