import BulkPredictCore
import Foundation
import Formats
import JobQueue

/// The points of a result's scatter plot, for the web pages: two numeric columns of the result,
/// or for a request with an embedding its PCA projection, with a column to colour by.
public struct PlotData: Sendable, Encodable {
    /// One record.
    public struct Point: Sendable, Encodable {
        /// Its input position.
        public var row: Int
        /// Its id, if any.
        public var id: String?
        /// Its input, shortened to 200 characters (a sequence can be long).
        public var input: String
        /// Its coordinates.
        public var x: Double
        public var y: Double
        /// Its value in the colour column: a number, a string, or null.
        public var color: OutputValueBox?
    }

    /// `projection` (PCA of an embedding) or `columns` (two result columns).
    public var kind: String
    /// Columns that can be axes.
    public var numericColumns: [String]
    /// Columns that can colour the points.
    public var columns: [String]
    public var x: String
    public var y: String
    public var color: String?
    /// `numeric` or `categorical`, for the colour column.
    public var colorType: String?
    /// Records in the result.
    public var total: Int
    /// Whether only every n-th record is plotted (more records than the limit).
    public var sampled: Bool
    /// Records without both coordinates (errors), left out.
    public var missing: Int
    public var points: [Point]

    enum CodingKeys: String, CodingKey {
        case kind, columns, x, y, color, total, sampled, missing, points
        case numericColumns = "numeric_columns"
        case colorType = "color_type"
    }

    /// The axis names of a projection.
    public static let projectionAxes = ["PCA 1", "PCA 2", "PCA 3"]
}

/// A JSON scalar: a number, a string or a boolean.
public enum OutputValueBox: Sendable, Encodable {
    case number(Double)
    case text(String)
    case flag(Bool)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        }
    }
}

/// A plot that cannot be drawn as asked (an unknown column): 422.
public struct PlotRequestError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The query parameter concerned.
    public let field: String
    /// The names that would work.
    public let validChoices: [String]
    public var description: String { message }
}

extension Coordinator {
    /// The plot of request `id`'s result: `x` and `y` name numeric columns (or the projection's
    /// `PCA 1`–`PCA 3`), `color` any column; unnamed axes default to the projection when there
    /// is one, else to the first two numeric columns. At most `limit` records, evenly spaced.
    /// - Throws: ``PlotRequestError`` for an unknown column.
    public func plot(
        _ id: RequestID, location: MergeResult, x: String?, y: String?, color: String?, limit: Int
    ) async throws -> PlotData {
        let request = id.rawValue
        let schema = try await resultSchema(for: id, location: location)
        let csv = try blobs.fileURL(for: location.csvKey)
        let projection = try schema.vectors.first.map { model, output in
            try blobs.fileURL(for: VectorFiles.projectionKey(request, model: model, output: output.name))
        }
        let numeric = schema.columns.filter { $0.type == .int || $0.type == .double }.map(\.name)
        let axes = (projection != nil ? PlotData.projectionAxes : []) + numeric
        let colorable = schema.columns.filter { $0.role != .input && $0.role != .row }.map(\.name)
        let defaultX = projection != nil ? PlotData.projectionAxes[0] : numeric.first { $0 != "row" } ?? "row"
        let defaultY = projection != nil ? PlotData.projectionAxes[1] : numeric.filter { $0 != "row" }.dropFirst().first ?? numeric.first ?? "row"
        // Browsers encode a space in a query as `+` (HTML forms, URLSearchParams): a name that is
        // not a column as given is tried with its `+` read as spaces (`PCA+1` for `PCA 1`).
        func resolved(_ name: String?, among names: [String]) -> String? {
            guard let name, !names.contains(name) else { return name }
            let spaced = name.replacingOccurrences(of: "+", with: " ")
            return names.contains(spaced) ? spaced : name
        }
        let xName = resolved(x, among: axes) ?? defaultX
        let yName = resolved(y, among: axes) ?? defaultY
        let color = resolved(color, among: colorable)
        for (name, field) in [(xName, "x"), (yName, "y")] where !axes.contains(name) {
            throw PlotRequestError(message: "'\(name)' is not a numeric column of this result", field: field, validChoices: axes)
        }
        if let color, !colorable.contains(color) {
            throw PlotRequestError(message: "'\(color)' is not a column of this result", field: "color", validChoices: colorable)
        }
        let columnIndex = Dictionary(schema.columns.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let colorColumn = color.flatMap { columnIndex[$0] }
        let colorType = colorColumn.map { schema.columns[$0].type == .int || schema.columns[$0].type == .double ? "numeric" : "categorical" }
        let total = location.rowCount
        let stride = max(1, (total + max(1, limit) - 1) / max(1, limit))
        let idIndex = schema.columns.firstIndex { $0.role == .id }
        let inputIndex = schema.columns.firstIndex { $0.role == .input }
        let usesProjection = PlotData.projectionAxes.contains(xName) || PlotData.projectionAxes.contains(yName)
        // Reading a large result takes a while: off the pool that serves requests.
        return try await offPool {
            let table = try ResultCSVReader(url: csv)
            _ = try table.next()
            let coordinates = try usesProjection ? projection.map { try VectorRows(url: $0, dimension: 3) } : nil
            var points: [PlotData.Point] = []
            var missing = 0
            var row = 0
            while try table.next() {
                defer { row += 1 }
                let projected = try coordinates?.next()
                guard row % stride == 0 else { continue }
                func value(_ name: String) -> Double? {
                    if let axis = PlotData.projectionAxes.firstIndex(of: name) {
                        return projected.flatMap { $0[axis].isFinite ? Double($0[axis]) : nil }
                    }
                    guard let index = columnIndex[name] else { return nil }
                    return Double(table.string(index)).flatMap { $0.isFinite ? $0 : nil }
                }
                guard let xValue = value(xName), let yValue = value(yName) else {
                    missing += 1
                    continue
                }
                var colorValue: OutputValueBox?
                if let colorColumn {
                    let text = table.string(colorColumn)
                    if !text.isEmpty {
                        switch schema.columns[colorColumn].type {
                        case .int, .double: colorValue = Double(text).map(OutputValueBox.number)
                        case .bool: colorValue = .flag(text == "true")
                        default: colorValue = .text(text)
                        }
                    }
                }
                let id = idIndex.map { table.string($0) } ?? ""
                points.append(
                    PlotData.Point(
                        row: row, id: id.isEmpty ? nil : id, input: String((inputIndex.map { table.string($0) } ?? "").prefix(200)),
                        x: xValue, y: yValue, color: colorValue))
            }
            return PlotData(
                kind: usesProjection ? "projection" : "columns", numericColumns: axes, columns: colorable, x: xName, y: yName,
                color: color, colorType: colorType, total: total, sampled: stride > 1, missing: missing, points: points)
        }
    }
}
