using Microsoft.Data.Sqlite;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// Prepared statements of the write connection, created once and re-bound to each transaction:
/// preparing SQL costs more than running it, and a batch runs each statement many times.
/// </summary>
internal sealed class WriteStatements : IDisposable
{
    private readonly SqliteCommand conflictRunning;
    private readonly SqliteCommand conflictAny;
    private readonly SqliteCommand insertExecution;
    private readonly SqliteCommand insertEvent;
    private readonly SqliteCommand upsertTask;
    private readonly SqliteCommand heartbeat;
    private readonly SqliteCommand deleteTask;
    private readonly SqliteCommand insertTimer;
    private readonly SqliteCommand deleteTimer;
    private readonly SqliteCommand close;
    private readonly SqliteCommand deleteRunTasks;
    private readonly SqliteCommand deleteRunTimers;
    private readonly SqliteCommand upsertSchedule;
    private readonly SqliteCommand deleteSchedule;
    private readonly SqliteCommand[] all;

    public WriteStatements(SqliteConnection connection)
    {
        conflictRunning = Make(connection, "SELECT EXISTS (SELECT 1 FROM executions WHERE workflow_id = $w AND status = 1);", "$w");
        conflictAny = Make(connection, "SELECT EXISTS (SELECT 1 FROM executions WHERE workflow_id = $w);", "$w");
        insertExecution = Make(
            connection,
            "INSERT INTO executions (workflow_id, run_id, workflow_type, status, start_time, input, parent_workflow_id, parent_run_id, parent_command_id, owner_id, lease_expires_at) VALUES ($w, $r, $t, $s, $st, $in, $pw, $pr, $pc, $o, $l);",
            "$w", "$r", "$t", "$s", "$st", "$in", "$pw", "$pr", "$pc", "$o", "$l");
        insertEvent = Make(connection, "INSERT INTO history_events (run_id, event_id, event_type, timestamp, data) VALUES ($r, $id, $t, $ts, $d);", "$r", "$id", "$t", "$ts", "$d");
        upsertTask = Make(
            connection,
            "INSERT OR REPLACE INTO activity_tasks (run_id, command_id, workflow_id, workflow_type, activity_type, input, options, attempt, scheduled_time, started_time, next_attempt_time, last_failure, heartbeat_details, heartbeat_time) VALUES ($r, $c, $w, $wt, $a, $in, $op, $at, $sc, $st, $na, $lf, $hd, $ht);",
            "$r", "$c", "$w", "$wt", "$a", "$in", "$op", "$at", "$sc", "$st", "$na", "$lf", "$hd", "$ht");
        heartbeat = Make(connection, "UPDATE activity_tasks SET heartbeat_details = $hd, heartbeat_time = $ht WHERE run_id = $r AND command_id = $c;", "$r", "$c", "$hd", "$ht");
        deleteTask = Make(connection, "DELETE FROM activity_tasks WHERE run_id = $r AND command_id = $c;", "$r", "$c");
        insertTimer = Make(connection, "INSERT OR REPLACE INTO timers (run_id, command_id, fire_at) VALUES ($r, $c, $f);", "$r", "$c", "$f");
        deleteTimer = Make(connection, "DELETE FROM timers WHERE run_id = $r AND command_id = $c;", "$r", "$c");
        close = Make(connection, "UPDATE executions SET status = $s, close_time = $ct, result = $res, failure = $f, owner_id = NULL, lease_expires_at = NULL WHERE run_id = $r;", "$r", "$s", "$ct", "$res", "$f");
        deleteRunTasks = Make(connection, "DELETE FROM activity_tasks WHERE run_id = $r;", "$r");
        deleteRunTimers = Make(connection, "DELETE FROM timers WHERE run_id = $r;", "$r");
        upsertSchedule = Make(connection, "INSERT OR REPLACE INTO schedules (schedule_id, definition, state, updated_at) VALUES ($id, $d, $s, $u);", "$id", "$d", "$s", "$u");
        deleteSchedule = Make(connection, "DELETE FROM schedules WHERE schedule_id = $id;", "$id");
        all = [conflictRunning, conflictAny, insertExecution, insertEvent, upsertTask, heartbeat, deleteTask, insertTimer, deleteTimer, close, deleteRunTasks, deleteRunTimers, upsertSchedule, deleteSchedule];
    }

    public void Bind(SqliteTransaction transaction)
    {
        foreach (var command in all)
        {
            command.Transaction = transaction;
        }
    }

    public bool Conflicts(string workflowId, bool any)
    {
        var command = any ? conflictAny : conflictRunning;
        command.Parameters[0].Value = workflowId;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    public void Apply(StoreWriteSet set)
    {
        foreach (var e in set.NewExecutions)
        {
            Run(insertExecution, e.WorkflowId, e.RunId, e.WorkflowType, (int)e.Status, e.StartTime.Ticks, SqliteWorkflowStore.Json(e.Input), e.ParentWorkflowId, e.ParentRunId, e.ParentCommandId, e.OwnerId, e.LeaseExpiresAt?.Ticks);
        }

        foreach (var stored in set.Events)
        {
            var e = stored.Event;
            Run(insertEvent, stored.RunId, e.EventId, (int)e.EventType, e.Timestamp.Ticks, stored.Json);
        }

        foreach (var t in set.UpsertActivityTasks)
        {
            Run(upsertTask, t.RunId, t.CommandId, t.WorkflowId, t.WorkflowType, t.ActivityType, SqliteWorkflowStore.Json(t.Input), SqliteWorkflowStore.Json(t.Options), t.Attempt, t.ScheduledTime.Ticks, t.StartedTime?.Ticks, t.NextAttemptTime?.Ticks, SqliteWorkflowStore.Json(t.LastFailure), SqliteWorkflowStore.Json(t.HeartbeatDetails), t.HeartbeatTime?.Ticks);
        }

        foreach (var h in set.HeartbeatUpdates)
        {
            Run(heartbeat, h.RunId, h.CommandId, SqliteWorkflowStore.Json(h.Details), h.Time.Ticks);
        }

        foreach (var (runId, commandId) in set.DeleteActivityTasks)
        {
            Run(deleteTask, runId, commandId);
        }

        foreach (var t in set.InsertTimers)
        {
            Run(insertTimer, t.RunId, t.CommandId, t.FireAt.Ticks);
        }

        foreach (var (runId, commandId) in set.DeleteTimers)
        {
            Run(deleteTimer, runId, commandId);
        }

        if (set.Close is { } c)
        {
            Run(close, c.RunId, (int)c.Status, c.CloseTime.Ticks, SqliteWorkflowStore.Json(c.Result), SqliteWorkflowStore.Json(c.Failure));
            Run(deleteRunTasks, c.RunId);
            Run(deleteRunTimers, c.RunId);
        }

        if (set.UpsertSchedule is { } s)
        {
            Run(upsertSchedule, s.ScheduleId, s.DefinitionJson, s.StateJson, s.UpdatedAt.Ticks);
        }

        if (set.DeleteScheduleId is { } id)
        {
            Run(deleteSchedule, id);
        }
    }

    public void Dispose()
    {
        foreach (var command in all)
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Make(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new SqliteParameter(p, null));
        }

        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
