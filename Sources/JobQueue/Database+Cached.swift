import GRDB

// Claims, heartbeats and task endings run thousands of times per request; compiling their SQL
// each time (and passing every statement through the authorizer) cost more than running it.
// These helpers reuse the connection's prepared statements.
extension Database {
    /// Executes `sql` through the statement cache.
    func execute(cached sql: String, _ arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// One row, through the statement cache.
    func row(cached sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// One value, through the statement cache.
    func value<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type, cached sql: String, _ arguments: StatementArguments = []
    ) throws -> Value? {
        try Value.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
