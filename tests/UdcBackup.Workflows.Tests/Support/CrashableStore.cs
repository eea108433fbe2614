using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Durable.Storage;

namespace UdcBackup.Workflows.Tests.Support;

/// <summary>A store whose writes can be cut off at once, so the runtime on it loses everything after that moment, like a killed process.</summary>
public sealed class CrashableStore(IWorkflowStore inner) : IWorkflowStore
{
    private volatile bool _cut;

    public void Cut() => _cut = true;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<StoreWriteSet> sets, CancellationToken cancellationToken = default) =>
        _cut ? throw new IOException("simulated crash: the store is cut off") : inner.CommitAsync(sets, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> ClaimRunningExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.ClaimRunningExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> TakeOverExpiredExecutionsAsync(string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.TakeOverExpiredExecutionsAsync(ownerId, now, leaseExpiresAt, cancellationToken);

    public Task<ExecutionRecord?> ClaimExecutionAsync(string runId, string ownerId, DateTime now, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        inner.ClaimExecutionAsync(runId, ownerId, now, leaseExpiresAt, cancellationToken);

    public Task RenewLeasesAsync(string ownerId, DateTime leaseExpiresAt, CancellationToken cancellationToken = default) =>
        _cut ? Task.CompletedTask : inner.RenewLeasesAsync(ownerId, leaseExpiresAt, cancellationToken);

    public Task ReleaseLeasesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        _cut ? Task.CompletedTask : inner.ReleaseLeasesAsync(ownerId, cancellationToken);

    public Task<ExecutionRecord?> GetExecutionAsync(string workflowId, string? runId = null, CancellationToken cancellationToken = default) =>
        inner.GetExecutionAsync(workflowId, runId, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(WorkflowListFilter filter, CancellationToken cancellationToken = default) =>
        inner.ListExecutionsAsync(filter, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> LoadHistoryAsync(string runId, CancellationToken cancellationToken = default) => inner.LoadHistoryAsync(runId, cancellationToken);

    public Task<IReadOnlyList<ActivityTaskRecord>> LoadActivityTasksAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default) =>
        inner.LoadActivityTasksAsync(runId, ownerId, cancellationToken);

    public Task<IReadOnlyList<TimerRecord>> LoadTimersAsync(string? runId, string? ownerId = null, CancellationToken cancellationToken = default) =>
        inner.LoadTimersAsync(runId, ownerId, cancellationToken);

    public Task<IReadOnlyList<ScheduleRecord>> LoadSchedulesAsync(CancellationToken cancellationToken = default) => inner.LoadSchedulesAsync(cancellationToken);

    public Task<ScheduleRecord?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) => inner.GetScheduleAsync(scheduleId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
