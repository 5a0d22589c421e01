import Crypto
import Foundation

/// Appends bytes to a new file through a buffer and makes them durable on ``close()``.
///
/// Files are written under a temporary name and renamed into place only after `fsync`, so a
/// reader either sees the whole file or none of it.
///
/// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
/// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
public final class BufferedFileWriter {
    private let handle: FileHandle
    private let temporaryURL: URL
    /// Where the file appears once closed.
    public let url: URL
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private let flushSize: Int
    private var closed = false
    private var hasher: SHA256?
    /// Bytes written so far (flushed or buffered).
    @exclusivity(unchecked) public private(set) var byteCount: UInt64 = 0
    /// The SHA-256 of the whole file once closed, if the writer was asked to compute it.
    public private(set) var sha256: [UInt8]?

    /// Creates the file's temporary twin next to `url`, creating folders as needed; with
    /// `hashing`, the file's SHA-256 is computed as it is written (see ``sha256``), which spares
    /// reading a large file a second time.
    /// - Throws: when the file cannot be created.
    public init(url: URL, flushSize: Int = 1 << 16, hashing: Bool = false) throws {
        self.url = url
        self.flushSize = flushSize
        hasher = hashing ? SHA256() : nil
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        temporaryURL = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporaryURL.path])
        }
        handle = try FileHandle(forWritingTo: temporaryURL)
        buffer.reserveCapacity(flushSize)
    }

    deinit {
        if !closed {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporaryURL)
        }
    }

    /// Appends bytes.
    /// - Throws: when a flush fails.
    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        byteCount += UInt64(bytes.count)
        if buffer.count >= flushSize { try flush() }
    }

    /// Appends the UTF-8 of `text`.
    /// - Throws: when a flush fails.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write($0) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        hasher?.update(data: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs, and renames the file into place (replacing an older file of that name).
    /// - Throws: when any step fails; the temporary file is then removed.
    public func close() throws {
        guard !closed else { return }
        closed = true
        do {
            try flush()
            let digest = hasher.map { Array($0.finalize()) }
            try handle.synchronize()
            try handle.close()
            if rename(temporaryURL.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
            Self.syncDirectory(url.deletingLastPathComponent())
            sha256 = digest
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw error
        }
    }

    /// Writes `bytes` as the whole file at `url`, durably: synced, renamed into place, and its
    /// folder synced, so that a small file named by something already announced (a schema beside
    /// a result) is there after a crash too. `Data.write(options: .atomic)` renames but never syncs.
    /// - Throws: when writing fails; nothing appears at `url` then.
    public static func writeDurably(_ bytes: some Collection<UInt8>, to url: URL) throws {
        let writer = try BufferedFileWriter(url: url)
        do {
            try writer.write(bytes)
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
    }

    /// Abandons the file: nothing appears at ``url``.
    public func discard() {
        guard !closed else { return }
        closed = true
        try? handle.close()
        try? FileManager.default.removeItem(at: temporaryURL)
    }

    /// Makes a rename durable: the directory entry itself must reach the disk.
    static func syncDirectory(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        Foundation.close(descriptor)
    }
}
