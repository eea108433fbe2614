using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>The write path: append events, step cached instances, record commands, then take effect.</summary>
public sealed partial class DurableRuntime
{
    private async Task RunStepsAsync(ExecutionActor actor)
    {
        while (true)
        {
            HistoryEvent[] batch;
            bool poke;
            lock (actor.Gate)
            {
                if ((actor.Inbox.Count == 0 && !actor.PokeRequested && actor.Unwritten.Count == 0) || actor.Faulted)
                {
                    actor.StepQueued = false;
                    return;
                }

                batch = [.. actor.Inbox];
                actor.Inbox.Clear();
                poke = actor.PokeRequested;
                actor.PokeRequested = false;
            }

            await actor.StepLock.WaitAsync();
            try
            {
                foreach (var e in batch)
                {
                    actor.Instance.Deliver(e);
                }

                actor.Ready.TrySetResult();
                if (poke)
                {
                    actor.Instance.Poke();
                }

                // One commit for the applied events and the commands they led to (nothing to write: no commit).
                await RecordCommandsAsync(actor, actor.Instance.HasCommands ? actor.Instance.TakeCommands() : []);
            }
            catch (NonDeterminismException ex)
            {
                await FailExecutionAsync(actor, ex);
            }
            catch (Exception ex) when (!actor.Faulted)
            {
                Log(DurableLogLevel.Error, $"Step of {actor.WorkflowId} ({actor.RunId}) failed; failing the execution.", ex);
                await FailExecutionAsync(actor, ex);
            }
            catch (Exception)
            {
                // A commit failed: HandleFault already dropped the actor and scheduled a reload.
            }
            finally
            {
                actor.LastActive = Environment.TickCount64;
                lock (actor.Gate)
                {
                    actor.Pinned = false;
                }

                actor.StepLock.Release();
            }
        }
    }

