import BulkPredictCore
import Testing

/// Every (state, event) pair of every entity: the legal ones land where the design says, and all
/// others are refused. The expected tables are written out here independently of the source.
@Suite struct LifecycleTests {
    static let requestLegal: [String: RequestState] = [
        "queued+workStarted": .running,
        "queued+mergeStarted": .merging, "running+mergeStarted": .merging,
        "merging+mergeTakenOver": .merging,
        "merging+mergedClean": .completed,
        "merging+mergedWithErrors": .completedWithErrors,
        "queued+failed": .failed, "running+failed": .failed, "merging+failed": .failed,
        "queued+cancelRequested": .cancelling, "running+cancelRequested": .cancelling,
        "merging+cancelRequested": .cancelling, "cancelling+cancelRequested": .cancelling,
        "cancelled+cancelRequested": .cancelled,
        "cancelling+cancelDrained": .cancelled,
        "completed_with_errors+retryRequested": .queued,
    ]

    static let jobLegal: [String: JobState] = [
        "queued+workStarted": .running,
        "running+finishedClean": .completed,
        "running+finishedWithErrors": .completedWithErrors,
        "queued+failed": .failed, "running+failed": .failed,
        "queued+cancelled": .cancelled, "running+cancelled": .cancelled,
        "completed_with_errors+retryRequested": .queued, "failed+retryRequested": .queued,
    ]

    static let taskLegal: [String: TaskState] = [
        "queued+claimed": .running, "retrying+claimed": .running,
        "running+succeeded": .succeeded,
        "running+failedRetryable": .retrying,
        "running+failedFinal": .failed,
        "running+released": .queued,
        "running+leaseExpired": .retrying,
        "queued+cancelled": .cancelled, "retrying+cancelled": .cancelled, "running+cancelled": .cancelled,
    ]

    /// Checks every event in `state` against the expected table of legal transitions.
    func checkEveryEvent<State: RawRepresentable & Equatable, Event: RawRepresentable & CaseIterable>(
        in state: State, legal: [String: State], next: (State, Event) throws -> State
    ) where State.RawValue == String, Event.RawValue == String {
        for event in Event.allCases {
            let key = "\(state.rawValue)+\(event.rawValue)"
            if let expected = legal[key] {
                #expect((try? next(state, event)) == expected, "\(key)")
            } else {
                #expect(throws: TransitionError.self, "\(key) must be illegal") { try next(state, event) }
            }
        }
    }

    @Test(arguments: RequestState.allCases)
    func everyRequestTransition(state: RequestState) {
        checkEveryEvent(in: state, legal: Self.requestLegal) { (state, event: RequestEvent) in try Lifecycle.next(state, on: event) }
    }

    @Test(arguments: JobState.allCases)
    func everyJobTransition(state: JobState) {
        checkEveryEvent(in: state, legal: Self.jobLegal) { (state, event: JobEvent) in try Lifecycle.next(state, on: event) }
    }

    @Test(arguments: TaskState.allCases)
    func everyTaskTransition(state: TaskState) {
        checkEveryEvent(in: state, legal: Self.taskLegal) { (state, event: TaskEvent) in try Lifecycle.next(state, on: event) }
    }

    @Test func terminalStatesAcceptNothingButARepeatedCancelOrARetry() {
        for state in RequestState.allCases where state.isTerminal {
            for event in RequestEvent.allCases {
                let result = try? Lifecycle.next(state, on: event)
                if state == .cancelled, event == .cancelRequested {
                    #expect(result == .cancelled)
                } else if state == .completedWithErrors, event == .retryRequested {
                    #expect(result == .queued)
                } else {
                    #expect(result == nil, "\(state) + \(event)")
                }
            }
        }
        for state in TaskState.allCases where state.isTerminal {
            #expect(TaskEvent.allCases.allSatisfy { (try? Lifecycle.next(state, on: $0)) == nil })
        }
        for state in JobState.allCases where state.isTerminal {
            #expect(JobEvent.allCases.allSatisfy { (try? Lifecycle.next(state, on: $0)) == nil || $0 == .retryRequested })
        }
    }

    @Test func sourcesAreDerivedFromTheTables() {
        #expect(Lifecycle.sources(of: TaskEvent.claimed) == [.queued, .retrying])
        #expect(Lifecycle.sources(of: RequestEvent.mergeStarted) == [.queued, .running])
        // A no-op (cancel of a cancelled request) is not a source: nothing would change.
        #expect(Lifecycle.sources(of: RequestEvent.cancelRequested) == [.merging, .queued, .running])
    }

    @Test func errorDescribesTheRefusal() {
        #expect(throws: TransitionError(entity: .task, from: "succeeded", event: "claimed")) {
            try Lifecycle.next(TaskState.succeeded, on: .claimed)
        }
        let error = TransitionError(entity: .request, from: "completed", event: "cancelRequested")
        #expect(error.description == "a request in state completed cannot take the event cancelRequested")
    }
}
