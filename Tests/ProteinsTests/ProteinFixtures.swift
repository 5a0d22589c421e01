import Foundation
import Proteins
import TestSupport

/// Files shared by the protein tests: the reference data set and small files written on the fly.
enum ProteinFixtures {
    /// A file of the shared protein data set (`../shared/data/proteins`, or
    /// `$BULKPREDICT_SHARED_DATA/proteins`).
    static func shared(_ name: String) -> URL { SharedData.proteins(name) }

    /// Writes `bytes` to a new temporary file and returns its URL.
    static func write(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("proteins-\(UUID().uuidString).faa")
        try Data(bytes).write(to: url)
        return url
    }

    /// Writes `text` as UTF-8 to a new temporary file and returns its URL.
    static func write(_ text: String) throws -> URL {
        try write(Array(text.utf8))
    }

    /// Every record of the file at `url`.
    static func records(_ url: URL, configuration: FASTAReader.Configuration = .init()) throws -> [FASTARecord] {
        let reader = try FASTAReader(url: url, configuration: configuration)
        var records: [FASTARecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// Every record of `text`, written to a temporary file that is removed afterwards.
    static func records(of text: String, configuration: FASTAReader.Configuration = .init()) throws -> [FASTARecord] {
        let url = try write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        return try records(url, configuration: configuration)
    }
}
