using System.Diagnostics;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Durable.Bench;

/// <summary>
/// Wraps the real store and measures how long commits take (wall time inside CommitAsync,
/// including fsync). Commits run on the runtime's single writer, so commit time close to the
/// scenario's wall time means the writer is the bottleneck; far below it means the cost is elsewhere.
/// </summary>
internal sealed class TimedWorkflowStore(IWorkflowStore inner) : IWorkflowStore
{
    private long _commitTicks;

    public TimeSpan CommitTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks));

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.CommitAsync(sets, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - start);
        }
    }

    public Task<IReadOnlyList<ExecutionRecord>> ClaimRunningExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.ClaimRunningExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> TakeOverExpiredExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.TakeOverExpiredExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public Task<ExecutionRecord?> ClaimExecutionAsync(string runId, string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.ClaimExecutionAsync(runId, ownerId, now, leaseExpiresAt, cancellationToken);

    public Task RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.RenewLeasesAsync(ownerId, leaseExpiresAt, cancellationToken);

    public Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        inner.ReleaseLeasesAsync(ownerId, cancellationToken);

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

    public Task<IReadOnlyList<ScheduleRecord>> LoadSchedulesAsync(CancellationToken cancellationToken = default) =>
        inner.LoadSchedulesAsync(cancellationToken);

    public Task<ScheduleRecord?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        inner.GetScheduleAsync(scheduleId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