    /// <summary>Fails an execution from outside its code (non-determinism, engine error).</summary>
    private async Task FailExecutionAsync(ExecutionActor actor, Exception reason)
    {
        try
        {
            await RecordCommandsAsync(actor, [new WorkflowCommand(WorkflowCommandKind.FailWorkflow, 0) { Failure = FailureInfo.FromException(reason) }]);
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Error, $"Could not record the failure of {actor.WorkflowId} ({actor.RunId}).", ex);
        }
    }

    /// <summary>
    /// Records the run's unwritten appended events and then the commands in one commit, then tells
    /// the appenders and makes the commands take effect in order.
    /// </summary>
    internal async Task RecordCommandsAsync(ExecutionActor actor, List<WorkflowCommand> commands)
    {
        var set = new StoreWriteSet { Fence = FenceOf(actor) };
        var effects = new List<Action>();
        var deliveries = new List<Action>();
        WriteRequest request;
        List<UnwrittenAppend> appends;
        lock (actor.Gate)
        {
            if (actor.Faulted || actor.Closing || actor.Evicted || (commands.Count == 0 && actor.Unwritten.Count == 0))
            {
                return;
            }

            appends = TakeUnwritten(actor, set);
            var now = Now;
            foreach (var command in commands)
            {
                if (actor.Closing)
                {
                    break;
                }

                var e = command.ToEvent(actor.NextEventId++, now);
                List<StoredEvent>? after = null;
                switch (command.Kind)
                {
                    case WorkflowCommandKind.ScheduleActivity:
                        var task = new ActivityTaskRecord(actor.RunId, command.CommandId, actor.WorkflowId, actor.Definition.Name, command.Name!, command.Input, command.Options!.Value, 1, now, now, null, null, null, null);
                        set.UpsertActivityTasks.Add(task);
                        actor.LiveActivities.Add(command.CommandId);
                        effects.Add(() => Activities.Start(task));
                        break;
                    case WorkflowCommandKind.RequestCancelActivity:
                        set.DeleteActivityTasks.Add((actor.RunId, command.CommandId));
                        actor.LiveActivities.Remove(command.CommandId);
                        effects.Add(() => Activities.Cancel(actor.RunId, command.CommandId));
                        break;
                    case WorkflowCommandKind.StartTimer:
                        set.InsertTimers.Add(new TimerRecord(actor.RunId, command.CommandId, command.FireAt!.Value));
                        actor.LiveTimers.Add(command.CommandId);
                        effects.Add(() => ArmTimer(actor.RunId, command.CommandId, command.FireAt!.Value));
                        break;
                    case WorkflowCommandKind.CancelTimer:
                        set.DeleteTimers.Add((actor.RunId, command.CommandId));
                        actor.LiveTimers.Remove(command.CommandId);
                        effects.Add(() => Timers.Disarm(actor.RunId, command.CommandId));
                        break;
                    case WorkflowCommandKind.StartChildWorkflow:
                        (e, after) = PrepareChild(actor, command, e, now, set, deliveries);
                        break;
                    case WorkflowCommandKind.RequestCancelChildWorkflow:
                        // Recorded even if the child closed meanwhile (the code decided it); sent only to a live child.
                        if (actor.ChildRuns.TryGetValue(command.CommandId, out var childRun))
                        {
                            e = e with { WorkflowId = childRun.WorkflowId, RunId = childRun.RunId };
                        }

                        if (actor.LiveChildren.ContainsKey(command.CommandId))
                        {
                            actor.PendingChildCancels.Add(command.CommandId);
                            var cancelledCommand = command.CommandId;
                            effects.Add(() => _ = SendChildCancelAsync(actor, cancelledCommand));
                        }

                        break;
                    case WorkflowCommandKind.RecordMarker:
                        break; // the event is all a marker is
                    default:
                        var status = command.Kind switch
                        {
                            WorkflowCommandKind.CompleteWorkflow => WorkflowExecutionStatus.Completed,
                            WorkflowCommandKind.CancelWorkflow => WorkflowExecutionStatus.Canceled,
                            _ => WorkflowExecutionStatus.Failed,
                        };
                        var close = new ExecutionClose(actor.RunId, status, now, command.Result, command.Failure);
                        set.Close = close;
                        actor.Closing = true;

                        // A parent this node does not drive hears of the close through its inbox, written with the close itself.
                        var parentInformed = false;
                        if (actor.ParentRunId is { } parentRunId && actor.ParentCommandId is { } parentCommand && FindCached(parentRunId) is null)
                        {
                            set.EnqueueInbox.Add(new InboxMessage(0, parentRunId, ChildOutcomeEvent(parentCommand, actor.WorkflowId, actor.RunId, close), now, options.OwnerId));
                            parentInformed = true;
                        }

                        effects.Add(() => OnClosed(actor, close, parentInformed));
                        break;
                }

                set.Events.Add(new StoredEvent(actor.RunId, e));
                if (after is not null)
                {
                    set.Events.AddRange(after);
                }
            }

            request = new WriteRequest(set, deliveries.Count == 0 ? null : () => deliveries.ForEach(d => d()), actor);
            Writer.Enqueue(request);
        }

        bool accepted;
        try
        {
            accepted = await ObserveAsync(actor, request.Completion);
        }
        catch (Exception ex)
        {
            appends.ForEach(a => a.Fail(ex));
            throw;
        }

        appends.ForEach(a => a.Succeed(accepted));
        if (!accepted && set.NewExecutions.Exists(e => e.RunId == actor.RunId))
        {
            // The start of this run was refused (its workflow id exists): nothing was written; the starter reports it.
            lock (actor.Gate)
            {
                actor.Faulted = true;
            }

            Unregister(actor);
            actor.Gone.TrySetResult();
            return;
        }

        if (!accepted)
        {
            // Fenced: HandleLeaseLost already dropped the actor (HandleFault then does nothing).
            HandleFault(actor, new InvalidOperationException("The store rejected the commands (a child workflow id is running elsewhere)."));
            return;
        }

        foreach (var effect in effects)
        {
            effect();
        }
    }

    private void ArmTimer(string runId, int commandId, DateTime fireAt) =>
        Timers.Arm(runId, commandId, fireAt, () => _ = FireTimerAsync(runId, commandId));

    private async Task FireTimerAsync(string runId, int commandId)
    {
        try
        {
            await AppendToRunAsync(
                runId,
                [new HistoryEvent { EventType = HistoryEventType.TimerFired, CommandId = commandId }],
                actor => () => actor.LiveTimers.Remove(commandId),
                set => set.DeleteTimers.Add((runId, commandId)));
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, $"Recording timer {commandId} of run {runId} failed.", ex);
        }
    }

    private void OnClosed(ExecutionActor actor, ExecutionClose close, bool parentInformed = false)
    {
        Unregister(actor);
        List<int> activities;
        List<int> liveTimers;
        lock (actor.Gate)
        {
            activities = [.. actor.LiveActivities];
            liveTimers = [.. actor.LiveTimers];
            actor.LiveActivities.Clear();
            actor.LiveTimers.Clear();
        }

        foreach (var id in activities)
        {
            Activities.Cancel(actor.RunId, id);
        }

        foreach (var id in liveTimers)
        {
            Timers.Disarm(actor.RunId, id);
        }

        actor.Closed.TrySetResult(close);
        if (actor.ParentRunId is { } parentRunId && actor.ParentCommandId is { } commandId)
        {
            if (FindCached(parentRunId) is { } parent)
            {
                _ = NotifyParentAsync(parent, commandId, actor.WorkflowId, actor.RunId, close);
            }
            else if (!parentInformed)
            {
                // The parent left this node between the close's commit set and now: its new owner reads the inbox.
                _ = SendToInboxAsync(parentRunId, ChildOutcomeEvent(commandId, actor.WorkflowId, actor.RunId, close), CancellationToken.None);
            }
        }

        Schedules.OnExecutionClosed(actor.WorkflowId);
    }

    private async Task NotifyParentAsync(ExecutionActor parent, int commandId, string childWorkflowId, string childRunId, ExecutionClose close)
    {
        var e = ChildOutcomeEvent(commandId, childWorkflowId, childRunId, close);
        try
        {
            await AppendAsync(parent, [e], () =>
            {
                parent.PendingChildCancels.Remove(commandId);
                return parent.LiveChildren.Remove(commandId);
            });
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, $"Recording the outcome of child {childWorkflowId} in its parent failed; recovery will redo it.", ex);
        }
    }

    /// <summary>The event that tells a parent how its child ended.</summary>
    private static HistoryEvent ChildOutcomeEvent(int commandId, string childWorkflowId, string childRunId, ExecutionClose close) =>
        close.Status == WorkflowExecutionStatus.Completed
            ? new HistoryEvent { EventType = HistoryEventType.ChildWorkflowExecutionCompleted, CommandId = commandId, WorkflowId = childWorkflowId, RunId = childRunId, Result = close.Result }
            : new HistoryEvent
            {
                EventType = HistoryEventType.ChildWorkflowExecutionFailed,
                CommandId = commandId,
                WorkflowId = childWorkflowId,
                RunId = childRunId,
                // A cancelled child reaches the parent as a cancellation (as Temporal's ChildWorkflowExecutionCanceled), so a
                // parent that waited for it (and was itself cancelled) ends Canceled too; the child's own failure is the cause.
                Failure = close.Status == WorkflowExecutionStatus.Canceled
                    ? new FailureInfo { Kind = "Canceled", Message = "Child workflow was cancelled.", Cause = close.Failure }
                    : close.Failure ?? new FailureInfo { Kind = "Application", Message = $"Child ended {close.Status}." },
            };

    /// <summary>A commit failed: drop the actor (its in-memory state may be ahead of the store) and reload the run from the store.</summary>
    private void HandleFault(ExecutionActor actor, Exception reason)
    {
        lock (actor.Gate)
        {
            if (actor.Faulted)
            {
                return;
            }

            actor.Faulted = true;
        }

        Unregister(actor);
        AbandonUnwritten(actor, reason);
        if (state != 2 && state != 1)
        {
            return;
        }

        Log(DurableLogLevel.Error, $"Execution {actor.WorkflowId} ({actor.RunId}) dropped after a failed write; reloading it from the store.", reason);
        ITimer? retry = null;
        retry = Time.CreateTimer(
            _ =>
            {
                retry?.Dispose();
                _ = ReloadAsync(actor.RunId);
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);
    }

    private async Task ReloadAsync(string runId)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            // Claimed again (new epoch) unless another node took it meanwhile.
            await ClaimAndLoadAsync(runId, pin: false, stopping.Token);
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Error, $"Reloading run {runId} failed; it resumes at the next start.", ex);
        }
    }
}
