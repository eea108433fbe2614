using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// Cache eviction: beyond MaxCachedExecutions, the least recently active runs that wait only for
/// timers or signals (no running activity, no running child, nothing in the inbox) are dropped
/// from memory. Their next event (timer fired, signal, cancel, a client waiting for the result)
/// loads them again by replaying their history, exactly as recovery does.
/// </summary>
public sealed partial class DurableRuntime
{
    internal void SweepCache()
    {
        var excess = cache.Count - options.MaxCachedExecutions;
        if (options.MaxCachedExecutions <= 0 || excess <= 0)
        {
            return;
        }

        foreach (var actor in cache.Values.OrderBy(a => a.LastActive).ToList())
        {
            if (excess <= 0)
            {
                break;
            }

            if (TryEvict(actor))
            {
                excess--;
            }
        }
    }

    /// <summary>Appends to a run wherever it is: cached, or loaded from the store if it was evicted meanwhile.</summary>
    private async Task<bool> AppendToRunAsync(string runId, IReadOnlyList<HistoryEvent> events, Func<ExecutionActor, Func<bool>>? stillValid = null, Action<StoreWriteSet>? addChanges = null)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var actor = FindCached(runId) ?? await LoadRunAsync(runId, stopping.Token);
            if (actor is null)
            {
                return false;
            }

            if (await AppendAsync(actor, events, stillValid?.Invoke(actor), addChanges))
            {
                return true;
            }

            if (!actor.Evicted)
            {
                return false;
            }
        }

        return false;
    }

    private async Task<ExecutionActor?> LoadRunAsync(string runId, CancellationToken cancellationToken)
    {
        var record = await Store.GetExecutionAsync(string.Empty, runId, cancellationToken);
        if (record is not { Status: WorkflowExecutionStatus.Running } || !MayDrive(record))
        {
            return null;
        }

        return await ClaimAndLoadAsync(runId, pin: true, cancellationToken);
    }

    /// <summary>Whether this runtime may load a run on demand: it owns it, or nobody holds a valid lease on it.</summary>
    private bool MayDrive(ExecutionRecord record) =>
        record.OwnerId is null || record.OwnerId == options.OwnerId || record.LeaseExpiresAt < Now;

    private static async Task<ExecutionClose?> WaitClosedOrGoneAsync(ExecutionActor actor, CancellationToken cancellationToken)
    {
        await Task.WhenAny(actor.Closed.Task, actor.Gone.Task).WaitAsync(cancellationToken);
        return actor.Closed.Task.IsCompletedSuccessfully ? await actor.Closed.Task : null;
    }

    private bool TryEvict(ExecutionActor actor)
    {
        if (!actor.StepLock.Wait(0))
        {
            return false;
        }

        try
        {
            lock (actor.Gate)
            {
                if (actor.Closing || actor.Faulted || actor.Evicted || actor.Pinned || actor.StepQueued || actor.Inbox.Count > 0 || actor.Unwritten.Count > 0
                    || actor.LiveActivities.Count > 0 || actor.LiveChildren.Count > 0 || !actor.Ready.Task.IsCompleted)
                {
                    return false;
                }

                actor.Evicted = true;
            }

            Unregister(actor);
            actor.Gone.TrySetResult();
            return true;
        }
        finally
        {
            actor.StepLock.Release();
        }
    }
}
