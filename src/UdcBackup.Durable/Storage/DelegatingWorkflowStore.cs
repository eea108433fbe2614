using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;

namespace UdcBackup.Durable.Storage;

/// <summary>
/// A store that passes every call to an inner store: the base of decorators (timing, metrics,
/// fault injection) that override only the calls they change, so a new store method is added
/// here once instead of in every wrapper. It adds no behaviour and no failure modes of its own.
/// </summary>
public abstract class DelegatingWorkflowStore(IWorkflowStore inner) : IWorkflowStore
{
    /// <summary>Gets the wrapped store.</summary>
    protected IWorkflowStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public virtual Task InitializeAsync(CancellationToken cancellationToken = default) => Inner.InitializeAsync(cancellationToken);

    public virtual Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default) =>
        Inner.CommitAsync(sets, cancellationToken);

    public virtual Task<IReadOnlyList<ExecutionRecord>> ClaimRunningExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Inner.ClaimRunningExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public virtual Task<IReadOnlyList<ExecutionRecord>> TakeOverExpiredExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Inner.TakeOverExpiredExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public virtual Task<ExecutionRecord?> ClaimExecutionAsync(string runId, string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Inner.ClaimExecutionAsync(runId, ownerId, now, leaseExpiresAt, cancellationToken);

    public virtual Task<IReadOnlyDictionary<string, long>> RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        Inner.RenewLeasesAsync(ownerId, leaseExpiresAt, cancellationToken);

    public virtual Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        Inner.ReleaseLeasesAsync(ownerId, cancellationToken);

    public virtual Task<ExecutionRecord?> GetExecutionAsync(string workflowId, string? runId = null, CancellationToken cancellationToken = default) =>
        Inner.GetExecutionAsync(workflowId, runId, cancellationToken);

    public virtual Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(WorkflowListFilter filter, CancellationToken cancellationToken = default) =>
        Inner.ListExecutionsAsync(filter, cancellationToken);

    public virtual Task<string?> GetSearchAttributesVersionAsync(CancellationToken cancellationToken = default) =>
        Inner.GetSearchAttributesVersionAsync(cancellationToken);

    public virtual Task ReplaceSearchAttributesAsync(IReadOnlyList<(string RunId, IReadOnlyList<SearchAttribute> Attributes)> runs, string? completedVersion, CancellationToken cancellationToken = default) =>
        Inner.ReplaceSearchAttributesAsync(runs, completedVersion, cancellationToken);

    public virtual Task<IReadOnlyList<HistoryEvent>> LoadHistoryAsync(string runId, CancellationToken cancellationToken = default) =>
        Inner.LoadHistoryAsync(runId, cancellationToken);

    public virtual Task<IReadOnlyList<ActivityTaskRecord>> LoadActivityTasksAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default) =>
        Inner.LoadActivityTasksAsync(runId, ownerId, cancellationToken);

    public virtual Task<IReadOnlyList<TimerRecord>> LoadTimersAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default) =>
        Inner.LoadTimersAsync(runId, ownerId, cancellationToken);

    public virtual Task<bool> EnqueueInboxAsync(InboxMessage message, CancellationToken cancellationToken = default) =>
        Inner.EnqueueInboxAsync(message, cancellationToken);

    public virtual Task<IReadOnlyList<InboxMessage>> LoadInboxAsync(string ownerId, CancellationToken cancellationToken = default) =>
        Inner.LoadInboxAsync(ownerId, cancellationToken);

    public virtual Task<IReadOnlyList<InboxMessage>> PurgeInboxAsync(CancellationToken cancellationToken = default) =>
        Inner.PurgeInboxAsync(cancellationToken);

    public virtual Task<IReadOnlyList<ScheduleRecord>> LoadSchedulesAsync(CancellationToken cancellationToken = default) => Inner.LoadSchedulesAsync(cancellationToken);

    public virtual Task<ScheduleRecord?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => Inner.GetScheduleAsync(scheduleId, cancellationToken);

    public virtual async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
