/// Compresses bytes into the Snappy raw format (not the framed format), as Parquet's `SNAPPY`
/// codec expects.
///
/// A greedy LZ77 matcher: input is cut into 64 KiB blocks so every back-reference fits a two-byte
/// offset; a hash of the next four bytes finds the last position with the same prefix, and a
/// verified match is extended as far as it goes. Bytes that find no match are emitted as literals,
/// and the search takes longer strides the longer it goes without a match, so incompressible
/// input costs little time. The compressor keeps its hash table and output scratch between calls
/// so compressing many pages does not allocate for each.
struct SnappyCompressor {
    /// The reference implementation's block size; offsets within a block fit in 16 bits.
    static let blockSize = 1 << 16
    private static let maxTableBits = 14
    /// Below this a block is stored as one literal: there is not enough input to search.
    private static let minimumBlockToSearch = 16

    private var table: [UInt16] = Array(repeating: 0, count: 1 << maxTableBits)
    private var scratch: [UInt8] = []

    init() {}

    /// Memory held between calls.
    var memoryBytes: Int { table.capacity * MemoryLayout<UInt16>.stride + scratch.capacity }

    /// Lets go of an output buffer a very large input needed.
    mutating func releaseScratch(above limit: Int) {
        if scratch.capacity > limit { scratch = [] }
    }

    /// The most bytes `count` input bytes can take once compressed.
    static func maxCompressedLength(_ count: Int) -> Int {
        32 + count + count / 6
    }

