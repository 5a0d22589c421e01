import BulkPredictCore
import Foundation

extension CommandSession {
    /// What one line of the program's output means.
    enum Parsed {
        case answer(row: Int, RecordOutcome)
        case invalid(String)
    }

    /// A JSON scalar as the program wrote it; decoding tries the types in an order that keeps
    /// `1` an integer and `true` a boolean.
    enum Scalar: Decodable {
        case int(Int64)
        case double(Double)
        case bool(Bool)
        case string(String)
        /// An array of numbers, for a vector output.
        case numbers([Double])
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Int64.self) {
                self = .int(value)
            } else if let value = try? container.decode(Double.self) {
                self = .double(value)
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode([Double].self) {
                self = .numbers(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    struct Answer: Decodable {
        let row: Int
        let values: [String: Scalar]?
        let error: String?
    }

    static func parse(_ line: [UInt8], outputs: [OutputColumn], count: Int) -> Parsed {
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(line)) else {
            return .invalid("not an answer: \(String(decoding: line.prefix(80), as: UTF8.self))")
        }
        guard (0..<count).contains(answer.row) else { return .invalid("row \(answer.row) is not in this chunk") }
        if let error = answer.error { return .answer(row: answer.row, .error(error)) }
        guard let values = answer.values else {
            return .answer(row: answer.row, .error("the model program's answer has neither 'values' nor 'error'"))
        }
        var converted: [OutputValue] = []
        for column in outputs {
            switch (values[column.name] ?? .null, column.type) {
            case (.null, _): converted.append(.null)
            case (.int(let value), .int): converted.append(.int(value))
            case (.int(let value), .double): converted.append(.double(Double(value)))
            case (.double(let value), .double): converted.append(.double(value))
            case (.bool(let value), .bool): converted.append(.bool(value))
            case (.string(let value), .string): converted.append(.string(value))
            case (.numbers(let value), .vector) where value.count == column.dimension:
                converted.append(.vector(value.map(Float.init)))
            default:
                return .answer(row: answer.row, .error("the model program's value for '\(column.name)' is not a \(column.type == .vector ? "list of \(column.dimension ?? 0) numbers" : column.type.rawValue)"))
            }
        }
        return .answer(row: answer.row, .values(converted))
    }
}
