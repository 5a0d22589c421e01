import PostgresNIO

extension PostgresJobStore {
    /// Versioned schema changes, applied in order; a released migration is never edited, only
    /// followed by a new one. Times are milliseconds since 1970 by the database's clock.
    static let migrations: [(version: Int, sql: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE requests (
                    id TEXT PRIMARY KEY,
                    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                    owner TEXT NOT NULL,
                    state TEXT NOT NULL,
                    input_kind TEXT NOT NULL,
                    input_name TEXT,
                    input_key TEXT NOT NULL,
                    record_count BIGINT NOT NULL,
                    chunk_size BIGINT NOT NULL,
                    max_parallel BIGINT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1,
                    created_at BIGINT NOT NULL,
                    started_at BIGINT,
                    finished_at BIGINT,
                    error TEXT,
                    result_key TEXT,
                    result_rows BIGINT,
                    result_bytes BIGINT,
                    result_has_errors BOOLEAN,
                    result_partial BOOLEAN NOT NULL DEFAULT FALSE,
                    merge_token TEXT,
                    merge_expires_at BIGINT
                )
                """,
                "CREATE INDEX requests_by_owner ON requests (owner, created_at DESC, seq DESC)",
                "CREATE INDEX requests_by_state ON requests (state, created_at, seq)",
                """
                CREATE TABLE jobs (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
                    position BIGINT NOT NULL,
                    model_id TEXT NOT NULL,
                    model_version TEXT NOT NULL,
                    state TEXT NOT NULL,
                    max_attempts BIGINT NOT NULL DEFAULT 5,
                    succeeded BIGINT NOT NULL DEFAULT 0,
                    failed BIGINT NOT NULL DEFAULT 0,
                    cancelled BIGINT NOT NULL DEFAULT 0,
                    UNIQUE (request_id, position)
                )
                """,
                """
                CREATE TABLE tasks (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
                    job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    state TEXT NOT NULL,
                    start_row BIGINT NOT NULL,
                    row_count BIGINT NOT NULL,
                    input_offset BIGINT NOT NULL,
                    attempt BIGINT NOT NULL DEFAULT 0,
                    run_after BIGINT NOT NULL DEFAULT 0,
                    lease_token TEXT,
                    lease_expires_at BIGINT,
                    worker_id TEXT,
                    started_at BIGINT,
                    finished_at BIGINT,
                    output_key TEXT,
                    succeeded BIGINT NOT NULL DEFAULT 0,
                    failed BIGINT NOT NULL DEFAULT 0,
                    error TEXT,
                    superseded BOOLEAN NOT NULL DEFAULT FALSE,
                    base_output_key TEXT,
                    retries_failed_only BOOLEAN NOT NULL DEFAULT FALSE
                )
                """,
                // Claims seek a request's next waiting task; status and merge read a request's or a
                // job's tasks; the rescue sweep reads running tasks by lease expiry.
                "CREATE INDEX tasks_by_request ON tasks (request_id, state, id)",
                "CREATE INDEX tasks_by_job ON tasks (job_id, start_row)",
                "CREATE INDEX tasks_running ON tasks (lease_expires_at) WHERE state = 'running'",
                // Whose turn it is: the owner whose last claim is oldest goes next.
                "CREATE TABLE owner_turns (owner TEXT PRIMARY KEY, turn BIGINT NOT NULL)",
            ]
        ),
        (
            2,
            [
                "ALTER TABLE requests ADD COLUMN idempotency_key TEXT",
                "ALTER TABLE requests ADD COLUMN fingerprint TEXT",
                // NULLs are distinct, so only submissions that carry a key are constrained.
                "CREATE UNIQUE INDEX requests_by_idempotency_key ON requests (owner, idempotency_key)",
            ]
        ),
        (
            3,
            [
                "CREATE TABLE queue_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
                // The totals count tasks by state over all requests.
                "CREATE INDEX tasks_by_state ON tasks (state)",
            ]
        ),
        (4, ["ALTER TABLE requests ADD COLUMN result_sha256 TEXT"]),
    ]

    /// How long starting up waits for a first connection before giving up with an explanation.
    static let startupConnectionWait: Duration = .seconds(15)

    /// Applies the migrations this database has not seen yet. Processes starting together take
    /// turns on an advisory lock, so each migration runs exactly once.
    ///
    /// The wait for a connection is bounded: a server that never completes the handshake (such as
    /// one without TLS under `sslmode=require`) must not hang the process that starts.
    func migrate() async throws {
        let acquired = Acquired()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await self.migrateUnbounded(acquired: acquired)
                return true
            }
            group.addTask {
                try await Task.sleep(for: Self.startupConnectionWait)
                guard acquired.value else {
                    throw JobStoreUnavailable(
                        "no connection within \(Self.startupConnectionWait): check the host, the port and sslmode (a server without TLS never answers sslmode=require)")
                }
                return false
            }
            while let migrated = try await group.next() {
                if migrated {
                    group.cancelAll()
                    return
                }
            }
        }
    }

    private func migrateUnbounded(acquired: Acquired) async throws {
        try await client.withConnection { connection in
            acquired.set()
            try await connection.run("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: logger)
            do {
                try await connection.run(
                    "CREATE TABLE IF NOT EXISTS bulkpredict_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                    logger: logger)
                let applied = Set(
                    try await connection.rows("SELECT version FROM bulkpredict_migrations", logger: logger).map {
                        try $0.get("version", as: Int.self)
                    })
                for migration in Self.migrations where !applied.contains(migration.version) {
                    try await connection.run("BEGIN", logger: logger)
                    do {
                        for statement in migration.sql { try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger) }
                        try await connection.run("INSERT INTO bulkpredict_migrations (version) VALUES (\(migration.version))", logger: logger)
                        try await connection.run("COMMIT", logger: logger)
                    } catch {
                        _ = try? await connection.run("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch {
                _ = try? await connection.run("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
                throw error
            }
            try await connection.run("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
        }
    }
}
