import BulkPredictCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Protein requests end to end: FASTA in, properties agreeing with Biopython, embeddings projected
/// by a PCA agreeing with scikit-learn, and a bundle that ProtSpace's own reader opens.
@Suite struct ProteinRequestTests {
    static var sharedFASTA: String {
        get throws {
            try String(contentsOf: SharedData.proteins("LuxC.faa"), encoding: .utf8)
                + String(contentsOf: SharedData.proteins("PKSI.faa"), encoding: .utf8)
        }
    }

    /// Biopython's values for the shared records (`scripts/reference/protein_reference.py`), by header.
    static func biopython() throws -> [String: [String: String]] {
        let lines = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Tests/Fixtures/biopython_properties.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        var rows: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields[0] == "luxc" || fields[0] == "pksi" else { continue }
            rows[fields[1]] = Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
        return rows
    }

    func upload(_ client: some TestClientProtocol, _ harness: Harness, _ text: String, models: String) async throws -> String {
        let id: String = try await client.execute(
            uri: "/api/v1/requests?\(models)&filename=proteins.faa", method: .post, headers: [.contentType: "text/plain"],
            body: ByteBuffer(string: text)
        ) { response in
            #expect(response.status == .accepted, "\(response.body.text)")
            return try #require(try response.body.json()["id"] as? String)
        }
        _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
        return id
    }

