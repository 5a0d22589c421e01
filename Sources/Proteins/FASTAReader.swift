import Foundation

/// Streams the records of a protein FASTA file, one at a time, in input order.
///
/// The file is read through a fixed-size buffer: memory stays bounded by the header and sequence
/// limits whatever the file size or line length. Sequences may span many lines; CRLF line ends, a
/// UTF-8 byte-order mark and whitespace inside lines are accepted; letters are upper-cased and one
/// trailing `*` stop is removed. A record that cannot be used (a header or sequence over its limit,
/// a character outside the extended amino-acid alphabet, an empty sequence, text before the first
/// `>`) comes back as a ``FASTARecord`` with an ``FASTARecord/error`` message, and reading goes on.
///
/// Not thread-safe: use one reader from one task.
public final class FASTAReader {
    /// How to read the file.
    public struct Configuration: Sendable, Hashable {
        /// Longest header in bytes, without the `>`; longer headers make error records.
        public var maximumHeaderBytes: Int
        /// Most residues in one sequence; longer sequences make error records.
        public var maximumSequenceLength: Int
        /// Bytes read from the file at a time.
        public var readSize: Int

        /// Creates a configuration; the defaults are 1 MiB headers and 100,000 residues.
        public init(maximumHeaderBytes: Int = 1 << 20, maximumSequenceLength: Int = 100_000, readSize: Int = 1 << 16) {
            self.maximumHeaderBytes = maximumHeaderBytes
            self.maximumSequenceLength = maximumSequenceLength
            self.readSize = readSize
        }
    }

    /// Which part of the file the byte being read belongs to.
    private enum Part {
        case preamble, header, sequence
    }

    /// The first character of a sequence that is not a residue.
    private struct InvalidCharacter {
        var bytes: [UInt8]
        var position: Int
    }

    /// Bytes of a long header kept in its error record, so the caller can still tell which it was.
    private static let headerPrefixBytes = 100

    /// The settings in use.
    public let configuration: Configuration
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    private var atFileStart = true

    private var part = Part.preamble
    private var atLineStart = true
    private var lineNumber = 1
    private var preambleLine: Int?
    private var header: [UInt8] = []
    private var headerOverflow = false
    private var residues: [UInt8] = []
    private var residueCount = 0
    private var position = 0
    private var pendingStop: Int?
    private var invalid: InvalidCharacter?
    private var inMultibyte = false
    private var capturingInvalid = false

