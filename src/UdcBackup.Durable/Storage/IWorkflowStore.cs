using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// Persistence of executions, histories, pending activity tasks, timers and schedules. The
/// runtime has a single writer per process that calls <see cref="CommitAsync"/> with batches
/// (group commit); reads may run concurrently. Executions are owned by one runtime at a time
/// through a lease (owner id + expiry): a runtime only drives runs it has claimed, renews its
/// leases periodically, and may claim running runs whose lease expired (dead node takeover).
/// The full contract is in docs/design/durable-runtime.md.
/// </summary>
public interface IWorkflowStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema; refuses a schema newer than this code knows.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies the sets in order in one transaction; returns, per set, whether it was applied (false: a new execution conflicted, or its <see cref="StoreWriteSet.Fence"/> no longer holds).</summary>
    Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default);

    /// <summary>Claims every running execution that is unowned, owned by <paramref name="ownerId"/> or whose lease expired before <paramref name="now"/> (start-up); each claimed run's lease epoch grows by one; returns the claimed ones.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ClaimRunningExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Claims running executions that are unowned or whose other owner's lease expired before <paramref name="now"/> (periodic takeover); epochs grow by one.</summary>
    Task<IReadOnlyList<ExecutionRecord>> TakeOverExpiredExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Claims one running execution if it is unowned, owned by <paramref name="ownerId"/> or its lease expired (load on demand); its epoch grows by one; null if not claimable.</summary>
    Task<ExecutionRecord?> ClaimExecutionAsync(string runId, string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of every running execution owned by <paramref name="ownerId"/>; returns the renewed runs with their lease epochs (a cached run missing from it, or with another epoch, may have been taken over).</summary>
    Task<IReadOnlyDictionary<string, long>> RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Gives up ownership of every running execution of <paramref name="ownerId"/> (graceful shutdown).</summary>
    Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default);

    /// <summary>Gets one run; with no run id, the latest run of the workflow id.</summary>
    Task<ExecutionRecord?> GetExecutionAsync(string workflowId, string? runId = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(WorkflowListFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Gets the version of the rules the stored search attributes were derived with (null: never recorded).</summary>
    Task<string?> GetSearchAttributesVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the search attributes of each given run (in one transaction; a run id that is not
    /// stored is skipped); with <paramref name="completedVersion"/>, also records it as the version
    /// of every stored run's attributes.
    /// </summary>
    Task ReplaceSearchAttributesAsync(IReadOnlyList<(string RunId, IReadOnlyList<SearchAttribute> Attributes)> runs, string? completedVersion, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HistoryEvent>> LoadHistoryAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Loads pending activity tasks of one run, or of every running execution owned by <paramref name="ownerId"/> when <paramref name="runId"/> is null.</summary>
    Task<IReadOnlyList<ActivityTaskRecord>> LoadActivityTasksAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default);

    /// <summary>Loads pending timers of one run, or of every running execution owned by <paramref name="ownerId"/> when <paramref name="runId"/> is null.</summary>
    Task<IReadOnlyList<TimerRecord>> LoadTimersAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a message to the durable inbox of a run (its <see cref="InboxMessage.MessageId"/> is assigned); false, and nothing written, if the run is not running.</summary>
    Task<bool> EnqueueInboxAsync(InboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>Loads the inbox messages of the running executions owned by <paramref name="ownerId"/>, in message id order.</summary>
    Task<IReadOnlyList<InboxMessage>> LoadInboxAsync(string ownerId, CancellationToken cancellationToken = default);

    /// <summary>Deletes and returns the inbox messages of runs that are no longer running (they closed before their owner read them).</summary>
    Task<IReadOnlyList<InboxMessage>> PurgeInboxAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ScheduleRecord>> LoadSchedulesAsync(CancellationToken cancellationToken = default);

    Task<ScheduleRecord?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);
}
