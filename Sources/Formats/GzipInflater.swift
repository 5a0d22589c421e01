import CZlib
import Foundation

/// Why a compressed input could not be read.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data is not gzip (or is damaged); zlib's message says where.
    case damaged(String)
    /// The data ends before the compressed stream does.
    case truncated
    /// Decompressed, the data would be larger than the allowed number of bytes.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .damaged(let message): "the gzip data is damaged: \(message)"
        case .truncated: "the gzip data ends before its compressed stream does"
        case .tooLarge(let limit): "decompressed, the data is larger than \(limit) bytes, the limit"
        }
    }
}

/// Decompresses gzip data (RFC 1952) as it arrives, with a cap on the decompressed size, so an
/// upload is never held whole in memory and a small "zip bomb" cannot fill the disk.
///
/// Several gzip members one after another (as `cat a.gz b.gz` makes) decompress to the
/// concatenation of their contents, as `gunzip` does.
public final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let limit: Int
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    /// Decompressed bytes so far.
    public private(set) var producedCount = 0
    /// Whether the last member ended exactly at the end of the input given so far.
    private var atMemberEnd = false
    private var sawInput = false

    /// Starts a decompressor that refuses to produce more than `limit` bytes.
    /// - Throws: ``GzipError`` when zlib cannot start.
    public init(limit: Int = .max) throws {
        self.limit = limit
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window and the gzip wrapper (not raw deflate or zlib).
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw GzipError.damaged("zlib could not start (\(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses `input`, handing each piece of output to `emit`.
    /// - Throws: ``GzipError``, or what `emit` throws.
    public func append(_ input: UnsafeRawBufferPointer, emit: (ArraySlice<UInt8>) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        sawInput = true
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while stream.pointee.avail_in > 0 {
            if atMemberEnd {
                // Another member follows the one that ended.
                guard inflateReset(stream) == Z_OK else { throw GzipError.damaged("zlib could not start the next member") }
                atMemberEnd = false
            }
            let produced = output.withUnsafeMutableBufferPointer { buffer -> (Int, Int32) in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                let status = inflate(stream, Z_NO_FLUSH)
                return (buffer.count - Int(stream.pointee.avail_out), status)
            }
            let (count, status) = produced
            producedCount += count
            guard producedCount <= limit else { throw GzipError.tooLarge(limit: limit) }
            if count > 0 { try emit(output[0..<count]) }
            switch status {
            case Z_STREAM_END: atMemberEnd = true
            case Z_OK, Z_BUF_ERROR: continue
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw GzipError.damaged(message)
            }
        }
    }

    /// Checks that the data ended with a complete member.
    /// - Throws: ``GzipError/truncated`` when it did not.
    public func finish() throws {
        guard sawInput, atMemberEnd else { throw GzipError.truncated }
    }

    /// Whether `prefix` starts like gzip data (the magic bytes 1F 8B).
    public static func looksCompressed(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.starts(with: [0x1F, 0x8B])
    }

    /// Decompresses the file at `source` into `destination`, refusing more than `limit` bytes.
    /// - Throws: ``GzipError`` or an I/O error; `destination` is removed on failure.
    public static func decompress(file source: URL, to destination: URL, limit: Int = .max) throws {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
        let output = try FileHandle(forWritingTo: destination)
        do {
            let inflater = try GzipInflater(limit: limit)
            while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
                try block.withUnsafeBytes { bytes in
                    try inflater.append(bytes) { try output.write(contentsOf: $0) }
                }
            }
            try inflater.finish()
            try output.close()
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(at: destination)
            throw error
        }
    }
}
