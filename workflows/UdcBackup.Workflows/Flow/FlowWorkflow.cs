using System.Text.Json;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// <c>flow</c>: runs one published flow version with <see cref="FlowInterpreter"/>. Its input
/// carries the definition, the run's inputs and the applied site, so the run never reads
/// anything that could change under replay. Query <c>nodes</c> gives every node's state; signals
/// <c>approve</c> and <c>reject</c> (argument <see cref="FlowApprovalSignal"/>) answer approval
/// nodes. The run completes with every activity node's output by node id, fails with the first
/// failure that no try absorbed (after the finally chains), and ends cancelled after a cancel
/// request once the cleanups ran. A scheduled run (<see cref="FlowRunInput.PrepareAtStart"/>) first
/// asks the controller for its definition and the current site (<see cref="PrepareActivity"/>,
/// retried a few times; a flow without that published version fails the run at once).
/// </summary>
[Workflow(TypeName)]
public sealed class FlowWorkflow
{
    public const string TypeName = "flow";

    /// <summary>The controller's activity that turns a schedule's <see cref="FlowPrepareInput"/> into a full <see cref="FlowRunInput"/>.</summary>
    public const string PrepareActivity = "flow.prepare-run";

    /// <summary>The error type of a prepare that cannot succeed by retrying (no such flow or version).</summary>
    public const string NotRunnableErrorType = "FlowNotRunnable";

    private static readonly ActivityOptions PrepareOptions = new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(1),
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(2), MaximumAttempts = 5, NonRetryableErrorTypes = [NotRunnableErrorType] },
    };

    private FlowInterpreter? _interpreter;
    private readonly List<(bool Approve, FlowApprovalSignal? Signal)> _early = [];

    [WorkflowQuery("nodes")]
    public IReadOnlyList<FlowNodeState> Nodes => _interpreter?.Nodes.Snapshot() ?? [];

    [WorkflowRun]
    public async Task<JsonElement> RunAsync(FlowRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var calls = 0;
        if (input.PrepareAtStart)
        {
            input = await Workflow.ExecuteActivityAsync<FlowRunInput?>(PrepareActivity, new FlowPrepareInput(input.FlowId, input.Version, input.Inputs), PrepareOptions)
                ?? throw new InvalidOperationException($"{PrepareActivity} returned nothing for flow {input.FlowId}");
            calls = 1;
        }

        _interpreter = new FlowInterpreter(input, Workflow.Info.WorkflowId, calls);
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
