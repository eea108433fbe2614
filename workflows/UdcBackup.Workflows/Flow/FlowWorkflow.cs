using System.Text.Json;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// <c>flow</c>: runs one published flow version with <see cref="FlowInterpreter"/>. Its input
/// carries the definition, the run's inputs and the applied site, so the run never reads
/// anything that could change under replay. Query <c>nodes</c> gives every node's state; signals
/// <c>approve</c> and <c>reject</c> (argument <see cref="FlowApprovalSignal"/>) answer approval
/// nodes. The run completes with every activity node's output by node id, fails with the first
/// failure that no try absorbed (after the finally chains), and ends cancelled after a cancel
/// request once the cleanups ran.
/// </summary>
[Workflow(TypeName)]
public sealed class FlowWorkflow
{
    public const string TypeName = "flow";

    private FlowInterpreter? _interpreter;
    private readonly List<(bool Approve, FlowApprovalSignal? Signal)> _early = [];

    [WorkflowQuery("nodes")]
    public IReadOnlyList<FlowNodeState> Nodes => _interpreter?.Nodes.Snapshot() ?? [];

    [WorkflowRun]
    public async Task<JsonElement> RunAsync(FlowRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _interpreter = new FlowInterpreter(input, Workflow.Info.WorkflowId);
        foreach (var (approve, signal) in _early)
        {
            _interpreter.Receive(approve, signal);
        }

        return await _interpreter.RunAsync();
    }

    [WorkflowSignal("approve")]
    public void Approve(FlowApprovalSignal? signal) => Receive(approve: true, signal);

    [WorkflowSignal("reject")]
    public void Reject(FlowApprovalSignal? signal) => Receive(approve: false, signal);

    // A signal can be applied before the run method started (same step as the start).
    private void Receive(bool approve, FlowApprovalSignal? signal)
    {
        if (_interpreter is null)
        {
            _early.Add((approve, signal));
        }
        else
        {
            _interpreter.Receive(approve, signal);
        }
    }
}
