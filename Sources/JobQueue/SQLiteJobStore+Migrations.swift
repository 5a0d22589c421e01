import GRDB

extension SQLiteJobStore {
    /// Versioned schema changes; a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: requests, jobs, tasks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE requests (
                        id TEXT PRIMARY KEY,
                        owner TEXT NOT NULL,
                        state TEXT NOT NULL,
                        input_kind TEXT NOT NULL,
                        input_name TEXT,
                        input_key TEXT NOT NULL,
                        record_count INTEGER NOT NULL,
                        chunk_size INTEGER NOT NULL,
                        max_parallel INTEGER NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1,
                        created_at INTEGER NOT NULL,
                        started_at INTEGER,
                        finished_at INTEGER,
                        error TEXT,
                        result_key TEXT,
                        result_rows INTEGER,
                        result_bytes INTEGER,
                        result_has_errors INTEGER
                    );
                    CREATE INDEX requests_by_owner ON requests(owner, created_at DESC, id DESC);
                    CREATE INDEX requests_by_state ON requests(state, created_at);

                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY,
                        request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        model_id TEXT NOT NULL,
                        model_version TEXT NOT NULL,
                        state TEXT NOT NULL,
                        succeeded INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        cancelled INTEGER NOT NULL DEFAULT 0,
                        UNIQUE (request_id, position)
                    );

                    CREATE TABLE tasks (
                        id INTEGER PRIMARY KEY,
                        request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
                        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        state TEXT NOT NULL,
                        start_row INTEGER NOT NULL,
                        row_count INTEGER NOT NULL,
                        input_offset INTEGER NOT NULL,
                        attempt INTEGER NOT NULL DEFAULT 0,
                        run_after INTEGER NOT NULL DEFAULT 0,
                        lease_token TEXT,
                        lease_expires_at INTEGER,
                        worker_id TEXT,
                        started_at INTEGER,
                        finished_at INTEGER,
                        output_key TEXT,
                        succeeded INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        error TEXT
                    );
                    -- The claim query walks waiting tasks in order; the others look tasks up by request or job.
                    CREATE INDEX tasks_by_state ON tasks(state, request_id, id);
                    CREATE INDEX tasks_by_request ON tasks(request_id, state);
                    CREATE INDEX tasks_by_job ON tasks(job_id, start_row);
                    """)
        }
        migrator.registerMigration("v2: attempt limit per job") { db in
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 5")
        }
        migrator.registerMigration("v3: merge lease") { db in
            try db.execute(sql: "ALTER TABLE requests ADD COLUMN merge_token TEXT")
            try db.execute(sql: "ALTER TABLE requests ADD COLUMN merge_expires_at INTEGER")
        }
        migrator.registerMigration("v4: retry of failed parts") { db in
            // A superseded task is an earlier run of a chunk that a retry replaced; it keeps its
            // history but no longer counts in status or merge.
            try db.execute(sql: "ALTER TABLE tasks ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "ALTER TABLE tasks ADD COLUMN base_output_key TEXT")
            try db.execute(sql: "ALTER TABLE tasks ADD COLUMN retries_failed_only INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v5: partial results of cancelled requests") { db in
            try db.execute(sql: "ALTER TABLE requests ADD COLUMN result_partial INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v6: round-robin between owners") { db in
            // Whose turn it is: the owner whose last claim is oldest goes next.
            try db.execute(sql: "CREATE TABLE owner_turns (owner TEXT PRIMARY KEY, turn INTEGER NOT NULL)")
        }
        migrator.registerMigration("v7: idempotency keys") { db in
            try db.execute(sql: "ALTER TABLE requests ADD COLUMN idempotency_key TEXT")
            try db.execute(sql: "ALTER TABLE requests ADD COLUMN fingerprint TEXT")
            // NULLs are distinct, so only submissions that carry a key are constrained.
            try db.execute(sql: "CREATE UNIQUE INDEX requests_by_idempotency_key ON requests(owner, idempotency_key)")
        }
        migrator.registerMigration("v8: totals for monitoring") { db in
            try db.execute(sql: "CREATE TABLE queue_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        }
        migrator.registerMigration("v9: result checksums") { db in
            try db.execute(sql: "ALTER TABLE requests ADD COLUMN result_sha256 TEXT")
        }
        return migrator
    }
}