    /// Opens `url`.
    /// - Throws: ``ProteinInputError`` with code `unreadableInput` when the file cannot be opened.
    public init(url: URL, configuration: Configuration = Configuration()) throws {
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ProteinInputError(
                code: .unreadableInput, message: "cannot open \(url.lastPathComponent): \(error.localizedDescription)")
        }
        // A read smaller than the byte-order mark could not recognise it.
        self.configuration = Configuration(
            maximumHeaderBytes: max(configuration.maximumHeaderBytes, 0),
            maximumSequenceLength: max(configuration.maximumSequenceLength, 0),
            readSize: max(configuration.readSize, 16))
    }

    deinit { try? handle.close() }

    /// The next record, or `nil` at the end of the file.
    /// - Throws: ``ProteinInputError`` with code `unreadableInput` when reading fails.
    public func next() throws -> FASTARecord? {
        while true {
            if index == buffer.count {
                if !atEnd { try fill() }
                if index == buffer.count { return finishAtEnd() }
            }
            let byte = buffer[index]
            index += 1
            if atLineStart && byte == UInt8(ascii: ">") {
                let finished = finishBeforeHeader()
                part = .header
                atLineStart = false
                if let finished { return finished }
                continue
            }
            if byte == UInt8(ascii: "\n") {
                lineNumber += 1
                atLineStart = true
                inMultibyte = false
                capturingInvalid = false
                if part == .header { part = .sequence }
                continue
            }
            atLineStart = false
            switch part {
            case .preamble:
                if preambleLine == nil, !Self.isWhitespace(byte) { preambleLine = lineNumber }
            case .header:
                if header.count <= configuration.maximumHeaderBytes {
                    header.append(byte)
                } else {
                    headerOverflow = true
                }
            case .sequence:
                readSequenceByte(byte)
            }
        }
    }

    private func readSequenceByte(_ byte: UInt8) {
        if byte >= 0x80 {
            // The continuation bytes of a UTF-8 character belong to the character already counted.
            if byte < 0xC0, inMultibyte {
                if capturingInvalid { invalid?.bytes.append(byte) }
                return
            }
            inMultibyte = true
            capturingInvalid = false
            position += 1
            if invalid == nil {
                invalid = InvalidCharacter(bytes: [byte], position: position)
                capturingInvalid = true
            }
            return
        }
        inMultibyte = false
        capturingInvalid = false
        if Self.isWhitespace(byte) { return }
        position += 1
        if byte == UInt8(ascii: "*") {
            // Only a stop at the very end is removed; a second one makes the first one internal.
            markInternalStop()
            pendingStop = position
            return
        }
        let upper = byte & 0xDF
        guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else {
            markInternalStop()
            if invalid == nil { invalid = InvalidCharacter(bytes: [byte], position: position) }
            return
        }
        // The 20 standard residues plus X, B, Z, J, U and O cover every letter A to Z.
        markInternalStop()
        residueCount += 1
        if residues.count < configuration.maximumSequenceLength { residues.append(upper) }
    }

    /// A stop followed by anything but whitespace is inside the sequence, hence invalid.
    private func markInternalStop() {
        guard let stop = pendingStop else { return }
        pendingStop = nil
        if invalid == nil { invalid = InvalidCharacter(bytes: [UInt8(ascii: "*")], position: stop) }
    }

    /// Ends what was being read when a new `>` header starts; `nil` when there was nothing.
    private func finishBeforeHeader() -> FASTARecord? {
        switch part {
        case .preamble:
            return finishPreamble()
        case .header, .sequence:
            return finishRecord()
        }
    }

    private func finishAtEnd() -> FASTARecord? {
        let record = finishBeforeHeader()
        part = .preamble
        return record
    }

    private func finishPreamble() -> FASTARecord? {
        guard let line = preambleLine else { return nil }
        preambleLine = nil
        return FASTARecord(
            header: "", sequence: "", error: "line \(line): text before the first '>' header is not part of any record")
    }

    private func finishRecord() -> FASTARecord {
        defer { resetRecord() }
        var headerBytes = header[...]
        while let last = headerBytes.last, Self.isWhitespace(last) { headerBytes = headerBytes.dropLast() }
        while let first = headerBytes.first, Self.isWhitespace(first) { headerBytes = headerBytes.dropFirst() }
        if headerOverflow || headerBytes.count > configuration.maximumHeaderBytes {
            let prefix = String(decoding: headerBytes.prefix(Self.headerPrefixBytes), as: UTF8.self)
            return FASTARecord(
                header: prefix, sequence: "",
                error: "the header is longer than the limit of \(configuration.maximumHeaderBytes) bytes")
        }
        let name = String(decoding: headerBytes, as: UTF8.self)
        if let invalid {
            return FASTARecord(
                header: name, sequence: "",
                error: "invalid character \(Self.describe(invalid.bytes)) at position \(invalid.position) of the sequence")
        }
        if residueCount > configuration.maximumSequenceLength {
            var record = FASTARecord(
                header: name, sequence: "",
                error:
                    "the sequence has \(residueCount) residues, more than the limit of \(configuration.maximumSequenceLength)")
            record.overLength = residueCount
            return record
        }
        if residueCount == 0 {
            return FASTARecord(header: name, sequence: "", error: "the sequence is empty")
        }
        return FASTARecord(header: name, sequence: String(decoding: residues, as: UTF8.self))
    }

    private func resetRecord() {
        // Capacity is kept: it is bounded by the limits and saves reallocating for every record.
        header.removeAll(keepingCapacity: true)
        residues.removeAll(keepingCapacity: true)
        headerOverflow = false
        residueCount = 0
        position = 0
        pendingStop = nil
        invalid = nil
        inMultibyte = false
        capturingInvalid = false
    }

    /// A character quoted for a message; control characters and spaces are named by code point.
    private static func describe(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return "''" }
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            return "U+" + String(format: "%04X", scalar.value)
        }
        return "'\(text)'"
    }

    /// Space, tab, carriage return, vertical tab and form feed; the line feed is handled apart.
    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private func fill() throws {
        let data: Data?
        do {
            data = try handle.read(upToCount: configuration.readSize)
        } catch {
            throw ProteinInputError(code: .unreadableInput, message: "cannot read the file: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
        index = 0
        guard let data, !data.isEmpty else {
            atEnd = true
            return
        }
        buffer.append(contentsOf: data)
        if atFileStart {
            atFileStart = false
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }
    }
}
