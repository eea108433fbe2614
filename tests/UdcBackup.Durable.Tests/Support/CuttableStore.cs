using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Tests.Support;

/// <summary>
/// A store wrapper that can be cut off: after <see cref="Cut"/> (or after a set number of
/// further commits) every commit throws, so what the runtime had not written before stays
/// unwritten, exactly as after a kill. Counts commits and can pause them on request.
/// </summary>
public sealed class CuttableStore(IWorkflowStore inner) : IWorkflowStore
{
    private volatile bool cut;
    private int commitsLeft = int.MaxValue;

    public int Commits { get; private set; }

    /// <summary>Gets a value indicating whether the store was cut off (by <see cref="Cut"/>, a count or <see cref="CutWhen"/>).</summary>
    public bool IsCut => cut;

    /// <summary>Gets or sets a predicate over the sets of a commit: when true, the store is cut before that commit.</summary>
    public Func<IReadOnlyList<StoreWriteSet>, bool>? CutWhen { get; set; }

    public void Cut() => cut = true;

    public void CutAfter(int commits) => commitsLeft = commits;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default)
    {
        if (!cut && CutWhen is { } when && when(sets))
        {
            cut = true;
        }

        if (cut || Interlocked.Decrement(ref commitsLeft) < 0)
        {
            cut = true;
            throw new IOException("Simulated crash: the store is cut off.");
        }

        Commits++;
        return inner.CommitAsync(sets, cancellationToken);
    }

    public Task<IReadOnlyList<ExecutionRecord>> ClaimRunningExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.ClaimRunningExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> TakeOverExpiredExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.TakeOverExpiredExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public Task<ExecutionRecord?> ClaimExecutionAsync(string runId, string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.ClaimExecutionAsync(runId, ownerId, now, leaseExpiresAt, cancellationToken);

    public Task RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        cut ? Task.CompletedTask : inner.RenewLeasesAsync(ownerId, leaseExpiresAt, cancellationToken);

    public Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        cut ? Task.CompletedTask : inner.ReleaseLeasesAsync(ownerId, cancellationToken);

    public Task<ExecutionRecord?> GetExecutionAsync(string workflowId, string? runId = null, CancellationToken cancellationToken = default) =>
        inner.GetExecutionAsync(workflowId, runId, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(WorkflowListFilter filter, CancellationToken cancellationToken = default) =>
        inner.ListExecutionsAsync(filter, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> LoadHistoryAsync(string runId, CancellationToken cancellationToken = default) =>
        inner.LoadHistoryAsync(runId, cancellationToken);

    public Task<IReadOnlyList<ActivityTaskRecord>> LoadActivityTasksAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default) =>
        inner.LoadActivityTasksAsync(runId, ownerId, cancellationToken);

    public Task<IReadOnlyList<TimerRecord>> LoadTimersAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default) =>
        inner.LoadTimersAsync(runId, ownerId, cancellationToken);

    public Task<IReadOnlyList<ScheduleRecord>> LoadSchedulesAsync(CancellationToken cancellationToken = default) => inner.LoadSchedulesAsync(cancellationToken);

    public Task<ScheduleRecord?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetScheduleAsync(scheduleId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
