import BulkPredictCore

/// The status of a request as the API shows it: the snapshot plus progress totals and links.
struct StatusBody: Encodable {
    let status: RequestStatus
    /// For a queued request, its place in the queue (1 = next), when the caller looked it up.
    let queuePosition: Int?

    init(_ status: RequestStatus, queuePosition: Int? = nil) {
        self.status = status
        self.queuePosition = queuePosition
    }

    enum ExtraKeys: String, CodingKey {
        case recordsDone = "records_done"
        case recordsTotal = "records_total"
        case queuePosition = "queue_position"
        case links
    }

    func encode(to encoder: any Encoder) throws {
        try status.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encodeIfPresent(queuePosition, forKey: .queuePosition)
        try container.encode(status.recordsDone, forKey: .recordsDone)
        try container.encode(status.recordsTotal, forKey: .recordsTotal)
        var links = ["self": "/api/v1/requests/\(status.id)", "events": "/api/v1/requests/\(status.id)/events"]
        if status.result != nil { links["result"] = "/api/v1/requests/\(status.id)/result" }
        try container.encode(links, forKey: .links)
    }
}

/// One page of requests.
struct ListBody: Encodable {
    let requests: [StatusBody]
    let total: Int
    let limit: Int
    let offset: Int
}
