/// Something that happens to a request.
public enum RequestEvent: String, Sendable, CaseIterable {
    /// A worker claimed the first task.
    case workStarted
    /// Every task ended; the merge begins. This is the compare-and-set that makes finalize run once.
    case mergeStarted
    /// The merge's lease ran out (its process died): another process takes the merge over.
    case mergeTakenOver
    /// The merge wrote the result and no record failed.
    case mergedClean
    /// The merge wrote the result and at least one record failed.
    case mergedWithErrors
    /// The request cannot produce a result (the merge itself failed).
    case failed
    /// A user asked to cancel. Cancelling a request that is already cancelling or cancelled is a
    /// legal no-op, so that a repeated cancel answers the same.
    case cancelRequested
    /// No task of a cancelling request is running any more.
    case cancelDrained
    /// A user asked to re-run the records that failed. The one way out of a terminal state: a
    /// request that completed with errors goes back to the queue for its failed parts.
    case retryRequested
}

/// Something that happens to a job.
public enum JobEvent: String, Sendable, CaseIterable {
    /// A worker claimed the job's first task.
    case workStarted
    /// Finalize found every record of the job succeeded.
    case finishedClean
    /// Finalize found at least one failed record in the job.
    case finishedWithErrors
    /// The job could not produce output.
    case failed
    /// The request was cancelled.
    case cancelled
    /// Its failed records are to run again.
    case retryRequested
}

/// Something that happens to a task.
public enum TaskEvent: String, Sendable, CaseIterable {
    /// A worker claimed the task (first run, or again after backing off).
    case claimed
    /// The worker wrote the chunk output and reports success.
    case succeeded
    /// The attempt failed and may be tried again after a backoff.
    case failedRetryable
    /// The attempt failed for good; its records become error rows.
    case failedFinal
    /// The worker gave the task back without using it up (for example on shutdown).
    case released
    /// The lease ran out while running: the worker is presumed dead.
    case leaseExpired
    /// The request was cancelled: a waiting task is dropped, a running one stopped.
    case cancelled
}
