import Foundation

/// A thread of its own on which a slot's models run.
///
/// Models are synchronous, CPU-bound code that runs for milliseconds to minutes per chunk. On the
/// shared cooperative pool (one thread per core) they would leave no thread for the engine's own
/// work, heartbeats or HTTP handlers; on a thread of their own they also stay on one core's warm
/// caches from chunk to chunk.
final class ModelThread: TaskExecutor, @unchecked Sendable {
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private let condition = NSCondition()

    /// Starts the thread, named `name` (at most 15 bytes, the system's limit); it runs until
    /// ``stop()``.
    init(name: String) {
        // The thread holds the executor until it ends, so jobs never outlive it.
        let thread = Thread { [self] in
            // Named from inside: a new thread would otherwise carry its creator's name.
            Thread.current.name = name
            serve()
        }
        // Models may recurse deeply (ring perception, parsers): give them a main-thread-sized stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once every job enqueued so far has run.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty, !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
