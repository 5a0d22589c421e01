import BulkPredictCore
import Formats
import Foundation

/// A JSON submission: `{"records": [...], "models": [...] | "target": ..., "series": ..., "chunk_size": n, "max_parallel": n}`.
///
/// A record is a SMILES string or `{"smiles": ..., "id": ...}`. Unknown fields are refused with a
/// 400 naming them, so that a misspelt option never silently falls back to a default.
struct SubmitBody {
    static let topLevel: Set<String> = ["records", "models", "target", "series", "chunk_size", "max_parallel", "input_name"]
    static let recordFields: Set<String> = ["smiles", "id"]

    var records: [InputRecord] = []
    var routing = RoutingSpec()
    var chunkSize: Int?
    var maxParallel: Int?
    var inputName: String?

    init(json data: Data) throws {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw SubmissionError(code: .malformedBody, message: "the body is not valid JSON")
        }
        guard let body = object as? [String: Any] else {
            throw SubmissionError(code: .malformedBody, message: "the body must be a JSON object")
        }
        let unknown = Set(body.keys).subtracting(Self.topLevel).sorted()
        guard unknown.isEmpty else {
            throw SubmissionError(code: .malformedBody, field: unknown[0], message: "unknown field(s): \(unknown.joined(separator: ", ")); allowed: \(Self.topLevel.sorted().joined(separator: ", "))")
        }
        guard let rawRecords = body["records"] as? [Any] else {
            throw SubmissionError(code: .malformedBody, field: "records", message: "'records' must be an array of SMILES strings or {\"smiles\", \"id\"} objects")
        }
        records.reserveCapacity(rawRecords.count)
        for (index, raw) in rawRecords.enumerated() { records.append(try Self.record(raw, index: index)) }
        if let models = body["models"] {
            guard let list = models as? [String] else {
                throw SubmissionError(code: .malformedBody, field: "models", message: "'models' must be an array of model ids")
            }
            routing.models = list
        }
        routing.target = try Self.string(body["target"], field: "target")
        routing.series = try Self.string(body["series"], field: "series")
        inputName = try Self.string(body["input_name"], field: "input_name")
        chunkSize = try Self.integer(body["chunk_size"], field: "chunk_size")
        maxParallel = try Self.integer(body["max_parallel"], field: "max_parallel")
    }

    static func record(_ raw: Any, index: Int) throws -> InputRecord {
        if let smiles = raw as? String { return InputRecord(id: nil, input: smiles) }
        guard let object = raw as? [String: Any] else {
            throw SubmissionError(code: .malformedBody, field: "records[\(index)]", message: "records[\(index)] must be a string or an object")
        }
        let unknown = Set(object.keys).subtracting(recordFields).sorted()
        guard unknown.isEmpty else {
            throw SubmissionError(code: .malformedBody, field: "records[\(index)]", message: "records[\(index)] has unknown field(s): \(unknown.joined(separator: ", "))")
        }
        guard let smiles = object["smiles"] as? String else {
            throw SubmissionError(code: .malformedBody, field: "records[\(index)].smiles", message: "records[\(index)] needs a 'smiles' string")
        }
        let id: String?
        switch object["id"] {
        case nil, is NSNull: id = nil
        case let text as String: id = text
        case let number as NSNumber: id = number.stringValue
        default: throw SubmissionError(code: .malformedBody, field: "records[\(index)].id", message: "records[\(index)].id must be a string or a number")
        }
        return InputRecord(id: id, input: smiles, error: smiles.isEmpty ? "empty SMILES" : nil)
    }

    static func string(_ value: Any?, field: String) throws -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let text as String: return text
        default: throw SubmissionError(code: .malformedBody, field: field, message: "'\(field)' must be a string")
        }
    }

    static func integer(_ value: Any?, field: String) throws -> Int? {
        switch value {
        case nil, is NSNull: return nil
        case let number as NSNumber where number.doubleValue == number.doubleValue.rounded() && !(value is Bool):
            return number.intValue
        default: throw SubmissionError(code: .malformedBody, field: field, message: "'\(field)' must be an integer")
        }
    }
}
