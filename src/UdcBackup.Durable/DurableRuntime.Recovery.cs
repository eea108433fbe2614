using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>Recovery (replay of claimed runs) and the store-facing callbacks of activity attempts.</summary>
public sealed partial class DurableRuntime
{
    internal async Task CompleteActivityAsync(string runId, int commandId, IReadOnlyList<HistoryEvent> events)
    {
        if (FindCached(runId) is not { } actor)
        {
            return;
        }

        try
        {
            await AppendAsync(actor, events, () => actor.LiveActivities.Remove(commandId), set => set.DeleteActivityTasks.Add((runId, commandId)));
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, $"Recording the outcome of activity {commandId} of run {runId} failed; the activity will run again.", ex);
        }
    }

    /// <summary>
    /// Records the start of an attempt (the task row with its started time) and waits for the
    /// commit; with <paramref name="interrupted"/>, the interruption of the previous attempt is
    /// appended to history in the same commit. True once durable; false when the run is not
    /// cached here, is closing, the activity is no longer live (never resurrects a cancelled
    /// task) or the lease fence refused the set. A failed commit throws (the run is reloaded).
    /// </summary>
    internal Task<bool> RecordActivityStartAsync(ActivityTaskRecord started, HistoryEvent? interrupted)
    {
        if (FindCached(started.RunId) is not { } actor)
        {
            return Task.FromResult(false);
        }

        if (interrupted is not null)
        {
            return AppendAsync(actor, [interrupted], () => actor.LiveActivities.Contains(started.CommandId), set => set.UpsertActivityTasks.Add(started));
        }

        WriteRequest request;
        lock (actor.Gate)
        {
            if (actor.Closing || actor.Faulted || actor.Evicted || !actor.LiveActivities.Contains(started.CommandId))
            {
                return Task.FromResult(false);
            }

            var set = new StoreWriteSet { Fence = FenceOf(actor) };
            set.UpsertActivityTasks.Add(started);
            request = new WriteRequest(set, owner: actor);
            Writer.Enqueue(request);
        }

        return ObserveAsync(actor, request.Completion);
    }

    /// <summary>Persists the retry state of a still-pending activity (never resurrects a cancelled one); not awaited: a retry's start waits for its own commit.</summary>
    internal void PersistActivityTask(ActivityTaskRecord task)
    {
        if (FindCached(task.RunId) is not { } actor)
        {
            return;
        }

        lock (actor.Gate)
        {
            if (actor.Closing || actor.Faulted || !actor.LiveActivities.Contains(task.CommandId))
            {
                return;
            }

            var set = new StoreWriteSet { Fence = FenceOf(actor) };
            set.UpsertActivityTasks.Add(task);
            Writer.Enqueue(new WriteRequest(set, owner: actor));
        }
    }

    internal void PersistHeartbeat(string runId, int commandId, JsonElement? details, DateTime time)
    {
        if (state is not (1 or 2) || FindCached(runId) is not { } actor)
        {
            return;
        }

        var set = new StoreWriteSet { Fence = FenceOf(actor) };
        set.HeartbeatUpdates.Add(new ActivityHeartbeatUpdate(runId, commandId, details, time));
        Writer.Enqueue(new WriteRequest(set, owner: actor));
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await claimGate.WaitAsync(cancellationToken);
        try
        {
            var now = Now;
            var claimed = await Store.ClaimRunningExecutionsAsync(options.OwnerId, now, now + options.LeaseDuration, cancellationToken);
            if (claimed.Count > 0)
            {
                Log(DurableLogLevel.Information, $"Recovering {claimed.Count} running executions.");
            }

            await RecoverRunsAsync(claimed, cancellationToken);
        }
        finally
        {
            claimGate.Release();
        }
    }

    /// <summary>Loads runs into the cache by replaying their histories (the records must have been claimed by this runtime: their epoch fences every write), then resumes their timers, activities, children and new commands.</summary>
    /// <remarks>Callers: start-up claim, periodic takeover, load on demand and reload after a failed commit.</remarks>
    internal async Task RecoverRunsAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken, bool pin = false)
    {
        var loaded = new List<(ExecutionActor Actor, List<WorkflowCommand> Commands)>();
        foreach (var record in records)
        {
            if (FindCached(record.RunId) is not null)
            {
                continue;
            }

            if (Registry.FindWorkflow(record.WorkflowType) is not { } definition)
            {
                Log(DurableLogLevel.Error, $"Run {record.RunId} of {record.WorkflowId} has unregistered type '{record.WorkflowType}'; left pending.");
                continue;
            }

            var history = await Store.LoadHistoryAsync(record.RunId, cancellationToken);
            var actor = NewActor(record.WorkflowId, record.RunId, definition);
            actor.NextEventId = history.Count == 0 ? 1 : history[^1].EventId + 1;
            actor.ParentRunId = record.ParentRunId;
            actor.ParentCommandId = record.ParentCommandId;
            actor.LeaseEpoch = record.LeaseEpoch;
            actor.Pinned = pin;
            await actor.StepLock.WaitAsync(cancellationToken);
            try
            {
                if (!TryRegister(actor))
                {
                    continue;
                }

                var failure = ReplayInto(actor, history);
                actor.Ready.TrySetResult();
                if (failure is not null)
                {
                    Log(DurableLogLevel.Error, $"Replay of {record.WorkflowId} ({record.RunId}) failed: {failure.Message}", failure);
                    await FailExecutionAsync(actor, failure);
                    continue;
                }

                loaded.Add((actor, actor.Instance.TakeCommands()));
            }
            finally
            {
                actor.StepLock.Release();
            }
        }

        if (loaded.Count == 0)
        {
            return;
        }

        var bulk = loaded.Count > 16;
        var tasks = bulk ? await Store.LoadActivityTasksAsync(null, options.OwnerId, cancellationToken) : [];
        var timerRows = bulk ? await Store.LoadTimersAsync(null, options.OwnerId, cancellationToken) : [];
        foreach (var (actor, commands) in loaded)
        {
            var actorTasks = bulk ? tasks.Where(t => t.RunId == actor.RunId) : await Store.LoadActivityTasksAsync(actor.RunId, null, cancellationToken);
            foreach (var task in actorTasks)
            {
                Activities.Recover(task, actor.InterruptedAttempts.GetValueOrDefault(task.CommandId));
            }

            var actorTimers = bulk ? timerRows.Where(t => t.RunId == actor.RunId) : await Store.LoadTimersAsync(actor.RunId, null, cancellationToken);
            foreach (var timer in actorTimers)
            {
                ArmTimer(timer.RunId, timer.CommandId, timer.FireAt);
            }

            List<KeyValuePair<int, (string WorkflowId, string RunId)>> children;
            lock (actor.Gate)
            {
                children = [.. actor.LiveChildren];
            }

            foreach (var (commandId, child) in children)
            {
                if (await Store.GetExecutionAsync(child.WorkflowId, child.RunId, cancellationToken) is { Status: not WorkflowExecutionStatus.Running } closed)
                {
                    _ = NotifyParentAsync(actor, commandId, closed.WorkflowId, closed.RunId, new ExecutionClose(closed.RunId, closed.Status, closed.CloseTime ?? Now, closed.Result, closed.Failure));
                }
            }

            // A cancel request recorded before the crash but not acknowledged: send it again (the child ignores a second one).
            List<int> cancels;
            lock (actor.Gate)
            {
                cancels = [.. actor.PendingChildCancels];
            }

            foreach (var commandId in cancels)
            {
                _ = SendChildCancelAsync(actor, commandId);
            }

            if (commands.Count > 0)
            {
                await actor.StepLock.WaitAsync(cancellationToken);
                try
                {
                    await RecordCommandsAsync(actor, commands);
                }
                finally
                {
                    actor.StepLock.Release();
                }
            }
        }
    }

    /// <summary>Replays a history into the actor's instance and rebuilds what is live; returns the non-determinism found, if any.</summary>
    private static NonDeterminismException? ReplayInto(ExecutionActor actor, IReadOnlyList<HistoryEvent> history)
    {
        actor.Instance.BeginReplay(history);
        try
        {
            foreach (var e in history)
            {
                actor.Instance.Replay(e);
                TrackLive(actor, e);
            }

            return null;
        }
        catch (NonDeterminismException ex)
        {
            return ex;
        }
        finally
        {
            actor.Instance.IsReplaying = false;
        }
    }

    private static void TrackLive(ExecutionActor actor, HistoryEvent e)
    {
        var id = e.CommandId ?? 0;
        switch (e.EventType)
        {
            case HistoryEventType.ActivityTaskScheduled:
                actor.LiveActivities.Add(id);
                break;
            case HistoryEventType.ActivityTaskCompleted or HistoryEventType.ActivityTaskFailed or HistoryEventType.ActivityTaskTimedOut or HistoryEventType.ActivityTaskCancelRequested:
                actor.LiveActivities.Remove(id);
                break;
            case HistoryEventType.ActivityTaskAttemptInterrupted:
                actor.InterruptedAttempts[id] = actor.InterruptedAttempts.GetValueOrDefault(id) + 1;
                break;
            case HistoryEventType.TimerStarted:
                actor.LiveTimers.Add(id);
                break;
            case HistoryEventType.TimerFired or HistoryEventType.TimerCanceled:
                actor.LiveTimers.Remove(id);
                break;
            case HistoryEventType.ChildWorkflowExecutionStarted when e.RunId is not null:
                actor.LiveChildren[id] = (e.WorkflowId!, e.RunId);
                actor.ChildRuns[id] = (e.WorkflowId!, e.RunId);
                break;
            case HistoryEventType.ChildWorkflowExecutionCompleted or HistoryEventType.ChildWorkflowExecutionFailed:
                actor.LiveChildren.Remove(id);
                actor.PendingChildCancels.Remove(id);
                break;
            case HistoryEventType.ChildWorkflowCancelRequestInitiated when actor.LiveChildren.ContainsKey(id):
                actor.PendingChildCancels.Add(id);
                break;
            case HistoryEventType.ChildWorkflowCancelRequestDelivered:
                actor.PendingChildCancels.Remove(id);
                break;
            case HistoryEventType.WorkflowCancelRequested:
                actor.CancelRequested = true;
                break;
            default:
                break;
        }
    }
}
