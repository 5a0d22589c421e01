import Foundation

/// Appends one block of bytes to a segment file that many blocks share, and makes it durable.
///
/// Chunk outputs are blocks in a few segment files rather than a file each: creating, renaming and
/// deleting a file per chunk cost more than everything else the engine does around a model. A
/// segment is only ever appended to by one writer at a time (its owner hands it out exclusively),
/// so the block's offset is the file's size when the writer opens it. A block counts once
/// ``close()`` has returned its range; bytes of a writer that failed or died halfway are cut off
/// or left behind unreferenced, and nobody reads them.
///
/// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
/// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
public final class SegmentAppender {
    private let descriptor: Int32
    private let url: URL
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private let flushSize: Int
    @exclusivity(unchecked) private var written: UInt64 = 0
    private var finished = false
    /// Where this block starts in the file.
    public let start: UInt64

    /// Opens `url` for appending, creating it (and its folder) if needed.
    /// - Throws: ``SegmentError`` when the file cannot be opened.
    public init(url: URL, flushSize: Int = 1 << 16) throws {
        self.url = url
        self.flushSize = flushSize
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SegmentError(path: url.path, operation: "open", code: errno) }
        self.descriptor = descriptor
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            Foundation.close(descriptor)
            throw SegmentError(path: url.path, operation: "stat", code: code)
        }
        start = UInt64(info.st_size)
        buffer.reserveCapacity(flushSize)
    }

    deinit { if !finished { discard() } }

    /// Appends bytes to the block.
    /// - Throws: ``SegmentError`` when a flush fails.
    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushSize { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw SegmentError(path: url.path, operation: "write", code: errno)
                }
                offset += count
            }
        }
        written += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, makes the block durable (and the file's name, if this writer
    /// created it) and returns the block's byte range.
    /// - Throws: ``SegmentError``; the block is then cut off again.
    public func close() throws -> Range<UInt64> {
        precondition(!finished, "segment block closed twice")
        do {
            try flush()
            guard fdatasync(descriptor) == 0 else { throw SegmentError(path: url.path, operation: "fdatasync", code: errno) }
        } catch {
            discard()
            throw error
        }
        finished = true
        Foundation.close(descriptor)
        // The first block of a file makes the file's name durable too: whoever created the file
        // may have failed before getting that far.
        if start == 0 { BufferedFileWriter.syncDirectory(url.deletingLastPathComponent()) }
        return start..<(start + written)
    }

    /// Abandons the block: the file is cut back to where the block began.
    public func discard() {
        guard !finished else { return }
        finished = true
        _ = ftruncate(descriptor, off_t(start))
        Foundation.close(descriptor)
    }
}

/// A segment file operation that failed.
public struct SegmentError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What was being done.
    public let operation: String
    /// `errno`.
    public let code: Int32
    public var description: String { "\(operation) '\(path)': \(String(cString: strerror(code)))" }
}

/// Where a chunk output lives: a whole file (`chunks/<request>/<task>-<attempt>.out`, as earlier
/// versions wrote) or a block of a segment file, written as `<file key>#<offset>+<length>`.
public struct ChunkLocation: Sendable, Equatable {
    /// The blob key of the file.
    public var fileKey: String
    /// The block's bytes, or `nil` for the whole file.
    public var range: Range<UInt64>?

    /// A block of a segment file.
    public init(fileKey: String, range: Range<UInt64>?) {
        self.fileKey = fileKey
        self.range = range
    }

    /// Parses a stored output key.
    public init(key: String) {
        guard let hash = key.lastIndex(of: "#"),
            let plus = key[hash...].firstIndex(of: "+"),
            let offset = UInt64(key[key.index(after: hash)..<plus]),
            let length = UInt64(key[key.index(after: plus)...])
        else {
            self.init(fileKey: key, range: nil)
            return
        }
        self.init(fileKey: String(key[..<hash]), range: offset..<(offset + length))
    }

    /// The key to store.
    public var key: String {
        guard let range else { return fileKey }
        return "\(fileKey)#\(range.lowerBound)+\(range.count)"
    }
}
