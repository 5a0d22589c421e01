/// One record read from an input, before any model has seen it.
public struct InputRecord: Sendable, Equatable {
    /// The user's identifier, as given (duplicates allowed); `nil` when the input has none.
    public var id: String?
    /// The record itself (a SMILES string), or the raw text of a record that could not be read.
    public var input: String
    /// Why the record cannot be predicted, when reading it already failed. Such a record is kept as
    /// an error row in every model's output instead of being dropped.
    public var error: String?
    /// The input's other columns (CSV/TSV columns, SD file data items), in the order of the
    /// reader's ``RecordReader/passthroughColumns``; `nil` for a column the record lacks. A record
    /// read before a column was first seen has fewer entries than there are columns.
    public var passthrough: [String?]

    /// Creates a record.
    public init(id: String?, input: String, error: String? = nil, passthrough: [String?] = []) {
        self.id = id
        self.input = input
        self.error = error
        self.passthrough = passthrough
    }
}
