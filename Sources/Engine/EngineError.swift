/// A failure inside the engine (a damaged file, a model breaking its contract). The message is
/// stored as the reason of a failed task or merge, so it is written for the user.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
