import Foundation

/// Runs `work` on a thread of its own and waits for it without holding one of the cooperative
/// pool's threads: exports and plots read whole results, seconds of synchronous work that would
/// otherwise stall every request the server is answering (the pool has one thread per core).
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
