import BulkPredictCore
import Foundation

/// Events parsed from a complete Server-Sent Events body, for assertions.
struct SSEText {
    struct Event {
        var name = "message"
        var id: Int64?
        var data = ""
    }

    let events: [Event]
    let comments: [String]

    init(_ text: String) {
        var events: [Event] = []
        var comments: [String] = []
        for block in text.components(separatedBy: "\n\n") where !block.isEmpty {
            var event = Event()
            var isEvent = false
            for line in block.split(separator: "\n") {
                if line.hasPrefix(":") {
                    comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                } else if line.hasPrefix("event: ") {
                    event.name = String(line.dropFirst(7))
                    isEvent = true
                } else if line.hasPrefix("id: ") {
                    event.id = Int64(line.dropFirst(4))
                } else if line.hasPrefix("data: ") {
                    event.data = String(line.dropFirst(6))
                    isEvent = true
                }
            }
            if isEvent { events.append(event) }
        }
        self.events = events
        self.comments = comments
    }
}

/// Hummingbird has a `RequestID` of its own; in these tests the name means BulkPredict's.
typealias RequestID = BulkPredictCore.RequestID
