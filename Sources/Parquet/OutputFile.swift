import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file a ``ParquetWriter`` streams into: written under a temporary name beside the target,
/// made durable with `fsync`, then renamed into place, so a reader finds either the complete
/// file or none at all (never one without its footer).
final class OutputFile {
    /// Writes smaller than this are gathered so small page headers do not each cost a system call.
    private static let bufferSize = 1 << 20

    let url: URL
    let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes written so far, buffered or not: the file offset of the next byte.
    private(set) var position: Int64 = 0

    /// Creates the temporary file next to `url`.
    /// - Throws: ``ParquetError/io(operation:path:errno:)`` when it cannot be created.
    init(url: URL) throws {
        self.url = url
        let folder = url.deletingLastPathComponent()
        temporaryPath = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError.io(operation: "create", path: temporaryPath, errno: errno)
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// Appends bytes.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends bytes; large ones go straight to the file after what is buffered.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        position += Int64(bytes.count)
        if buffer.count + bytes.count <= Self.bufferSize {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= Self.bufferSize {
            try writeFully(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what is buffered, fsyncs, closes and renames the file into place, then fsyncs the
    /// folder so the rename itself survives a crash. The temporary file is removed on failure.
    func commit() throws {
        do {
            try flush()
            guard fsync(descriptor) == 0 else {
                throw ParquetError.io(operation: "fsync", path: temporaryPath, errno: errno)
            }
            let closed = close(descriptor)
            descriptor = -1
            guard closed == 0 else {
                throw ParquetError.io(operation: "close", path: temporaryPath, errno: errno)
            }
            guard rename(temporaryPath, url.path) == 0 else {
                throw ParquetError.io(operation: "rename to \(url.path)", path: temporaryPath, errno: errno)
            }
        } catch {
            abandon()
            throw error
        }
        let folder = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            _ = close(folder)
        }
    }

    /// Closes and deletes the temporary file; nothing appears at ``url``.
    func abandon() {
        if descriptor >= 0 {
            _ = close(descriptor)
            descriptor = -1
        }
        _ = unlink(temporaryPath)
        buffer = []
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeFully($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress.unsafelyUnwrapped + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ParquetError.io(operation: "write", path: temporaryPath, errno: errno)
            }
            offset += written
        }
    }
}
