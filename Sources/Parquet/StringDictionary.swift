#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The distinct strings of one column chunk, in first-seen order, for dictionary encoding.
///
/// Entries are keyed by their exact UTF-8 bytes rather than by `String`, because Swift compares
/// strings by canonical equivalence and two differently normalised spellings must stay distinct
/// values in the file. The bytes live in one arena and an open-addressing table of entry numbers
/// finds them, so adding a value allocates nothing per entry.
struct StringDictionary {
    /// All entries' bytes, back to back.
    private(set) var arena: [UInt8] = []
    /// Entry `i` is `arena[offsets[i] ..< offsets[i + 1]]`.
    private(set) var offsets: [Int] = [0]
    /// Entry number + 1 per slot; 0 marks an empty slot. The count is a power of two, or zero
    /// until the first insertion, so columns that never use their dictionary cost nothing.
    private var slots: [Int32] = []
    private static let initialSlotCount = 1024

    init() {}

    /// The number of entries.
    var count: Int { offsets.count - 1 }

    /// The size of the dictionary page body: each entry PLAIN-encoded with a 4-byte length.
    var plainEncodedSize: Int { arena.count + 4 * count }

    /// Memory held, for the writer's accounting.
    var memoryBytes: Int {
        arena.capacity + offsets.capacity * MemoryLayout<Int>.stride + slots.capacity * MemoryLayout<Int32>.stride
    }

    /// The outcome of ``find(_:hash:)``: the entry number or the slot where it would go.
    enum Lookup {
        case found(Int)
        case absent(slot: Int)
    }

    /// Looks `bytes` up; `hash` must be ``hash(_:)`` of the same bytes.
    func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Lookup {
        guard !slots.isEmpty else { return .absent(slot: 0) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBytes { arena in
            while true {
                let stored = Int(slots[slot])
                if stored == 0 { return .absent(slot: slot) }
                let entry = stored - 1
                let start = offsets[entry]
                let length = offsets[entry + 1] - start
                if length == bytes.count
                    && (length == 0
                        || memcmp(arena.baseAddress.unsafelyUnwrapped + start, bytes.baseAddress.unsafelyUnwrapped, length) == 0)
                {
                    return .found(entry)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds `bytes` at the slot ``find(_:hash:)`` reported absent, returning the new entry number.
    mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, slot: Int) -> Int {
        var slot = slot
        if slots.isEmpty {
            // The first entry: any slot of the new, empty table is free, so take its home slot.
            slots = Array(repeating: 0, count: Self.initialSlotCount)
            slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        }
        let entry = count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        slots[slot] = Int32(entry + 1)
        // Keep the table at most half full so probe sequences stay short.
        if 2 * count > slots.count { grow() }
        return entry
    }

    /// Calls `body` with each entry's bytes in entry order.
    func forEachEntry(_ body: (UnsafeRawBufferPointer) -> Void) {
        arena.withUnsafeBytes { arena in
            for entry in 0..<count {
                body(UnsafeRawBufferPointer(rebasing: arena[offsets[entry]..<offsets[entry + 1]]))
            }
        }
    }

    /// Empties the dictionary for the next column chunk, giving back memory a large one used.
    mutating func reset() {
        arena = []
        offsets = [0]
        slots = []
    }

    private mutating func grow() {
        let newCount = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: newCount)
        let mask = newCount - 1
        arena.withUnsafeBytes { arena in
            for entry in 0..<count {
                let bytes = UnsafeRawBufferPointer(rebasing: arena[offsets[entry]..<offsets[entry + 1]])
                var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
                while newSlots[slot] != 0 { slot = (slot + 1) & mask }
                newSlots[slot] = Int32(entry + 1)
            }
        }
        slots = newSlots
    }

    /// A fast 64-bit hash of `bytes`, eight bytes per step.
    ///
    /// Not resistant to crafted collisions; the dictionary is capped in size, so the worst case
    /// is bounded and only slows encoding.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(bytes.count) &* multiplier
        var index = 0
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 29
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail) &* multiplier
        }
        hash ^= hash >> 32
        hash &*= 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 29
        return hash
    }
}