    @Test func propertiesAgreeWithBiopythonAndBadRecordsBecomeErrorRows() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let edgeCases = """
            >lower stop removed
            mkvlaagivg*
            >bad character
            MKV1LA
            >empty

            >dna among proteins
            ACGTACGTACGTACGTACGTACGTAGCTAGCTAGCA

            """
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id = try await upload(client, harness, try Self.sharedFASTA + edgeCases, models: "model=protein.properties")
                let table = try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { CSVTable($0.body.text) }
                #expect(table.rows.count == 26)
                #expect(Array(table.header.prefix(4)) == ["row", "id", "header", "input"])
                let reference = try Self.biopython()
                #expect(reference.count == 22)
                var compared = 0
                for row in 0..<22 {
                    let expected = try #require(reference[table.value(row, "header") ?? ""], "row \(row)")
                    #expect(table.value(row, "id") == expected["name"].flatMap { $0.split(separator: "|").dropFirst().first.map(String.init) })
                    for name in ["molecular_weight", "isoelectric_point", "gravy", "instability_index", "aromaticity", "charge_at_ph7"] {
                        let mine = try #require(Double(table.value(row, "protein.properties.\(name)") ?? ""), "\(name) row \(row)")
                        let theirs = try #require(Double(expected[name] ?? ""))
                        #expect(abs(mine - theirs) <= 1e-6 * max(1, abs(theirs)), "\(name) row \(row): \(mine) vs \(theirs)")
                        compared += 1
                    }
                    #expect(table.value(row, "protein.properties.length") == expected["length"])
                    #expect(table.value(row, "protein.properties.extinction_reduced") == expected["extinction_reduced"])
                }
                #expect(compared == 132)
                #expect(table.value(22, "input") == "MKVLAAGIVG", "upper-cased, the stop removed")
                #expect(table.value(22, "protein.properties.error") == "")
                #expect(table.value(23, "protein.properties.error") == "invalid character '1' at position 4 of the sequence")
                #expect(table.value(24, "protein.properties.error") == "the sequence is empty")
                #expect(table.value(25, "protein.properties.error")?.contains("looks like DNA/RNA") == true)
                try await client.execute(uri: "/api/v1/requests/\(id)", method: .get) { response in
                    let job = try #require((try response.body.json()["jobs"] as? [[String: Any]])?.first)
                    #expect(job["succeeded"] as? Int == 23)
                    #expect(job["failed"] as? Int == 3)
                }
            }
        }
    }

    @Test func theBundleOpensInProtSpaceAndItsPCAAgreesWithScikitLearn() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // The first record again: a duplicate identifier, which the bundle must disambiguate.
        let fasta = try Self.sharedFASTA
        let first = String(fasta[..<(fasta.dropFirst().firstIndex(of: ">") ?? fasta.endIndex)])
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let id = try await upload(client, harness, fasta + first, models: "model=protein.properties&model=protein.composition")
                let base = "/api/v1/requests/\(id)/result"
                let bundle = folder.file("proteins.parquetbundle")
                let embeddings = folder.file("embeddings.parquet")
                try await client.execute(uri: "\(base)?format=parquetbundle", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentDisposition]?.contains("filename=\"proteins.result.parquetbundle\"") == true)
                    try Data(response.body.readableBytesView).write(to: bundle)
                }
                try await client.execute(uri: "\(base)?format=parquet&layout=embeddings", method: .get) { response in
                    #expect(response.status == .ok)
                    try Data(response.body.readableBytesView).write(to: embeddings)
                }
                let report = try await ReferencePython.json("protspace_check.py", [bundle.path, "--compact"])
                #expect((report["problems"] as? [String]) == [], "\(report["problems"] ?? "")")
                let reader = try #require(report["protspace_reader"] as? [String: Any])
                #expect(reader["ok"] as? Bool == true, "\(reader["error"] ?? "")")
                #expect(reader["num_proteins"] as? Int == 23)
                #expect(reader["projection_names"] as? [String] == ["PCA_2", "PCA_3"])
                #expect(reader["format_version"] as? Int == 2)
                let names = try #require(reader["annotation_names"] as? [String])
                for expected in ["organism", "taxon_id", "gene", "molecular_weight", "isoelectric_point"] {
                    #expect(names.contains(expected), "\(expected)")
                }
                let parts = try #require(report["parts"] as? [[String: Any]])
                #expect(parts.count == 3)
                for part in parts {
                    #expect((part["compression_codecs"] as? [String])?.allSatisfy { $0 == "SNAPPY" } == true)
                }
                let projection = try await ReferencePython.json("projection_check.py", [embeddings.path, bundle.path])
                #expect((projection["problems"] as? [String]) == [])
                let projections = try #require(projection["projections"] as? [[String: Any]])
                #expect(projections.count == 2)
                for entry in projections {
                    #expect(entry["rows"] as? Int == 23)
                    #expect((entry["ratio_max_difference"] as? Double ?? 1) < 1e-6, "\(entry)")
                    // Coordinates are 32-bit floats in the bundle.
                    #expect((entry["coordinate_max_relative_difference"] as? Double ?? 1) < 1e-5, "\(entry)")
                }
                // Identifiers are unique and the same in every part: the duplicate got a suffix.
                let table = try await client.execute(uri: "\(base)?format=csv", method: .get) { CSVTable($0.body.text) }
                #expect(table.value(0, "id") == "P19841")
                #expect(table.value(22, "id") == "P19841")
                #expect(!table.header.contains { $0.hasPrefix("protein.composition.embedding") }, "vectors stay out of the table")
                let long = try await client.execute(uri: "\(base)?format=csv&layout=long", method: .get) { CSVTable($0.body.text) }
                #expect(!long.header.contains("embedding"), "nor out of the long one")
                #expect(long.rows.count == 46)

                // A result merged before schemas were written is described again from its header.
                let schema = try harness.coordinator.blobs.fileURL(for: "results/\(id)/schema.json")
                try FileManager.default.removeItem(at: schema)
                try FileManager.default.removeItem(at: try harness.coordinator.blobs.fileURL(for: "results/\(id)/exports"))
                try await client.execute(uri: "\(base)?format=parquet&layout=long", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func dnaFilesAndBrokenLimitsAre422AndStoreNothing() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        let dna = try String(contentsOf: SharedData.proteins("CP040672.1.genes_100.fna"), encoding: .utf8)
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/api/v1/requests?model=protein.properties&filename=genes.fna", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: dna)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try response.body.json()
                #expect(problem["type"] as? String == "/problems/submission/wrong_input_kind")
                #expect((problem["detail"] as? String)?.contains("looks like DNA/RNA") == true, "\(problem)")
            }
            let long = String(repeating: "M", count: 100_001)
            let body = try JSONSerialization.data(withJSONObject: ["records": ["MKV", long], "models": ["protein.properties"]])
            try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let detail = try response.body.json()["detail"] as? String
                #expect(detail?.contains("more than the limit of 100000") == true, "\(detail ?? "")")
            }
            try await client.execute(
                uri: "/api/v1/requests?model=protein.properties&filename=long.faa", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: ">a\nMKV\n>b\n\(long)\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                let detail = try response.body.json()["detail"] as? String
                #expect(detail?.contains("sequence 2 (b) has 100001 residues") == true, "\(detail ?? "")")
            }
            let total = try await client.execute(uri: "/api/v1/requests", method: .get) { try $0.body.json()["total"] as? Int }
            #expect(total == 0)
        }
    }

    @Test func dnaOrTextThatIsNotFASTAIsRefusedHoweverItComes() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.application().test(.router) { client in
            let dna = ["ACGTACGTACGTACGTACGTACGTAAAACCCGGGTTT", "ATGGCGTTAGCAGGCATCGATCGATCGTAGCTAGCATG"]
            let body = try JSONSerialization.data(withJSONObject: ["records": dna, "models": ["protein.properties"]])
            try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let type = try response.body.json()["type"] as? String
                #expect(type == "/problems/submission/wrong_input_kind")
            }
            try await client.execute(
                uri: "/api/v1/requests?model=protein.properties&filename=seqs.txt", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "MKVLAAGIVG\nMKKLLPTAAAG\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                let detail = try response.body.json()["detail"] as? String
                #expect(detail?.contains("not FASTA: no line starts with '>'") == true, "\(detail ?? "")")
            }
            let total = try await client.execute(uri: "/api/v1/requests", method: .get) { try $0.body.json()["total"] as? Int }
            #expect(total == 0)
        }
    }

    @Test func jsonSequencesAreCleanedAndMoleculeRequestsHaveNoBundle() async throws {
        let harness = try Harness()
        defer { harness.remove() }
        try await harness.withWorker {
            try await harness.application().test(.router) { client in
                let body = try JSONSerialization.data(withJSONObject: ["records": ["mkv laa*", "MK-V"], "models": ["protein.properties"]])
                let id: String = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)
                ) { try #require(try $0.body.json()["id"] as? String) }
                _ = try await harness.waitUntilTerminal(try #require(RequestID(id)))
                let table = try await client.execute(uri: "/api/v1/requests/\(id)/result?format=csv", method: .get) { CSVTable($0.body.text) }
                #expect(table.value(0, "input") == "MKVLAA")
                #expect(table.value(0, "protein.properties.length") == "6")
                #expect(table.value(1, "protein.properties.error") == "invalid character '-' at position 3 of the sequence")
                try await client.execute(uri: "/api/v1/requests/\(id)/result?format=parquetbundle", method: .get) { response in
                    #expect(response.status == .unprocessableContent)
                    let detail = try response.body.json()["detail"] as? String
                #expect(detail?.contains("no embedding") == true, "\(detail ?? "")")
                }
            }
        }
    }
}
