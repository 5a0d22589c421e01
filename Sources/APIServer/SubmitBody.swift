import BulkPredictCore
import Formats
import Foundation

/// A JSON submission: `{"records": [...], "models": [...] | "target": ..., "series": ..., "chunk_size": n, "max_parallel": n}`.
///
/// A record is a SMILES string or `{"smiles": ..., "id": ...}`. Unknown fields are refused with a
/// 400 naming them, so that a misspelt option never silently falls back to a default. Decoding is
/// typed (no untyped object tree), and JSON bodies are capped by ``APIServer/Configuration/maxJSONBodyBytes``;
/// large inputs belong in a file upload, which is streamed.
struct SubmitBody: Decodable {
    var records: [InputRecord] = []
    var routing = RoutingSpec()
    var chunkSize: Int?
    var maxParallel: Int?
    var inputName: String?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let topLevel: Set<String> = ["records", "models", "target", "series", "chunk_size", "max_parallel", "input_name"]
    static let recordFields: Set<String> = ["smiles", "id"]

    /// Parses a body, turning every decoding problem into a 400 that names the field.
    static func parse(_ data: Data) throws -> SubmitBody {
        do {
            return try JSONDecoder().decode(SubmitBody.self, from: data)
        } catch let error as SubmissionError {
            throw error
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw SubmissionError(code: .malformedBody, message: "the body is not valid JSON")
        } catch let error as DecodingError {
            let (path, reason) = Self.explain(error)
            throw SubmissionError(code: .malformedBody, field: path, message: "\(path.isEmpty ? "the body" : "'\(path)'"): \(reason)")
        }
    }

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<Key>
        do { container = try decoder.container(keyedBy: Key.self) } catch {
            throw SubmissionError(code: .malformedBody, message: "the body must be a JSON object")
        }
        let unknown = Set(container.allKeys.map(\.stringValue)).subtracting(Self.topLevel).sorted()
        guard unknown.isEmpty else {
            throw SubmissionError(
                code: .malformedBody, field: unknown[0],
                message: "unknown field(s): \(unknown.joined(separator: ", ")); allowed: \(Self.topLevel.sorted().joined(separator: ", "))")
        }
        guard container.contains(Key(stringValue: "records")) else {
            throw SubmissionError(
                code: .malformedBody, field: "records",
                message: "'records' is missing: give an array of SMILES strings or {\"smiles\", \"id\"} objects")
        }
        records = try container.decode([Entry].self, forKey: Key(stringValue: "records")).map(\.record)
        routing.models = try container.decodeIfPresent([String].self, forKey: Key(stringValue: "models")) ?? []
        routing.target = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "target"))
        routing.series = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "series"))
        inputName = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "input_name"))
        chunkSize = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "chunk_size"))
        maxParallel = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "max_parallel"))
    }

    /// One element of `records`.
    struct Entry: Decodable {
        let record: InputRecord

        init(from decoder: any Decoder) throws {
            if let smiles = try? decoder.singleValueContainer().decode(String.self) {
                record = InputRecord(id: nil, input: smiles, error: smiles.isEmpty ? "empty SMILES" : nil)
                return
            }
            let path = SubmitBody.path(decoder.codingPath)
            guard let container = try? decoder.container(keyedBy: Key.self) else {
                throw SubmissionError(
                    code: .malformedBody, field: path, message: "'\(path)' must be a SMILES string or an object with 'smiles' and 'id'")
            }
            let unknown = Set(container.allKeys.map(\.stringValue)).subtracting(SubmitBody.recordFields).sorted()
            guard unknown.isEmpty else {
                throw SubmissionError(
                    code: .malformedBody, field: path, message: "'\(path)' has unknown field(s): \(unknown.joined(separator: ", "))")
            }
            guard let smiles = try? container.decode(String.self, forKey: Key(stringValue: "smiles")) else {
                throw SubmissionError(code: .malformedBody, field: path, message: "'\(path)' needs a 'smiles' string")
            }
            let idKey = Key(stringValue: "id")
            let id: String?
            if try !container.contains(idKey) || container.decodeNil(forKey: idKey) {
                id = nil
            } else if let text = try? container.decode(String.self, forKey: idKey) {
                id = text
            } else if let number = try? container.decode(Int64.self, forKey: idKey) {
                id = String(number)
            } else if let number = try? container.decode(Double.self, forKey: idKey) {
                id = String(number)
            } else {
                throw SubmissionError(code: .malformedBody, field: "\(path).id", message: "'\(path).id' must be a string or a number")
            }
            record = InputRecord(id: id, input: smiles, error: smiles.isEmpty ? "empty SMILES" : nil)
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }

    static func explain(_ error: DecodingError) -> (path: String, reason: String) {
        switch error {
        case .typeMismatch(let type, let context):
            return (
                path(context.codingPath),
                "expected \(type == Int.self ? "an integer" : type == String.self ? "a string" : "a value of another type")"
            )
        case .valueNotFound(_, let context): return (path(context.codingPath), "must not be null")
        case .keyNotFound(let key, let context): return (path(context.codingPath + [key]), "is missing")
        case .dataCorrupted(let context): return (path(context.codingPath), "is not a valid value")
        @unknown default: return ("", "cannot be read")
        }
    }
}
