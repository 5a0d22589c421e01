import BulkPredictCore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Results in every format and layout, judged by independent readers (pyarrow, polars, DuckDB
/// through `scripts/reference/result_check.py`) against the CSV of the same request.
@Suite struct ResultFormatTests {
    /// An input with passthrough columns (one holding commas, quotes and a line break), duplicate
    /// and missing ids, invalid SMILES and a blank line.
    static let input = """
        compound,smiles,assay,note
        A1,CCO,1.5,"plain"
        A1,c1ccccc1,2,"has, comma"
        B7,not-a-smiles,,"quote "" inside"
        ,CC(=O)O,3e-2,"two
        lines"
        C9,C1CC1N,,café
        D2,[Na+].[Cl-],7,
        E5,CC(C)(C)c1ccc(O)cc1,-1,x
        """

    static func upload(_ client: some TestClientProtocol, _ harness: Harness) async throws -> String {
        let id: String = try await client.execute(
            uri: "/api/v1/requests?model=chem.formula&model=chem.druglikeness&id_column=compound&chunk_size=3&filename=assay%20plate.csv",
            method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: input)
        ) { response in
            #expect(response.status == .accepted)
            return try #require(try response.body.json()["id"] as? String)
        }
        _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
        return id
    }

    static func download(_ client: some TestClientProtocol, _ uri: String) async throws -> (bytes: [UInt8], headers: HTTPFields) {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok, "\(uri)")
            return (Array(response.body.readableBytesView), response.headers)
        }
    }

    @Test func everyFormatAndLayoutAgreesUnderIndependentReaders() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id = try await Self.upload(client, harness)
                let base = "/api/v1/requests/\(id)/result"
                var files: [String: URL] = [:]
                for layout in ["wide", "long"] {
                    for format in ["csv", "parquet", "jsonl"] {
                        let (bytes, headers) = try await Self.download(client, "\(base)?format=\(format)&layout=\(layout)")
                        let file = folder.file("\(layout).\(format)")
                        try Data(bytes).write(to: file)
                        files["\(layout)-\(format)"] = file
                        let suffix = layout == "wide" ? ".result.\(format)" : ".result.long.\(format)"
                        #expect(headers[.contentDisposition]?.contains("filename=\"assay_plate\(suffix)\"") == true)
                        // The digest header describes exactly the bytes served.
                        let digest = "sha-256=:\(Data(SHA256.hash(data: bytes)).base64EncodedString()):"
                        #expect(headers[HTTPField.Name("Repr-Digest")!] == digest, "\(layout) \(format)")
                        #expect(headers[.contentLength] == "\(bytes.count)")
                    }
                }
                // Parquet is the default format, wide the default layout.
                let (defaultBytes, defaultHeaders) = try await Self.download(client, base)
                #expect(defaultBytes == Array(try Data(contentsOf: try #require(files["wide-parquet"]))))
                #expect(defaultHeaders[.contentType] == "application/vnd.apache.parquet")

                let report = try await ReferencePython.json(
                    "result_check.py",
                    [
                        "--wide-csv", files["wide-csv"]!.path, "--wide-parquet", files["wide-parquet"]!.path,
                        "--long-csv", files["long-csv"]!.path, "--long-parquet", files["long-parquet"]!.path,
                        "--wide-jsonl", files["wide-jsonl"]!.path, "--long-jsonl", files["long-jsonl"]!.path,
                    ])
                #expect((report["mismatches"] as? [String]) == [], "\(report["mismatches"] ?? "")")
                let wide = try #require(report["wide"] as? [String: Any])
                let long = try #require(report["long"] as? [String: Any])
                #expect(wide["rows"] as? Int == 7)
                #expect(wide["polars_rows"] as? Int == 7)
                #expect(wide["duckdb_rows"] as? Int == 7)
                #expect(long["rows"] as? Int == 14, "one row per record and model")
                #expect((wide["created_by"] as? String)?.hasPrefix("BulkPredict version ") == true)

                // Typed columns, as pyarrow, polars and DuckDB each name them.
                let arrow = try #require(wide["arrow_types"] as? [String: String])
                #expect(arrow["row"] == "int64")
                #expect(arrow["id"] == "string")
                #expect(arrow["assay"] == "string", "passthrough columns are kept as text, exactly as given")
                #expect(arrow["chem.formula.heavy_atoms"] == "int64")
                #expect(arrow["chem.formula.mol_weight"] == "double")
                #expect(arrow["chem.druglikeness.lipinski_pass"] == "bool")
                #expect(arrow["chem.formula.error"] == "string")
                let polars = try #require(wide["polars_types"] as? [String: String])
                #expect(polars["chem.formula.mol_weight"] == "Float64")
                #expect(polars["chem.druglikeness.lipinski_pass"] == "Boolean")
                let duck = try #require(wide["duckdb_types"] as? [String: String])
                #expect(duck["row"] == "BIGINT")
                #expect(duck["chem.formula.mol_weight"] == "DOUBLE")
                #expect(duck["chem.druglikeness.lipinski_pass"] == "BOOLEAN")
                let nullable = try #require(wide["nullable"] as? [String: Bool])
                #expect(nullable["row"] == false)
                #expect(nullable["chem.formula.mol_weight"] == true)
                let longTypes = try #require(long["arrow_types"] as? [String: String])
                #expect(Array(longTypes.keys).contains("model_version"))
                #expect(longTypes["mol_weight"] == "double")

                // Statistics and metadata, as pyarrow.parquet.ParquetFile(...).metadata shows them.
                let statistics = try #require(wide["statistics"] as? [String: Any])
                let rowStatistics = try #require(statistics["row"] as? [String: Any])
                #expect(rowStatistics["min"] as? String == "0")
                #expect(rowStatistics["max"] as? String == "6")
                let errorStatistics = try #require(statistics["chem.formula.error"] as? [String: Any])
                #expect(errorStatistics["null_count"] as? Int == 6, "one invalid SMILES, six without an error")
                let metadata = try #require(wide["metadata"] as? [String: String])
                #expect(metadata["bulkpredict.request_id"] == id)
                #expect(metadata["bulkpredict.layout"] == "wide")
                #expect(metadata["bulkpredict.partial"] == "false")
                #expect(metadata["bulkpredict.input_name"] == "assay plate.csv")
                let models = try #require(
                    try JSONSerialization.jsonObject(with: Data((metadata["bulkpredict.models"] ?? "").utf8)) as? [[String: String]])
                #expect(models.map { $0["id"] } == ["chem.formula", "chem.druglikeness"])
                #expect(models.allSatisfy { ($0["version"] ?? "").isEmpty == false })

                // Passthrough columns and duplicate or missing ids come back as given, in input order.
                let table = CSVTable(String(decoding: try Data(contentsOf: files["wide-csv"]!), as: UTF8.self))
                #expect(Array(table.header.prefix(5)) == ["row", "id", "assay", "note", "input"])
                #expect(table.rows.map { $0[1] } == ["A1", "A1", "B7", "", "C9", "D2", "E5"])
                #expect(table.value(3, "note") == "two\nlines")
                #expect(table.value(2, "note") == "quote \" inside")
                #expect(table.value(4, "note") == "café")
                #expect(table.value(0, "assay") == "1.5")

                // The status reconciles and names the merged file's size and checksum.
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    let object = try response.body.json()
                    let result = try #require(object["result"] as? [String: Any])
                    let csv = try Data(contentsOf: files["wide-csv"]!)
                    #expect(result["rows"] as? Int == 7)
                    #expect(result["bytes"] as? Int == csv.count)
                    #expect(result["sha256"] as? String == SHA256.hash(data: csv).map { String(format: "%02x", $0) }.joined())
                    for job in try #require(object["jobs"] as? [[String: Any]]) {
                        let total = (job["succeeded"] as? Int ?? -1) + (job["failed"] as? Int ?? -1) + (job["cancelled"] as? Int ?? -1)
                        #expect(total == 7, "\(job["model"] ?? "")")
                    }
                }
            }
        }
    }

    @Test func aModelThatComputesCanonicalSMILESFillsTheRequestLevelColumn() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let body = try JSONSerialization.data(withJSONObject: [
                    "records": ["OCC", "c1ccccc1O", "nope", "C(=O)(O)C"], "models": ["chem.formula", "chem.descriptors"],
                ])
                let id: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
                ) { try #require(try $0.body.json()["id"] as? String) }
                _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
                let table = try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { CSVTable($0.body.text) }
                #expect(Array(table.header.prefix(4)) == ["row", "id", "input", "canonical_smiles"])
                #expect(table.rows.map { $0[3] } == ["CCO", "Oc1ccccc1", "", "CC(=O)O"])
                for row in 0..<4 {
                    #expect(table.value(row, "canonical_smiles") == table.value(row, "chem.descriptors.canonical_smiles"))
                }
                // Long rows stay per model: the request-level column is not repeated there.
                let long = try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv&layout=long", method: .get) {
                    CSVTable($0.body.text)
                }
                #expect(!long.header.contains("chem.descriptors.canonical_smiles"))
                #expect(long.rows.count == 8)
            }
        }
    }

    @Test func derivedFilesAreRepeatableAndResumable() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id = try await Self.upload(client, harness)
                let uri = "/api/v1/requests/\(id)/result?format=parquet&layout=long"
                let (whole, headers) = try await Self.download(client, uri)
                let etag = try #require(headers[.eTag])
                let (again, againHeaders) = try await Self.download(client, uri)
                #expect(again == whole, "a second download gives the same bytes")
                #expect(againHeaders[.eTag] == etag)
                try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=4-", .ifRange: etag]) { response in
                    #expect(response.status == .partialContent)
                    #expect(Array(response.body.readableBytesView) == Array(whole[4...]))
                }
                try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { response in
                    #expect(response.status == .notModified)
                }
                // Different layouts are different files with different validators.
                let (_, wideHeaders) = try await Self.download(client, "/api/v1/requests/\(id)/result?format=parquet")
                #expect(wideHeaders[.eTag] != etag)
            }
        }
    }

    @Test func unknownFormatOrLayoutIsA422ListingTheChoices() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id = try await Self.upload(client, harness)
                for (query, field, choices) in [
                    ("format=xlsx", "format", ["parquet", "csv", "jsonl", "parquetbundle"]), ("layout=tall", "layout", ["wide", "long", "embeddings"]),
                ] {
                    try await client.execute(uri: "/api/v1/requests/\(id)/result?\(query)", method: .get) { response in
                        #expect(response.status == .unprocessableContent)
                        #expect(response.headers[.contentType] == "application/problem+json")
                        let problem = try response.body.json()
                        #expect(problem["field"] as? String == field)
                        #expect(problem["valid_choices"] as? [String] == choices)
                    }
                }
            }
        }
    }
}
