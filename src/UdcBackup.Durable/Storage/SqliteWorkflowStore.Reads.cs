using System.Text.Json;
using Microsoft.Data.Sqlite;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;

namespace UdcBackup.Durable.Storage;

/// <summary>Reads, on pooled connections that do not wait for the writer (WAL).</summary>
public sealed partial class SqliteWorkflowStore
{
    private const string ExecutionColumns = "workflow_id, run_id, workflow_type, status, start_time, close_time, input, result, failure, parent_workflow_id, parent_run_id, parent_command_id, owner_id, lease_expires_at, lease_epoch";
    private const string TaskColumns = "t.run_id, t.command_id, t.workflow_id, t.workflow_type, t.activity_type, t.input, t.options, t.attempt, t.scheduled_time, t.started_time, t.next_attempt_time, t.last_failure, t.heartbeat_details, t.heartbeat_time";

    public Task<ExecutionRecord?> GetExecutionAsync(string workflowId, string? runId = null, CancellationToken cancellationToken = default)
    {
        var sql = runId is null
            ? $"SELECT {ExecutionColumns} FROM executions WHERE workflow_id = $w ORDER BY start_time DESC, rowid DESC LIMIT 1;"
            : $"SELECT {ExecutionColumns} FROM executions WHERE run_id = $r;";
        var list = Query(sql, c =>
        {
            c.Parameters.AddWithValue("$w", workflowId);
            c.Parameters.AddWithValue("$r", (object?)runId ?? DBNull.Value);
        }, ReadExecution);
        return Task.FromResult(list.Count == 0 ? null : list[0]);
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(WorkflowListFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Attribute is not null)
        {
            return Task.FromResult<IReadOnlyList<ExecutionRecord>>(ListByAttribute(filter));
        }

        // The page cursor is compared as (start_time, rowid), the listing's own order, so a page
        // continues exactly where the previous one stopped even when start times are equal.
        var sql = $"""
            SELECT {ExecutionColumns} FROM executions
            WHERE ($type IS NULL OR workflow_type = $type) AND ($status IS NULL OR status = $status)
              AND ($after IS NULL OR start_time >= $after) AND ($before IS NULL OR start_time < $before)
              AND ($cursor IS NULL OR (start_time, rowid) < (SELECT start_time, rowid FROM executions WHERE run_id = $cursor))
            ORDER BY start_time DESC, rowid DESC LIMIT $limit;
            """;
        var list = Query(sql, c => BindListFilter(c, filter), ReadExecution);
        return Task.FromResult<IReadOnlyList<ExecutionRecord>>(list);
    }

    public Task<IReadOnlyList<HistoryEvent>> LoadHistoryAsync(string runId, CancellationToken cancellationToken = default)
    {
        var list = Query(
            "SELECT data FROM history_events WHERE run_id = $r ORDER BY event_id;",
            c => c.Parameters.AddWithValue("$r", runId),
            r => JsonSerializer.Deserialize<HistoryEvent>(r.GetString(0), DurableJson.Options)!);
        return Task.FromResult<IReadOnlyList<HistoryEvent>>(list);
    }

    public Task<IReadOnlyList<ActivityTaskRecord>> LoadActivityTasksAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default)
    {
        var sql = runId is not null
            ? $"SELECT {TaskColumns} FROM activity_tasks t WHERE t.run_id = $r ORDER BY t.command_id;"
            : $"SELECT {TaskColumns} FROM activity_tasks t JOIN executions e ON e.run_id = t.run_id WHERE e.status = 1 AND ($o IS NULL OR e.owner_id = $o) ORDER BY t.run_id, t.command_id;";
        var list = Query(sql, c =>
        {
            c.Parameters.AddWithValue("$r", (object?)runId ?? DBNull.Value);
            c.Parameters.AddWithValue("$o", (object?)ownerId ?? DBNull.Value);
        }, ReadTask);
        return Task.FromResult<IReadOnlyList<ActivityTaskRecord>>(list);
    }

    public Task<IReadOnlyList<TimerRecord>> LoadTimersAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default)
    {
        var sql = runId is not null
            ? "SELECT t.run_id, t.command_id, t.fire_at FROM timers t WHERE t.run_id = $r ORDER BY t.fire_at;"
            : "SELECT t.run_id, t.command_id, t.fire_at FROM timers t JOIN executions e ON e.run_id = t.run_id WHERE e.status = 1 AND ($o IS NULL OR e.owner_id = $o) ORDER BY t.fire_at;";
        var list = Query(sql, c =>
        {
            c.Parameters.AddWithValue("$r", (object?)runId ?? DBNull.Value);
            c.Parameters.AddWithValue("$o", (object?)ownerId ?? DBNull.Value);
        }, r => new TimerRecord(r.GetString(0), r.GetInt32(1), new DateTime(r.GetInt64(2), DateTimeKind.Utc)));
        return Task.FromResult<IReadOnlyList<TimerRecord>>(list);
    }

    public Task<IReadOnlyList<ScheduleRecord>> LoadSchedulesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScheduleRecord>>(Query("SELECT schedule_id, definition, state, updated_at FROM schedules ORDER BY schedule_id;", _ => { }, ReadSchedule));

    public Task<ScheduleRecord?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        var list = Query("SELECT schedule_id, definition, state, updated_at FROM schedules WHERE schedule_id = $id;", c => c.Parameters.AddWithValue("$id", scheduleId), ReadSchedule);
        return Task.FromResult(list.Count == 0 ? null : list[0]);
    }

    private static void BindListFilter(SqliteCommand c, WorkflowListFilter filter)
    {
        c.Parameters.AddWithValue("$type", (object?)filter.WorkflowType ?? DBNull.Value);
        c.Parameters.AddWithValue("$status", filter.Status is { } s ? (int)s : DBNull.Value);
        c.Parameters.AddWithValue("$after", filter.StartedAfter is { } a ? Utc(a) : DBNull.Value);
        c.Parameters.AddWithValue("$before", filter.StartedBefore is { } b ? Utc(b) : DBNull.Value);
        c.Parameters.AddWithValue("$cursor", (object?)filter.AfterRunId ?? DBNull.Value);
        c.Parameters.AddWithValue("$limit", filter.Limit <= 0 ? 100 : filter.Limit);
    }

    // Times are stored as UTC ticks; an unspecified kind is taken as UTC already.
    private static long Utc(DateTime time) => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks;

    private static ScheduleRecord ReadSchedule(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), new DateTime(r.GetInt64(3), DateTimeKind.Utc));

    private static ExecutionRecord ReadExecution(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        (WorkflowExecutionStatus)r.GetInt32(3),
        new DateTime(r.GetInt64(4), DateTimeKind.Utc),
        Time(r, 5),
        FromJson<JsonElement?>(r, 6),
        FromJson<JsonElement?>(r, 7),
        FromJson<FailureInfo>(r, 8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetInt32(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        Time(r, 13))
    {
        LeaseEpoch = r.GetInt64(14),
    };

    private static ActivityTaskRecord ReadTask(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetInt32(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        FromJson<JsonElement?>(r, 5),
        JsonSerializer.Deserialize<JsonElement>(r.GetString(6), DurableJson.Options),
        r.GetInt32(7),
        new DateTime(r.GetInt64(8), DateTimeKind.Utc),
        Time(r, 9),
        Time(r, 10),
        FromJson<FailureInfo>(r, 11),
        FromJson<JsonElement?>(r, 12),
        Time(r, 13));

    private List<T> Query<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader));
        }

        return list;
    }
}
