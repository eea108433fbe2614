using UdcBackup.Durable.Client;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Durable;

/// <summary>Read-only views for clients: describe and list.</summary>
public sealed partial class DurableRuntime
{
    internal async Task<WorkflowExecutionDescription> DescribeAsync(string workflowId, string? runId, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var record = await Store.GetExecutionAsync(workflowId, runId, cancellationToken) ?? throw new WorkflowNotFoundException(workflowId, runId);
        var history = await Store.LoadHistoryAsync(record.RunId, cancellationToken);
        var pending = new List<PendingActivityInfo>();
        if (record.Status == WorkflowExecutionStatus.Running)
        {
            foreach (var task in await Store.LoadActivityTasksAsync(record.RunId, null, cancellationToken))
            {
                // The latest heartbeat lives in memory between throttled writes.
                var (details, time) = dispatcher?.LatestHeartbeat(task.RunId, task.CommandId) ?? (null, null);
                pending.Add(new PendingActivityInfo(
                    task.CommandId,
                    task.ActivityType,
                    task.Attempt,
                    task.ScheduledTime,
                    task.StartedTime,
                    task.NextAttemptTime,
                    task.LastFailure,
                    details ?? task.HeartbeatDetails,
                    time ?? task.HeartbeatTime));
            }
        }

        return new WorkflowExecutionDescription(
            record.WorkflowId,
            record.RunId,
            record.WorkflowType,
            record.Status,
            record.StartTime,
            record.CloseTime,
            record.Input,
            record.Result,
            record.Failure,
            record.ParentWorkflowId,
            pending,
            history);
    }

    internal async Task<IReadOnlyList<WorkflowExecutionSummary>> ListAsync(WorkflowListFilter filter, CancellationToken cancellationToken)
    {
        EnsureRunning();
        var records = await Store.ListExecutionsAsync(filter, cancellationToken);
        return [.. records.Select(Summary)];
    }

    private static WorkflowExecutionSummary Summary(Storage.ExecutionRecord r) =>
        new(r.WorkflowId, r.RunId, r.WorkflowType, r.Status, r.StartTime, r.CloseTime) { Input = r.Input, Result = r.Result };
}
