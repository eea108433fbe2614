using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// Appending input and outcome events to a cached run, written together with the step they
/// trigger. An appended event gets its id under the run's gate, goes into the inbox at once and
/// waits in <see cref="ExecutionActor.Unwritten"/>; the step applies it and records the commands
/// the code produced in reaction, and that one commit writes the appended events first and the
/// commands after them. Nothing takes effect before the commit: activities, timers and children
/// start, results are reported and appenders hear "recorded" only once it is durable; if it
/// fails, the run is dropped and reloaded from the store (its in-memory state saw events that
/// are not durable) and the appenders get the failure. So a step costs one commit (and one
/// fsync with synchronous=FULL) instead of two: the outcome's and the commands'.
/// </summary>
public sealed partial class DurableRuntime
{
    /// <summary>
    /// Appends events to a running execution. Ids are assigned and the events queued under the
    /// actor's gate, so history order equals commit order equals inbox order. Completes once the
    /// events are durable: true; false when the execution closed meanwhile, was lost to another
    /// node, or <paramref name="stillValid"/> (checked under the gate) says no.
    /// </summary>
    internal Task<bool> AppendAsync(ExecutionActor actor, IReadOnlyList<HistoryEvent> events, Func<bool>? stillValid = null, Action<StoreWriteSet>? addChanges = null)
    {
        UnwrittenAppend append;
        bool queueStep;
        lock (actor.Gate)
        {
            if (actor.Closing || actor.Faulted || actor.Evicted || (stillValid is not null && !stillValid()))
            {
                return Task.FromResult(false);
            }

            var now = Now;
            var stored = new StoredEvent[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var stamped = Stamp(events[i], actor.NextEventId++, now);
                stored[i] = new StoredEvent(actor.RunId, stamped);
                actor.Inbox.Enqueue(stamped);
            }

            append = new UnwrittenAppend(stored, addChanges);
            actor.Unwritten.Add(append);
            queueStep = !actor.StepQueued;
            actor.StepQueued = true;
        }

        if (queueStep)
        {
            QueueStep(actor);
        }

        return ObserveAsync(actor, append.Completion);
    }

    /// <summary>Moves the actor's unwritten appends into <paramref name="set"/> (called under the gate, before the set's own events get ids).</summary>
    private static List<UnwrittenAppend> TakeUnwritten(ExecutionActor actor, StoreWriteSet set)
    {
        var taken = new List<UnwrittenAppend>(actor.Unwritten);
        actor.Unwritten.Clear();
        foreach (var append in taken)
        {
            set.Events.AddRange(append.Events);
            append.Changes?.Invoke(set);
        }

        return taken;
    }

    /// <summary>Tells the appenders of a dropped actor (failed commit or lost lease) that their events were not written.</summary>
    private static void AbandonUnwritten(ExecutionActor actor, Exception? failure)
    {
        List<UnwrittenAppend> left;
        lock (actor.Gate)
        {
            left = [.. actor.Unwritten];
            actor.Unwritten.Clear();
        }

        foreach (var append in left)
        {
            if (failure is null)
            {
                append.Succeed(false);
            }
            else
            {
                append.Fail(failure);
            }
        }
    }

    /// <summary>Awaits a write of the actor's; a failed commit drops the actor and schedules its reload before the caller hears of it.</summary>
    private async Task<bool> ObserveAsync(ExecutionActor actor, Task<bool> completion)
    {
        try
        {
            return await completion;
        }
        catch (Exception ex)
        {
            HandleFault(actor, ex);
            throw;
        }
    }

    private ExecutionActor NewActor(string workflowId, string runId, WorkflowDefinition definition)
    {
        var actor = new ExecutionActor(workflowId, runId, definition);
        actor.Instance.OnForeignContinuation = () => Deliver(actor, [], poke: true);
        return actor;
    }

    /// <summary>Delivers events that are already durable (a start, a child's Started) and makes sure a step runs.</summary>
    private void Deliver(ExecutionActor actor, HistoryEvent[] events, bool poke = false)
    {
        lock (actor.Gate)
        {
            foreach (var e in events)
            {
                actor.Inbox.Enqueue(e);
            }

            actor.PokeRequested |= poke;
            if (actor.StepQueued)
            {
                return;
            }

            actor.StepQueued = true;
        }

        QueueStep(actor);
    }

    private void QueueStep(ExecutionActor actor) =>
        ThreadPool.UnsafeQueueUserWorkItem(static a => _ = a.runtime.RunStepsAsync(a.actor), (runtime: this, actor), preferLocal: false);
}
