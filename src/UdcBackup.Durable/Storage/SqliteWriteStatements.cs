using Microsoft.Data.Sqlite;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// The statements of <see cref="SqliteWorkflowStore.CommitAsync"/>, prepared once on the write
/// connection and reused by every batch (they run inside the batch's transaction, which is the
/// connection's). Parameters are bound by position, in the order of the column lists.
/// </summary>
internal sealed class WriteStatements : IDisposable
{
    private readonly SqliteRawStatement conflictRunning;
    private readonly SqliteRawStatement conflictAny;
    private readonly SqliteRawStatement fence;
    private readonly SqliteRawStatement insertExecution;
    private readonly SqliteRawStatement insertAttribute;
    private readonly SqliteRawStatement insertEvent;
    private readonly SqliteRawStatement deleteInbox;
    private readonly SqliteRawStatement insertInbox;
    private readonly SqliteRawStatement upsertTask;
    private readonly SqliteRawStatement heartbeat;
    private readonly SqliteRawStatement deleteTask;
    private readonly SqliteRawStatement insertTimer;
    private readonly SqliteRawStatement deleteTimer;
    private readonly SqliteRawStatement close;
    private readonly SqliteRawStatement deleteRunTasks;
    private readonly SqliteRawStatement deleteRunTimers;
    private readonly SqliteRawStatement upsertSchedule;
    private readonly SqliteRawStatement deleteSchedule;
    private readonly SqliteRawStatement keyHolder;
    private readonly SqliteRawStatement holdKey;
    private readonly SqliteRawStatement releaseKeys;
    private readonly SqliteRawStatement[] all;

    public WriteStatements(SqliteConnection connection)
    {
        conflictRunning = new(connection, "SELECT EXISTS (SELECT 1 FROM executions WHERE workflow_id = ?1 AND status = 1);");
        conflictAny = new(connection, "SELECT EXISTS (SELECT 1 FROM executions WHERE workflow_id = ?1);");
        insertExecution = new(connection, "INSERT INTO executions (workflow_id, run_id, workflow_type, status, start_time, input, parent_workflow_id, parent_run_id, parent_command_id, owner_id, lease_expires_at, lease_epoch) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12);");
        fence = new(connection, "SELECT EXISTS (SELECT 1 FROM executions WHERE run_id = ?1 AND owner_id = ?2 AND lease_epoch = ?3 AND status = 1);");
        insertAttribute = new(connection, "INSERT OR IGNORE INTO search_attributes (name, value, start_time, run_id) VALUES (?1, ?2, ?3, ?4);");
        insertEvent = new(connection, "INSERT INTO history_events (run_id, event_id, event_type, timestamp, data) VALUES (?1, ?2, ?3, ?4, ?5);");
        deleteInbox = new(connection, "DELETE FROM inbox WHERE message_id = ?1;");
        insertInbox = new(connection, "INSERT INTO inbox (run_id, data, received_at, received_by) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM executions WHERE run_id = ?1 AND status = 1);");
        upsertTask = new(connection, "INSERT OR REPLACE INTO activity_tasks (run_id, command_id, workflow_id, workflow_type, activity_type, input, options, attempt, scheduled_time, started_time, next_attempt_time, last_failure, heartbeat_details, heartbeat_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14);");
        heartbeat = new(connection, "UPDATE activity_tasks SET heartbeat_details = ?3, heartbeat_time = ?4 WHERE run_id = ?1 AND command_id = ?2;");
        deleteTask = new(connection, "DELETE FROM activity_tasks WHERE run_id = ?1 AND command_id = ?2;");
        insertTimer = new(connection, "INSERT OR REPLACE INTO timers (run_id, command_id, fire_at) VALUES (?1, ?2, ?3);");
        deleteTimer = new(connection, "DELETE FROM timers WHERE run_id = ?1 AND command_id = ?2;");
        close = new(connection, "UPDATE executions SET status = ?2, close_time = ?3, result = ?4, failure = ?5, owner_id = NULL, lease_expires_at = NULL WHERE run_id = ?1;");
        deleteRunTasks = new(connection, "DELETE FROM activity_tasks WHERE run_id = ?1;");
        deleteRunTimers = new(connection, "DELETE FROM timers WHERE run_id = ?1;");
        upsertSchedule = new(connection, "INSERT OR REPLACE INTO schedules (schedule_id, definition, state, updated_at) VALUES (?1, ?2, ?3, ?4);");
        deleteSchedule = new(connection, "DELETE FROM schedules WHERE schedule_id = ?1;");
        keyHolder = new(connection, "SELECT e.workflow_id, e.run_id, e.workflow_type, e.start_time FROM exclusive_keys k JOIN executions e ON e.run_id = k.run_id WHERE k.key = ?1 AND e.status = 1;");
        holdKey = new(connection, "INSERT OR REPLACE INTO exclusive_keys (key, run_id) VALUES (?1, ?2);");
        releaseKeys = new(connection, "DELETE FROM exclusive_keys WHERE run_id = ?1;");
        all = [conflictRunning, conflictAny, fence, insertExecution, insertAttribute, insertEvent, deleteInbox, insertInbox, upsertTask, heartbeat, deleteTask, insertTimer, deleteTimer, close, deleteRunTasks, deleteRunTimers, upsertSchedule, deleteSchedule, keyHolder, holdKey, releaseKeys];
    }

