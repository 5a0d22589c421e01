/// A failure the command reports as one line on standard error before exiting non-zero.
struct CLIError: Error, CustomStringConvertible {
    /// What went wrong, in words the user can act on.
    let description: String

    init(_ description: String) { self.description = description }
}