    /// Compresses `input`, returning exactly the compressed bytes.
    mutating func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = Self.maxCompressedLength(input.count)
        if scratch.count < bound {
            scratch = Array(repeating: 0, count: bound)
        }
        let written = scratch.withUnsafeMutableBufferPointer { output in
            table.withUnsafeMutableBufferPointer { table in
                Self.compress(input, into: output.baseAddress.unsafelyUnwrapped, table: table.baseAddress.unsafelyUnwrapped)
            }
        }
        return Array(scratch[0..<written])
    }

    /// Compresses `input` into `output` (at least ``maxCompressedLength(_:)`` bytes); returns the
    /// number of bytes written.
    private static func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>, table: UnsafeMutablePointer<UInt16>
    ) -> Int {
        var out = output
        // Preamble: the uncompressed length as a little-endian base-128 varint.
        var length = UInt64(input.count)
        while length >= 0x80 {
            out.pointee = UInt8(truncatingIfNeeded: length) | 0x80
            out += 1
            length >>= 7
        }
        out.pointee = UInt8(length)
        out += 1
        guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return out - output
        }
        var start = 0
        while start < input.count {
            let blockLength = min(blockSize, input.count - start)
            out = compressBlock(base + start, length: blockLength, into: out, table: table)
            start += blockLength
        }
        return out - output
    }

    private static func compressBlock(
        _ source: UnsafePointer<UInt8>, length: Int, into output: UnsafeMutablePointer<UInt8>,
        table: UnsafeMutablePointer<UInt16>
    ) -> UnsafeMutablePointer<UInt8> {
        var out = output
        guard length >= minimumBlockToSearch else {
            return emitLiteral(source, count: length, into: out)
        }
        // A table about the size of the block: small inputs need not clear 32 KiB.
        var tableBits = 8
        while tableBits < maxTableBits && (1 << tableBits) < length { tableBits += 1 }
        table.update(repeating: 0, count: 1 << tableBits)
        let shift = UInt32(32 - tableBits)

        let raw = UnsafeRawPointer(source)
        let lastSearchPosition = length - 4
        var position = 0
        var pendingLiteral = 0
        var misses = 0
        while position <= lastSearchPosition {
            let word = raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            let slot = Int((word &* 0x1E35_A7BD) >> shift)
            let candidate = Int(table[slot])
            table[slot] = UInt16(truncatingIfNeeded: position)
            guard candidate < position, raw.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == word else {
                misses += 1
                // Skip ahead faster the longer nothing matches (1 byte per probe for the first
                // 32 misses, then 2, ...), which keeps incompressible data cheap.
                position += 1 + (misses >> 5)
                continue
            }
            if pendingLiteral < position {
                out = emitLiteral(source + pendingLiteral, count: position - pendingLiteral, into: out)
            }
            let matched = 4 + matchLength(raw, candidate + 4, position + 4, end: length)
            out = emitCopy(offset: position - candidate, length: matched, into: out)
            position += matched
            pendingLiteral = position
            misses = 0
            // Index the position just before the match's end too: runs and repeated records
            // often continue from there.
            if position - 1 <= lastSearchPosition {
                let previous = raw.loadUnaligned(fromByteOffset: position - 1, as: UInt32.self)
                table[Int((previous &* 0x1E35_A7BD) >> shift)] = UInt16(truncatingIfNeeded: position - 1)
            }
        }
        if pendingLiteral < length {
            out = emitLiteral(source + pendingLiteral, count: length - pendingLiteral, into: out)
        }
        return out
    }

    /// How many bytes from `first` and `second` agree, stopping at `end` (`first` < `second`).
    @inline(__always)
    private static func matchLength(_ raw: UnsafeRawPointer, _ first: Int, _ second: Int, end: Int) -> Int {
        var matched = 0
        while second + matched + 8 <= end {
            let difference =
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: first + matched, as: UInt64.self))
                ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: second + matched, as: UInt64.self))
            if difference != 0 {
                return matched + difference.trailingZeroBitCount >> 3
            }
            matched += 8
        }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        while second + matched < end && bytes[first + matched] == bytes[second + matched] {
            matched += 1
        }
        return matched
    }

    /// A literal element: tag with the length (inline below 61, else in 1–4 extra bytes), then the bytes.
    private static func emitLiteral(
        _ source: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var out = output
        let lengthMinusOne = count - 1
        if lengthMinusOne < 60 {
            out.pointee = UInt8(lengthMinusOne << 2)
            out += 1
        } else {
            var extraBytes = 1
            while extraBytes < 4 && lengthMinusOne >> (8 * extraBytes) != 0 { extraBytes += 1 }
            out.pointee = UInt8((59 + extraBytes) << 2)
            out += 1
            for index in 0..<extraBytes {
                out.pointee = UInt8(truncatingIfNeeded: lengthMinusOne >> (8 * index))
                out += 1
            }
        }
        out.update(from: source, count: count)
        return out + count
    }

    /// Copy elements for a match of any length, each covering at most 64 bytes.
    private static func emitCopy(
        offset: Int, length: Int, into output: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var out = output
        var remaining = length
        // Keep the last piece at least 4 long so it can use the one-byte-offset form.
        while remaining >= 68 {
            out = emitShortCopy(offset: offset, length: 64, into: out)
            remaining -= 64
        }
        if remaining > 64 {
            out = emitShortCopy(offset: offset, length: 60, into: out)
            remaining -= 60
        }
        return emitShortCopy(offset: offset, length: remaining, into: out)
    }

    /// One copy element of 1...64 bytes at `offset` < 65536 back.
    @inline(__always)
    private static func emitShortCopy(
        offset: Int, length: Int, into output: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        if length >= 4 && length <= 11 && offset < 2048 {
            // Tag 01: 3 bits of length - 4, the offset's top 3 bits, then its low byte.
            output[0] = UInt8(0b01 | (length - 4) << 2 | (offset >> 8) << 5)
            output[1] = UInt8(truncatingIfNeeded: offset)
            return output + 2
        }
        // Tag 10: 6 bits of length - 1, then a 16-bit little-endian offset.
        output[0] = UInt8(0b10 | (length - 1) << 2)
        output[1] = UInt8(truncatingIfNeeded: offset)
        output[2] = UInt8(truncatingIfNeeded: offset >> 8)
        return output + 3
    }
}