    public bool Conflicts(string workflowId, bool any) =>
        (any ? conflictAny : conflictRunning).Text(1, workflowId).Scalar() != 0;

    /// <summary>Whether the run is still running under the owner and epoch the set was written under.</summary>
    public bool FenceHolds(LeaseFence f) => fence.Text(1, f.RunId).Text(2, f.OwnerId).Long(3, f.Epoch).Scalar() != 0;

    /// <summary>The first of <paramref name="execution"/>'s exclusive keys that a running run holds, with that run; null when none is held.</summary>
    public ExclusiveKeyHolder? HeldKey(ExecutionRecord execution)
    {
        foreach (var key in execution.ExclusiveKeys)
        {
            var holder = keyHolder.Text(1, key).First(column => new ExclusiveKeyHolder(
                key,
                column(0),
                column(1),
                column(2),
                new DateTime(long.Parse(column(3), System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)));
            if (holder is not null)
            {
                return holder;
            }
        }

        return null;
    }

    public void Apply(StoreWriteSet set)
    {
        foreach (var e in set.NewExecutions)
        {
            foreach (var key in e.ExclusiveKeys)
            {
                holdKey.Text(1, key).Text(2, e.RunId).Run();
            }

            insertExecution.Text(1, e.WorkflowId).Text(2, e.RunId).Text(3, e.WorkflowType).Long(4, (int)e.Status).Long(5, e.StartTime.Ticks)
                .Text(6, SqliteWorkflowStore.Json(e.Input)).Text(7, e.ParentWorkflowId).Text(8, e.ParentRunId).Long(9, e.ParentCommandId)
                .Text(10, e.OwnerId).Long(11, e.LeaseExpiresAt?.Ticks).Long(12, e.LeaseEpoch).Run();
            foreach (var a in e.SearchAttributes)
            {
                insertAttribute.Text(1, a.Name).Text(2, a.Value).Long(3, e.StartTime.Ticks).Text(4, e.RunId).Run();
            }
        }

        foreach (var stored in set.Events)
        {
            var e = stored.Event;
            insertEvent.Text(1, stored.RunId).Long(2, e.EventId).Long(3, (int)e.EventType).Long(4, e.Timestamp.Ticks).Text(5, stored.Json).Run();
        }

        foreach (var messageId in set.ConsumeInbox)
        {
            deleteInbox.Long(1, messageId).Run();
        }

        foreach (var m in set.EnqueueInbox)
        {
            insertInbox.Text(1, m.RunId).Text(2, SqliteWorkflowStore.Json(m.Event)).Long(3, m.ReceivedAt.Ticks).Text(4, m.ReceivedBy).Run();
        }

        foreach (var t in set.UpsertActivityTasks)
        {
            upsertTask.Text(1, t.RunId).Long(2, t.CommandId).Text(3, t.WorkflowId).Text(4, t.WorkflowType).Text(5, t.ActivityType)
                .Text(6, SqliteWorkflowStore.Json(t.Input)).Text(7, SqliteWorkflowStore.Json(t.Options)).Long(8, t.Attempt)
                .Long(9, t.ScheduledTime.Ticks).Long(10, t.StartedTime?.Ticks).Long(11, t.NextAttemptTime?.Ticks)
                .Text(12, SqliteWorkflowStore.Json(t.LastFailure)).Text(13, SqliteWorkflowStore.Json(t.HeartbeatDetails)).Long(14, t.HeartbeatTime?.Ticks).Run();
        }

        foreach (var h in set.HeartbeatUpdates)
        {
            heartbeat.Text(1, h.RunId).Long(2, h.CommandId).Text(3, SqliteWorkflowStore.Json(h.Details)).Long(4, h.Time.Ticks).Run();
        }

        foreach (var (runId, commandId) in set.DeleteActivityTasks)
        {
            deleteTask.Text(1, runId).Long(2, commandId).Run();
        }

        foreach (var t in set.InsertTimers)
        {
            insertTimer.Text(1, t.RunId).Long(2, t.CommandId).Long(3, t.FireAt.Ticks).Run();
        }

        foreach (var (runId, commandId) in set.DeleteTimers)
        {
            deleteTimer.Text(1, runId).Long(2, commandId).Run();
        }

        if (set.Close is { } c)
        {
            close.Text(1, c.RunId).Long(2, (int)c.Status).Long(3, c.CloseTime.Ticks).Text(4, SqliteWorkflowStore.Json(c.Result)).Text(5, SqliteWorkflowStore.Json(c.Failure)).Run();
            deleteRunTasks.Text(1, c.RunId).Run();
            deleteRunTimers.Text(1, c.RunId).Run();
            releaseKeys.Text(1, c.RunId).Run();
        }

        if (set.UpsertSchedule is { } s)
        {
            upsertSchedule.Text(1, s.ScheduleId).Text(2, s.DefinitionJson).Text(3, s.StateJson).Long(4, s.UpdatedAt.Ticks).Run();
        }

        if (set.DeleteScheduleId is { } id)
        {
            deleteSchedule.Text(1, id).Run();
        }
    }

    public void Dispose()
    {
        foreach (var statement in all)
        {
            statement.Dispose();
        }
    }
}
