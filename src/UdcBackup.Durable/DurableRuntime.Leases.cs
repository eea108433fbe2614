using UdcBackup.Durable.Client;
using UdcBackup.Durable.Runtime;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable;

/// <summary>
/// Multi-node ownership. Every running run has an owner, a lease expiry and a lease epoch (a
/// fencing token that grows at every claim). A runtime drives only runs it claimed, and every
/// write set it commits for a run carries (run, owner, epoch): the store applies it only if the
/// run is still running under exactly that owner and epoch, checked inside the commit
/// transaction. Every LeaseDuration / 3 the runtime renews its leases and takes over runs that
/// are unowned or whose owner's lease expired (that owner stopped renewing: dead, hung or cut
/// off), recovering them by replay exactly as at start-up. A node that lost a run learns it at
/// its next renewal (the run is no longer among those renewed under its epoch) or at its next
/// write for that run (the store refuses it), whichever comes first: it drops the run from its
/// cache, cancels its activity attempts' tokens and its timers, and never writes for it again;
/// the new owner re-runs the interrupted activity attempt (activities are at least once). If
/// renewal itself fails (store unreachable), nothing is dropped: the fence still guards every
/// write, and the next renewal decides.
/// </summary>
public sealed partial class DurableRuntime
{
    /// <summary>Gets the number of runs this runtime took over from other nodes since it started.</summary>
    public long TakenOver { get; private set; }

    /// <summary>Gets the number of runs this runtime dropped because another node had taken them over.</summary>
    public long LostLeases => Interlocked.Read(ref _lostLeases);

    private long _lostLeases;

    // One claim of this node at a time, held until the claimed runs are registered in the cache.
    private readonly SemaphoreSlim claimGate = new(1, 1);

    private LeaseFence FenceOf(ExecutionActor actor) => new(actor.RunId, options.OwnerId, actor.LeaseEpoch);

    /// <summary>Renews this node's leases, then takes over expired or unowned runs of other nodes.</summary>
    internal async Task MaintainLeasesAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var now = Now;
            var renewed = await Store.RenewLeasesAsync(options.OwnerId, now + options.LeaseDuration, stopping.Token);
            await DropRunsTakenElsewhereAsync(renewed, stopping.Token);
            await PurgeInboxAsync(stopping.Token);
            await claimGate.WaitAsync(stopping.Token);
            try
            {
                var taken = await Store.TakeOverExpiredExecutionsAsync(options.OwnerId, now, now + options.LeaseDuration, stopping.Token);
                if (taken.Count == 0)
                {
                    return;
                }

                foreach (var record in taken)
                {
                    // A copy still cached here is stale (this node lost the run earlier and got it back): replace it.
                    if (FindCached(record.RunId) is { } stale)
                    {
                        HandleLeaseLost(stale);
                    }
                }

                TakenOver += taken.Count;
                Log(DurableLogLevel.Warning, $"Took over {taken.Count} running executions whose owner stopped renewing its lease.");
                await RecoverRunsAsync(taken, stopping.Token);
            }
            finally
            {
                claimGate.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            Log(DurableLogLevel.Warning, "Lease renewal or takeover failed; will retry at the next period.", ex);
        }
    }

    /// <summary>
    /// Claims one run for this node (load on demand, reload after a failed commit) and loads it,
    /// unless it is cached already. Claims of a node are serialised with <see cref="claimGate"/>
    /// up to the registration of what they loaded: without it, a load on demand racing a takeover
    /// of the same run would claim it a second time (epoch + 1) after the takeover's copy was
    /// cached, and that copy's every write would then be refused while this node keeps renewing
    /// a run nobody drives.
    /// </summary>
    private async Task<ExecutionActor?> ClaimAndLoadAsync(string runId, bool pin, CancellationToken cancellationToken)
    {
        await claimGate.WaitAsync(cancellationToken);
        try
        {
            if (FindCached(runId) is { } cached)
            {
                return cached;
            }

            var now = Now;
            if (await Store.ClaimExecutionAsync(runId, options.OwnerId, now, now + options.LeaseDuration, cancellationToken) is not { } claimed)
            {
                return null;
            }

            await RecoverRunsAsync([claimed], cancellationToken, pin);
            return FindCached(runId);
        }
        finally
        {
            claimGate.Release();
        }
    }

    /// <summary>
    /// Drops every cached run that another node took over, as seen by the renewal: a run renewed
    /// under this node's epoch is fine; for any other cached run the store's row decides (no row:
    /// its start is still being committed; same epoch: it closed here, or started after the
    /// renewal's update). A different epoch, or a running row with another owner, means a claim by
    /// someone else happened after ours: the run is lost here.
    /// </summary>
    private async Task DropRunsTakenElsewhereAsync(IReadOnlyDictionary<string, long> renewed, CancellationToken cancellationToken)
    {
        foreach (var actor in cache.Values)
        {
            // A closing run's last write is fenced like any other; nothing to cancel ahead of it.
            if (actor.Faulted || actor.Closing || (renewed.TryGetValue(actor.RunId, out var epoch) && epoch == actor.LeaseEpoch))
            {
                continue;
            }

            var record = await Store.GetExecutionAsync(actor.WorkflowId, actor.RunId, cancellationToken);
            if (record is null || (record.LeaseEpoch == actor.LeaseEpoch && (record.Status != WorkflowExecutionStatus.Running || record.OwnerId == options.OwnerId)))
            {
                continue;
            }

            Log(DurableLogLevel.Warning, $"Lease renewal found {actor.WorkflowId} ({actor.RunId}) claimed by {record.OwnerId ?? "another node"} at epoch {record.LeaseEpoch} (ours {actor.LeaseEpoch}).");
            HandleLeaseLost(actor);
        }
    }

    /// <summary>The store refused a write of this run: another node holds it. Stop driving it here, without reloading.</summary>
    private void HandleLeaseLost(ExecutionActor actor)
    {
        List<int> activities;
        List<int> liveTimers;
        lock (actor.Gate)
        {
            if (actor.Faulted || actor.Closing)
            {
                return;
            }

            actor.Faulted = true;
            actor.LeaseLost = true;
            activities = [.. actor.LiveActivities];
            liveTimers = [.. actor.LiveTimers];
        }

        // Counted once the run is out of the cache, so an observer of the counter never sees a
        // lost run still cached; two runs can be lost at once on different threads.
        Unregister(actor);
        Interlocked.Increment(ref _lostLeases);
        AbandonUnwritten(actor, null);
        foreach (var id in activities)
        {
            Activities.Cancel(actor.RunId, id);
        }

        foreach (var id in liveTimers)
        {
            Timers.Disarm(actor.RunId, id);
        }

        // Waiters for the result go back to the store, where the new owner's outcome shows up.
        actor.Gone.TrySetResult();
        Log(DurableLogLevel.Warning, $"Execution {actor.WorkflowId} ({actor.RunId}) is owned by another node now; stopped driving it here.");
    }
}
