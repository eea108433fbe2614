using System.Text.Json;
using UdcBackup.Durable.Client;
using UdcBackup.Durable.History;
using UdcBackup.Server.Api.Contracts;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Api.Runs;

/// <summary>
/// Which approvals a run is waiting for. Only the <c>flow</c> workflow waits for people: its
/// <c>approval</c> nodes wait for an <c>approve</c> or <c>reject</c> signal (the built-in
/// workflows take their one approval, a restore to another system, at start). A node waits while
/// the run is running and the node's state (the run's <c>nodes</c> query) is <c>running</c>. The
/// node kinds come from the definition the run started with: its input, or for a run that prepared
/// itself at fire time, the result of its <c>flow.prepare-run</c> step in the history. A run whose
/// state cannot be read (e.g. not yet started its interpreter) waits for nothing.
/// </summary>
public static class RunApprovals
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyList<PendingApproval>> PendingAsync(WorkflowClient client, string workflowId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var run = await client.DescribeAsync(workflowId, cancellationToken: cancellationToken);
        if (run.WorkflowType != FlowWorkflow.TypeName || run.Status != WorkflowExecutionStatus.Running || Definition(run) is not { } definition)
        {
            return [];
        }

        var approvals = definition.Nodes.Where(n => n.Kind == FlowKinds.Approval).ToDictionary(n => n.Id, StringComparer.Ordinal);
        if (approvals.Count == 0)
        {
            return [];
        }

        var states = await client.QueryAsync<List<FlowNodeState>>(workflowId, "nodes", cancellationToken: cancellationToken);
        return states
            .Where(s => s.State == "running" && approvals.ContainsKey(s.NodeId))
            .Select(s => approvals[s.NodeId])
            .Select(n => new PendingApproval(n.Id, n.Label, FlowConfig.Text(n, "signal") is { Length: > 0 } signal ? signal : "approve", FlowConfig.Text(n, "timeout") is { Length: > 0 } t ? t : null))
            .ToList();
    }

    private static FlowDocument? Definition(WorkflowExecutionDescription run)
    {
        FlowRunInput? input;
        try
        {
            input = run.Input?.Deserialize<FlowRunInput>(Web);
        }
        catch (JsonException)
        {
            return null;
        }

        if (input is null)
        {
            return null;
        }

        if (!input.PrepareAtStart)
        {
            return input.Definition;
        }

        var scheduled = run.History.FirstOrDefault(e => e.EventType == HistoryEventType.ActivityTaskScheduled && e.ActivityType == FlowWorkflow.PrepareActivity);
        var prepared = scheduled is null ? null : run.History.FirstOrDefault(e => e.EventType == HistoryEventType.ActivityTaskCompleted && e.CommandId == scheduled.CommandId);
        return prepared?.Result?.Deserialize<FlowRunInput>(Web)?.Definition;
    }
}
