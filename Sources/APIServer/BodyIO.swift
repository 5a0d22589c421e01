import Formats
import Foundation
import Hummingbird

extension APIServer {
    /// The whole body, refusing more than `limit` bytes with 413 after reading at most that much.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        var data = Data()
        for try await buffer in request.body {
            guard data.count + buffer.readableBytes <= limit else { throw tooLarge(limit) }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return data
    }

    /// Streams the body to `url`, refusing more than `limit` bytes with 413; memory use is one buffer.
    ///
    /// A gzip body (sent with `Content-Encoding: gzip`, or a `.gz` file, recognised by its first
    /// bytes) is decompressed on the way, and refused with 413 once it would grow past
    /// `decompressedLimit`; damaged or truncated gzip is a 400.
    static func spool(_ request: Request, to url: URL, limit: Int, decompressedLimit: Int) async throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let declared = request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces)
        if let declared, !["gzip", "x-gzip", "identity"].contains(declared) {
            throw ProblemDetails(
                .unsupportedMediaType, type: "submission/unsupported_encoding",
                detail: "Content-Encoding '\(declared.prefix(64))' is not supported; send the file as it is or gzip-compressed",
                validChoices: ["gzip", "identity"])
        }
        var written = 0
        var inflater: GzipInflater?
        // The first bytes, held until there are two: enough to recognise gzip by its magic
        // number however the body happens to be split.
        var head: [UInt8]? = []
        let declaredGzip = declared == "gzip" || declared == "x-gzip"
        func store(_ bytes: UnsafeRawBufferPointer) throws {
            if let inflater {
                try inflater.append(bytes) { try handle.write(contentsOf: $0) }
            } else {
                try handle.write(contentsOf: bytes)
            }
        }
        func decide(_ start: [UInt8]) throws {
            if declaredGzip || GzipInflater.looksCompressed(start) { inflater = try GzipInflater(limit: decompressedLimit) }
            head = nil
            try start.withUnsafeBytes { try store($0) }
        }
        do {
            for try await buffer in request.body {
                written += buffer.readableBytes
                guard written <= limit else { throw tooLarge(limit) }
                if var start = head {
                    start.append(contentsOf: buffer.readableBytesView)
                    if start.count >= 2 { try decide(start) } else { head = start }
                    continue
                }
                try buffer.withUnsafeReadableBytes { try store($0) }
            }
            if let start = head, !start.isEmpty || declaredGzip { try decide(start) }
            try inflater?.finish()
        } catch let error as GzipError {
            if case .tooLarge(let cap) = error {
                throw ProblemDetails(
                    .contentTooLarge, type: "submission/too_large",
                    detail: "the upload decompresses to more than \(cap) bytes, the limit for compressed uploads")
            }
            throw ProblemDetails(.badRequest, type: "submission/bad_compression", detail: "the upload could not be decompressed: \(error)")
        }
    }

    /// A collected body as sent, or decompressed when it came with `Content-Encoding: gzip`
    /// (413 past `limit` decompressed, 400 for damaged gzip, 415 for another encoding).
    static func decoded(_ body: Data, of request: Request, limit: Int) throws -> Data {
        let declared = request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces) ?? "identity"
        switch declared {
        case "identity": return body
        case "gzip", "x-gzip":
            var plain = Data()
            do {
                let inflater = try GzipInflater(limit: limit)
                try body.withUnsafeBytes { bytes in try inflater.append(bytes) { plain.append(contentsOf: $0) } }
                try inflater.finish()
            } catch let error as GzipError {
                if case .tooLarge = error { throw tooLarge(limit) }
                throw ProblemDetails(.badRequest, type: "submission/bad_compression", detail: "the body could not be decompressed: \(error)")
            }
            return plain
        default:
            throw ProblemDetails(
                .unsupportedMediaType, type: "submission/unsupported_encoding",
                detail: "Content-Encoding '\(declared.prefix(64))' is not supported; send the body as it is or gzip-compressed",
                validChoices: ["gzip", "identity"])
        }
    }

    static func tooLarge(_ limit: Int) -> ProblemDetails {
        ProblemDetails(.contentTooLarge, type: "submission/too_large", detail: "the request body is larger than \(limit) bytes, the limit")
    }

    /// A response body that streams `range` of a file in 64 KiB pieces.
    static func fileBody(_ url: URL, range: Range<Int>) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            var remaining = range.count
            while remaining > 0, let data = try handle.read(upToCount: min(1 << 16, remaining)), !data.isEmpty {
                try await writer.write(ByteBuffer(bytes: data))
                remaining -= data.count
            }
            try await writer.finish(nil)
        }
    }

    /// Parses an optional integer parameter, with a 422 naming it when it is not a number in range.
    static func integer(_ text: Substring?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ProblemDetails(
                .unprocessableContent, type: "parameter/invalid",
                detail: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound); got '\(text.prefix(40))'",
                field: name)
        }
        return value
    }
}
