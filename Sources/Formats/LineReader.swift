import Foundation

/// Reads a file line by line with a fixed-size buffer, so memory never grows with the file or
/// with one enormous line.
///
/// Lines end at `\n`; a `\r` before it is removed. A line longer than ``maximumLineLength`` is
/// skipped up to its end and reported as ``Line/tooLong(number:)`` so the caller can turn it into
/// an error row instead of reading gigabytes into memory.
///
/// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
/// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
public final class LineReader {
    /// One line, or the news that a line was too long.
    public enum Line {
        /// The bytes of the line without its terminator.
        case text(ArraySlice<UInt8>)
        /// The line exceeded the limit and was skipped.
        case tooLong
    }

    /// Longest line returned in full, in bytes.
    public let maximumLineLength: Int
    private let handle: FileHandle
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var atEnd = false
    private let readSize: Int
    /// Bytes not yet read into the buffer, when the reader is limited to a part of the file.
    @exclusivity(unchecked) private var unread: UInt64?
    /// The byte offset in the file of the next line to be returned.
    @exclusivity(unchecked) public private(set) var offset: UInt64

    /// Opens `url` for reading from byte `offset`, to the end of the file or, with `length`, of
    /// that many bytes (one block of a file that holds several).
    /// - Throws: when the file cannot be opened or seeked.
    public init(url: URL, offset: UInt64 = 0, length: UInt64? = nil, maximumLineLength: Int = 1 << 20, readSize: Int = 1 << 16) throws {
        handle = try FileHandle(forReadingFrom: url)
        if offset > 0 { try handle.seek(toOffset: offset) }
        self.offset = offset
        unread = length
        self.maximumLineLength = maximumLineLength
        self.readSize = readSize
    }

    deinit { try? handle.close() }

    /// The next line, or `nil` at the end of the file. A final line without `\n` is returned too.
    /// - Throws: when reading fails.
    public func next() throws -> Line? {
        var skipping = false
        var scanFrom = start
        while true {
            if let newline = Self.newline(in: buffer, from: scanFrom) {
                let lineStart = start
                offset += UInt64(newline + 1 - start)
                start = newline + 1
                if skipping { return .tooLong }
                var end = newline
                if end > lineStart, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return .text(buffer[lineStart..<end])
            }
            if atEnd {
                guard start < buffer.count else { return skipping ? .tooLong : nil }
                let lineStart = start
                offset += UInt64(buffer.count - start)
                start = buffer.count
                if skipping { return .tooLong }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return .text(buffer[lineStart..<end])
            }
            if buffer.count - start > maximumLineLength {
                // Drop what we have of the over-long line and keep scanning for its end.
                skipping = true
                offset += UInt64(buffer.count - start)
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            // Bytes of the current line already searched for a newline need no second look.
            let scanned = buffer.count - start
            try fill()
            scanFrom = start + scanned
        }
    }

    /// The index of the first `\n` at or after `start`; `memchr` is far faster than a generic search.
    @inline(__always)
    static func newline(in buffer: [UInt8], from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) else {
                return nil
            }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let size = unread.map { Int(min(UInt64(readSize), $0)) } ?? readSize
        if size > 0, let data = try handle.read(upToCount: size), !data.isEmpty {
            buffer.append(contentsOf: data)
            unread? -= UInt64(data.count)
        } else {
            atEnd = true
        }
    }
}
