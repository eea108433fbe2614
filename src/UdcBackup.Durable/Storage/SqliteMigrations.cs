namespace UdcBackup.Durable.Storage;

/// <summary>
/// The schema of the SQLite store as ordered migration steps. A step is never edited once
/// released; changes are new steps. <c>schema_version</c> holds one row per applied step.
/// Times are UTC .NET ticks (100 ns units since 0001-01-01); JSON columns hold System.Text.Json
/// documents with camelCase names.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Steps =
    [
        (1, "executions, history, activity tasks, timers, schedules", """
            CREATE TABLE executions (
                run_id            TEXT PRIMARY KEY,
                workflow_id       TEXT NOT NULL,
                workflow_type     TEXT NOT NULL,
                status            INTEGER NOT NULL,
                start_time        INTEGER NOT NULL,
                close_time        INTEGER,
                input             TEXT,
                result            TEXT,
                failure           TEXT,
                parent_workflow_id TEXT,
                parent_run_id     TEXT,
                parent_command_id INTEGER,
                owner_id          TEXT,
                lease_expires_at  INTEGER
            );
            CREATE UNIQUE INDEX ux_executions_running_workflow_id ON executions(workflow_id) WHERE status = 1;
            CREATE INDEX ix_executions_workflow_id ON executions(workflow_id, start_time);
            CREATE INDEX ix_executions_status_start ON executions(status, start_time);
            CREATE INDEX ix_executions_type_start ON executions(workflow_type, start_time);
            CREATE INDEX ix_executions_owner ON executions(owner_id) WHERE status = 1;
            CREATE TABLE history_events (
                run_id     TEXT NOT NULL,
                event_id   INTEGER NOT NULL,
                event_type INTEGER NOT NULL,
                timestamp  INTEGER NOT NULL,
                data       TEXT NOT NULL,
                PRIMARY KEY (run_id, event_id)
            ) WITHOUT ROWID;
            CREATE TABLE activity_tasks (
                run_id            TEXT NOT NULL,
                command_id        INTEGER NOT NULL,
                workflow_id       TEXT NOT NULL,
                workflow_type     TEXT NOT NULL,
                activity_type     TEXT NOT NULL,
                input             TEXT,
                options           TEXT NOT NULL,
                attempt           INTEGER NOT NULL,
                scheduled_time    INTEGER NOT NULL,
                started_time      INTEGER,
                next_attempt_time INTEGER,
                last_failure      TEXT,
                heartbeat_details TEXT,
                heartbeat_time    INTEGER,
                PRIMARY KEY (run_id, command_id)
            ) WITHOUT ROWID;
            CREATE TABLE timers (
                run_id     TEXT NOT NULL,
                command_id INTEGER NOT NULL,
                fire_at    INTEGER NOT NULL,
                PRIMARY KEY (run_id, command_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_timers_fire_at ON timers(fire_at);
            CREATE TABLE schedules (
                schedule_id TEXT PRIMARY KEY,
                definition  TEXT NOT NULL,
                state       TEXT NOT NULL,
                updated_at  INTEGER NOT NULL
            );
            """),
        (2, "lease epoch (fencing token of the owner)", """
            ALTER TABLE executions ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
            """),
        (3, "durable inbox of signals and cancel requests received by a node that does not own the run", """
            CREATE TABLE inbox (
                message_id  INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id      TEXT NOT NULL,
                data        TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                received_by TEXT NOT NULL
            );
            CREATE INDEX ix_inbox_run ON inbox(run_id, message_id);
            """),
        (4, "search attributes of runs (indexed labels the host derives from the input) and the version of the rules they come from", """
            CREATE TABLE search_attributes (
                name       TEXT NOT NULL,
                value      TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                run_id     TEXT NOT NULL,
                PRIMARY KEY (name, value, start_time, run_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_search_attributes_run ON search_attributes(run_id);
            CREATE TABLE store_settings (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        (5, "exclusive keys held by running runs (one row per key; a start naming a held key is refused; released by the close)", """
            CREATE TABLE IF NOT EXISTS exclusive_keys (
                key    TEXT PRIMARY KEY,
                run_id TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_exclusive_keys_run ON exclusive_keys(run_id);
            """),
    ];

    public static int Latest => Steps[^1].Version;
}
