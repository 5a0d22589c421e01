/// Calls `body` with the UTF-8 bytes of `text`, copying them only when the string is not stored
/// contiguously (a bridged string, for example), so that parsers can work on bytes.
func withUTF8Bytes<Result, Failure: Error>(
    of text: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
) throws(Failure) -> Result {
    // withContiguousStorageIfAvailable cannot rethrow a typed error, so the outcome is carried
    // out of the closure.
    let outcome: Swift.Result<Result, Failure>? = text.utf8.withContiguousStorageIfAvailable { bytes in
        do throws(Failure) {
            return .success(try body(bytes))
        } catch {
            return .failure(error)
        }
    }
    if let outcome { return try outcome.get() }
    let copy = Array(text.utf8)
    return try copy.withUnsafeBufferPointer { bytes throws(Failure) in try body(bytes) }
}
