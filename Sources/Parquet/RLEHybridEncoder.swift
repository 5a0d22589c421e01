/// Writes Parquet's RLE / bit-packing hybrid encoding, used for definition levels and for the
/// indices of dictionary-encoded pages.
///
/// The stream is a sequence of runs, each introduced by a ULEB128 header whose low bit picks the
/// kind: a repeated run `(count << 1)` followed by the value in `ceil(bitWidth / 8)` bytes, or a
/// bit-packed run `(groups << 1) | 1` followed by `groups * 8` values packed LSB first. A packed
/// run must hold whole groups of eight except at the very end of the data, where readers stop at
/// the page's value count; so when a repeat follows packed values, the packed run first borrows
/// from the repeat to reach a multiple of eight.
enum RLEHybridEncoder {
    /// A repeat shorter than this (after any borrowing) stays in the packed run: a run header plus
    /// a value costs more than eight packed values of small width.
    private static let minimumRepeat = 8

    /// Appends the encoding of `values` at `bitWidth` bits each (1...32) to `output`.
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: [Value], bitWidth: Int, into output: inout [UInt8]
    ) {
        values.withUnsafeBufferPointer { values in
            let count = values.count
            var packedStart = 0
            var packedCount = 0
            var index = 0
            while index < count {
                let value = values[index]
                var end = index + 1
                while end < count && values[end] == value { end += 1 }
                let repeatCount = end - index
                let borrow = (8 - packedCount % 8) % 8
                if repeatCount >= borrow + minimumRepeat {
                    packedCount += borrow
                    if packedCount > 0 {
                        writePacked(values, start: packedStart, count: packedCount, bitWidth: bitWidth, into: &output)
                    }
                    writeRepeat(UInt64(value), count: repeatCount - borrow, bitWidth: bitWidth, into: &output)
                    packedStart = end
                    packedCount = 0
                } else {
                    packedCount += repeatCount
                }
                index = end
            }
            if packedCount > 0 {
                writePacked(values, start: packedStart, count: packedCount, bitWidth: bitWidth, into: &output)
            }
        }
    }

    /// The bits needed for values up to `maximum` (at least 1, as a zero width is not portable).
    static func bitWidth(forMaximum maximum: Int) -> Int {
        max(1, Int.bitWidth - maximum.leadingZeroBitCount)
    }

    private static func writeRepeat(_ value: UInt64, count: Int, bitWidth: Int, into output: inout [UInt8]) {
        writeVarint(UInt64(count) << 1, into: &output)
        let valueBytes = (bitWidth + 7) / 8
        for byte in 0..<valueBytes {
            output.append(UInt8(truncatingIfNeeded: value >> (8 * byte)))
        }
    }

    /// Packs `count` values, padding with zeros to a whole group of eight.
    private static func writePacked<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, start: Int, count: Int, bitWidth: Int, into output: inout [UInt8]
    ) {
        let groups = (count + 7) / 8
        writeVarint(UInt64(groups) << 1 | 1, into: &output)
        var accumulator: UInt64 = 0
        var accumulatedBits = 0
        for slot in 0..<(groups * 8) {
            let value: UInt64 = slot < count ? UInt64(values[start + slot]) : 0
            accumulator |= value << UInt64(accumulatedBits)
            accumulatedBits += bitWidth
            while accumulatedBits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                accumulatedBits -= 8
            }
        }
        // Eight values of any width fill whole bytes, so nothing is left over.
    }

    private static func writeVarint(_ value: UInt64, into output: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        output.append(UInt8(remaining))
    }
}
